// The production start, through the real compiled server (`node dist/server/main.js`) as a child
// process: what an operator sees on a first start and on every start failure they can fix.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_ADMIN_URL, postgresAvailable, testDialects } from '../helpers/db';
import { login } from '../helpers/gql';
import { startServer } from '../helpers/server';

const root = path.resolve(__dirname, '..', '..');
const MAIN = path.join(root, 'dist', 'server', 'main.js');
const USER_CREATE = path.join(root, 'dist', 'scripts', 'user-create.js');
const SECRET = 'startup-test-secret-startup-test-secret-0123';

/** What a finished (or stopped) child process said. */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The URL from the "running" line, when the server started (how it then stops is the shutdown path's business). */
  url: string | null;
}

/** The environment of a child: only what the test gives (plus PATH), so nothing of the runner's leaks in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', PANTAU_LATE_CHECK_SECONDS: '0', ...env };
}

/**
 * Runs the compiled server in `cwd`. With `whenRunning`, once it says it runs (and the no-user
 * banner had its chance), calls it with the URL and then stops the server with SIGTERM.
 */
function runServer(env: Record<string, string>, cwd: string, whenRunning?: (url: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let url: string | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = / (?:di|at) (http:\/\/\S+) —/.exec(stdout);
      if (match && !url) {
        url = match[1]!;
        void (async () => {
          await new Promise((r) => setTimeout(r, 500));
          try {
            await whenRunning?.(url);
          } catch (error) {
            reject(error as Error);
          }
          child.kill('SIGTERM');
        })();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, url });
    });
  });
}

/** A fresh working folder (the server's cwd, its `.env` and DATA_DIR). */
function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pantau-start-'));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** A start failure: exactly one line, no stack frame, the given exit code. */
function expectOneLine(run: Run, exitCode: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(exitCode);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
}

