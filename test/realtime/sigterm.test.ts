import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { login, ok } from '../helpers/gql';
import { buildServerOnce } from '../helpers/process-server';
import { collect, eventually, wsClient } from '../helpers/ws';

const root = path.resolve(__dirname, '..', '..');

describe('SIGTERM on a real server process (node dist/server/main.js)', () => {
  it('closes sockets with 1012, finishes an in-flight HTTP request, and exits 0; its log is JSON lines on stdout', async () => {
    // Compiled before the run (npm test builds the server first): a no-op here unless a source changed since.
    buildServerOnce();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-sigterm-'));
    const child = spawn(process.execPath, [path.join(root, 'dist', 'server', 'main.js')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PANTAU_DEMO: 'true',
        PANTAU_LATE_CHECK_SECONDS: '0',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      let stdout = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      await eventually(() => /localhost:\d+/.test(output), 60_000, 'the server to start');
      const url = `http://127.0.0.1:${/localhost:(\d+)/.exec(output)![1]}`;
      const admin = await login(url, 'admin@pantau.demo');
      const cityId = (await ok<any>(url, '{ cities { id } }', {}, admin)).cities[0].id;
      const screen = wsClient(url, admin);
      await collect(screen, 'subscription ($id: ID!) { citySummary(cityId: $id) { seq } }', { id: cityId }).until(() => true);

      const body = JSON.stringify({ query: '{ me { email } }' });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${url}/graphql`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${admin}` },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => req.end(body.slice(5)), 500);
      });
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await eventually(() => screen.closes.length > 0, 5_000, 'the socket to close');
      expect(screen.closes[0]).toEqual({ code: 1012, reason: 'Service restart' });
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.body)).toEqual({ data: { me: { email: 'admin@pantau.demo' } } });
      expect(await exited).toBe(0);
      await screen.dispose();
      // Start and stop lines are plain text for people; everything while running is one JSON object per line.
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines.filter((l) => !l.startsWith('{')).every((l) => l.startsWith('[pantau] '))).toBe(true);
      expect(stdout).toMatch(/\[pantau\] SIGTERM: berhenti/);
      expect(stdout).toMatch(/\[pantau\] Berhenti dengan bersih\./);
      const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
      expect(json.find((l) => l.msg === 'request' && l.fields?.[0] === 'me' && l.status === 200)).toMatchObject({
        level: 'info',
        opType: 'query',
        outcome: 'ok',
      });
      expect(json.find((l) => l.msg === 'socket close')).toMatchObject({ code: 1012, subscriptions: { citySummary: 1 } });
      expect(json.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutdown: not ready', 'shutdown: done']));
      expect(stdout).not.toContain(admin);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