const dirs: string[] = [];
beforeAll(() => {
  // The compiled server, as `npm start` runs it (compiles only when the sources changed).
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs')], { cwd: root, stdio: 'inherit' });
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('a first production start', () => {
  it('with no user, says loudly how to create the first admin; names only what it serves; / leads to a page', async () => {
    const cwd = dir();
    const run = await runServer(
      { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(cwd, 'data') },
      cwd,
      async (url) => {
        const res = await fetch(`${url}/`, { redirect: 'manual' });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/dashboard/');
        // Served (503 "not built yet" where the clients were not built, never 404).
        const page = await fetch(`${url}/dashboard/`);
        expect([200, 503]).toContain(page.status);
        expect((await fetch(`${url}/playground/`)).status).toBe(404);
      },
    );
    expect(run.url, run.stderr).not.toBeNull();
    expect(run.stderr).toMatch(/BELUM ADA PENGGUNA.*PANTAU_ADMIN_EMAIL.*PANTAU_ADMIN_PASSWORD.*npm run user:create/);
    const running = run.stdout.split('\n').find((l) => l.includes('Pantau berjalan di'))!;
    expect(running).toContain('/dashboard/');
    expect(running).not.toContain('playground');
  });

  it('says nothing of a missing user once an admin exists (PANTAU_ADMIN_EMAIL), and speaks English with PANTAU_LANG=en', async () => {
    const cwd = dir();
    const run = await runServer(
      {
        PANTAU_LANG: 'en',
        PANTAU_DEMO: 'false',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: cwd,
        PANTAU_ADMIN_EMAIL: 'admin@kota.go.id',
        PANTAU_ADMIN_PASSWORD: 'a-long-password',
      },
      cwd,
    );
    expect(run.url, run.stderr).not.toBeNull();
    expect(run.stderr).not.toMatch(/NO USERS/);
    expect(run.stdout).toMatch(
      /Pantau is running at http:\/\/localhost:\d+ — GraphQL: \/graphql, meeting-room screen: \/dashboard\/, playground: \/playground\//,
    );
    expect(run.stdout).toMatch(/Created platform admin admin@kota\.go\.id/);
    // One language: nothing Indonesian in the start log.
    expect(run.stdout).not.toMatch(/berjalan|Migrasi|dibuat/);
  });

  it('listens on 127.0.0.1 with demo data and HOST unset, and says how to open it up', async () => {
    const cwd = dir();
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    const run = await runServer({ PORT: '0', DATA_DIR: cwd }, cwd, async (url) => {
      const port = new URL(url).port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      for (const address of others) await expect(fetch(`http://${address}:${port}/healthz`)).rejects.toThrow();
    });
    expect(run.url, run.stderr).not.toBeNull();
    expect(run.stdout).toMatch(/admin@pantau\.demo/);
    expect(run.stdout).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('reads .env from the working folder; variables already set win; a malformed .env is one line', async () => {
    const cwd = dir();
    // PORT in .env is not a port: it would fail the settings if it won over the real PORT=0.
    fs.writeFileSync(
      path.join(cwd, '.env'),
      '# comment\nPANTAU_LANG=en\nPANTAU_DEMO=false\nPORT=not-a-port\nHOST=127.0.0.1\nPANTAU_ADMIN_EMAIL="admin@kota.go.id"\nPANTAU_ADMIN_PASSWORD=a-long-password\n',
    );
    const run = await runServer({ PORT: '0', DATA_DIR: cwd }, cwd);
    expect(run.url, run.stderr).not.toBeNull();
    expect(run.stdout).toMatch(/Pantau is running at/);
    expect(run.stdout).toMatch(/Created platform admin admin@kota\.go\.id/);

    fs.writeFileSync(path.join(cwd, '.env'), 'PORT=0\nthis is not a setting\n');
    expectOneLine(await runServer({ DATA_DIR: cwd }, cwd), 2, /\.env baris 2 tidak sah: diharapkan NAMA=nilai/);
    fs.writeFileSync(path.join(cwd, '.env'), 'PANTAU_ADMIN_PASSWORD="never closed\n');
    expectOneLine(await runServer({ DATA_DIR: cwd, PANTAU_LANG: 'en' }, cwd), 2, /\.env line 1: the quote is never closed/);
  });
});

describe("a configuration error lists every problem, in the start log's language", () => {
  it('in Indonesian by default and in English with PANTAU_LANG=en, exit 2, no stack', async () => {
    const cwd = dir();
    const bad = { DATA_DIR: cwd, PORT: 'not-a-port', JWT_SECRET: 'short' };
    const id = await runServer(bad, cwd);
    expect(id.code, id.stderr).toBe(2);
    expect(id.stderr).toMatch(/^\[pantau\] Konfigurasi tidak sah:\n {2}- /);
    expect(id.stderr).toContain('JWT_SECRET minimal 32 karakter');
    expect(id.stderr).toContain('PORT harus bilangan bulat dari 0 sampai 65535 (tertulis "not-a-port")');
    expect(id.stderr).not.toMatch(/must be|^\s+at /m);
    const en = await runServer({ ...bad, PANTAU_LANG: 'en' }, cwd);
    expect(en.code, en.stderr).toBe(2);
    expect(en.stderr).toMatch(/^\[pantau\] Invalid configuration:\n {2}- /);
    expect(en.stderr).toContain('PORT must be a whole number from 0 to 65535 (got "not-a-port")');
  });

  it('says its build lines in the same language', () => {
    const run = (lang?: string) =>
      execFileSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs'), '--force', '--dry-run'], {
        cwd: dir(),
        env: childEnv(lang ? { PANTAU_LANG: lang } : {}),
        encoding: 'utf8',
      });
    expect(run()).toBe('[pantau] Mengompilasi server (tsc)…\n');
    expect(run('en')).toBe('[pantau] Compiling the server (tsc)…\n');
  });
});

describe('a start that cannot work says why in one line, without a stack', () => {
  it('a taken port: exit 3', async () => {
    const cwd = dir();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = await runServer({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: cwd, PANTAU_DEMO: 'false' }, cwd);
      expectOneLine(run, 3, new RegExp(`Port ${port} di 127\\.0\\.0\\.1 sudah dipakai.*PORT=${port + 1}`));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('an unreachable PostgreSQL: exit 4', async () => {
    const cwd = dir();
    const port = await closedPort();
    const run = await runServer(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/pantau`, JWT_SECRET: SECRET, PORT: '0', DATA_DIR: cwd },
      cwd,
    );
    expectOneLine(run, 4, new RegExp(`PostgreSQL di 127\\.0\\.0\\.1:${port} tidak dapat dihubungi.*DATABASE_URL`));
  });

  it('an unwritable DATA_DIR (under a regular file): exit 5', async () => {
    const cwd = dir();
    fs.writeFileSync(path.join(cwd, 'a-file'), '');
    const run = await runServer({ PORT: '0', DATA_DIR: path.join(cwd, 'a-file', 'data') }, cwd);
    expectOneLine(run, 5, /Folder data .*a-file\/data tidak dapat ditulis \(ENOTDIR\).*DATA_DIR/);
  });

  it('a missing PostgreSQL database: exit 4 naming createdb, and nothing created; PANTAU_CREATE_DATABASE=true creates it', async (ctx) => {
    if (!(await postgresAvailable())) return ctx.skip();
    const cwd = dir();
    const name = `pantau_missing_${process.pid}`;
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const exists = async (): Promise<boolean> => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        return (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
      } finally {
        await c.end();
      }
    };
    const env = { DATABASE_URL: url.toString(), JWT_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1', DATA_DIR: cwd };
    const run = await runServer(env, cwd);
    expectOneLine(
      run,
      4,
      new RegExp(
        `Basis data PostgreSQL "${name}" belum ada\\. Buat dengan: createdb -h 127\\.0\\.0\\.1 -p 5432 -U postgres ${name}.*PANTAU_CREATE_DATABASE=true`,
      ),
    );
    expect(await exists()).toBe(false);
    try {
      const created = await runServer({ ...env, PANTAU_CREATE_DATABASE: 'true' }, cwd);
      expect(created.url, created.stderr).not.toBeNull();
      expect(await exists()).toBe(true);
    } finally {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  });
});

describe('npm run user:create', async () => {
  for (const dialect of await testDialects()) {
    it(`creates a user who can log in, validated like the API (${dialect})`, async () => {
      const db = await createTestDatabase(dialect);
      try {
        const env = {
          DATA_DIR: db.dataDir,
          PANTAU_DEMO: 'false',
          JWT_SECRET: SECRET,
          ...(db.target.dialect === 'postgres' ? { DATABASE_URL: db.target.url } : {}),
        };
        const cli = (args: string[], extra: Record<string, string> = {}) => {
          const child = spawn(process.execPath, [USER_CREATE, ...args], {
            cwd: db.dataDir,
            env: childEnv({ ...env, ...extra }),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (c: Buffer) => (out += c.toString()));
          child.stderr.on('data', (c: Buffer) => (out += c.toString()));
          return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
        };
        const made = await cli(['--email', 'Admin@Kota.go.id', '--name', 'Admin Kota', '--role', 'PLATFORM_ADMIN'], {
          PANTAU_USER_PASSWORD: 'a-long-password',
        });
        expect(made, made.out).toEqual({ code: 0, out: 'Pengguna admin@kota.go.id (PLATFORM_ADMIN) dibuat.\n' });
        // Refused as the API refuses it, in one line naming the argument.
        expect(
          await cli(['--email', 'admin@kota.go.id', '--name', 'X', '--role', 'PLATFORM_ADMIN'], {
            PANTAU_USER_PASSWORD: 'a-long-password',
          }),
        ).toEqual({ code: 2, out: '[pantau] --email: Email ini sudah dipakai.\n' });
        expect(
          await cli(['--email', 'b@kota.go.id', '--name', 'X', '--role', 'VIEWER'], {
            PANTAU_USER_PASSWORD: 'a-long-password',
            PANTAU_LANG: 'en',
          }),
        ).toEqual({ code: 2, out: '[pantau] --cityId: The role VIEWER needs cityId.\n' });
        expect(
          (await cli(['--email', 'c@kota.go.id', '--name', 'X', '--role', 'PLATFORM_ADMIN'], { PANTAU_USER_PASSWORD: 'short' })).out,
        ).toMatch(/^\[pantau\] --password: Kata sandi minimal 12 karakter\.\n$/);
        expect((await cli(['--email', 'c@kota.go.id', '--name', 'X', '--role', 'KING'])).out).toMatch(
          /^\[pantau\] Peran "KING" tidak dikenal/,
        );
        // No password and no terminal: one line.
        expect(await cli(['--email', 'c@kota.go.id', '--name', 'X', '--role', 'PLATFORM_ADMIN'])).toEqual({
          code: 2,
          out: '[pantau] Kata sandi tidak ada: set PANTAU_USER_PASSWORD atau jalankan di terminal untuk mengetiknya.\n',
        });

        const server = await startServer({ database: db, demo: false, dialect });
        try {
          expect(await login(server.url, 'admin@kota.go.id', 'a-long-password')).toMatch(/\./);
        } finally {
          await server.close();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
