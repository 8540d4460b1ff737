import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { killOnExit, repoRoot } from './process-server';

/** The nginx config compose runs (deploy/nginx/pantau.conf); the tests run this very file. */
export const NGINX_CONF = path.join(repoRoot, 'deploy', 'nginx', 'pantau.conf');

/** Debian's nginx binary, or null when none is installed. */
export function nginxBinary(): string | null {
  // PANTAU_TEST_NGINX: a binary to use, or `none` to run as if nginx were missing.
  if (process.env.PANTAU_TEST_NGINX === 'none') return null;
  for (const candidate of [process.env.PANTAU_TEST_NGINX, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/**
 * deploy/nginx/pantau.conf with only the listen address and the replicas' addresses replaced
 * (app1 → the first upstream port, app2 → the second…). Fails when the file no longer has the
 * lines it replaces, so the test cannot drift from what compose runs.
 */
export function renderPantauConf(listenPort: number, upstreamPorts: number[]): string {
  let text = fs.readFileSync(NGINX_CONF, 'utf8');
  const replace = (pattern: RegExp, by: string) => {
    const matches = text.match(new RegExp(pattern.source, pattern.flags + 'g'))?.length ?? 0;
    if (matches !== 1) throw new Error(`${NGINX_CONF}: expected one ${pattern}, found ${matches}`);
    text = text.replace(pattern, by);
  };
  replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${listenPort};`);
  upstreamPorts.forEach((port, i) => replace(new RegExp(`^(\\s*server )app${i + 1}:4000( .*;)$`, 'm'), `$1127.0.0.1:${port}$2`));
  if (/\bapp\d+:4000\b/.test(text)) throw new Error(`${NGINX_CONF} names more replicas than the test gives ports for`);
  return text;
}

/** nginx running in the foreground (a child process) with its own prefix folder. */
export interface NginxProcess {
  url: string;
  port: number;
  /** The access log: one line per request, `<upstream addresses> <status> <method> <uri>`. */
  accessLog(): string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts nginx on 127.0.0.1:`port` in front of the given upstream ports, with deploy/nginx/pantau.conf. */
export async function startNginx(binary: string, port: number, upstreamPorts: number[]): Promise<NginxProcess> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'pantau-nginx-'));
  // Started as root, nginx's workers run as nobody: they must reach the temp folders (request bodies
  // over the buffer size go to body/).
  fs.chmodSync(prefix, 0o755);
  fs.writeFileSync(path.join(prefix, 'pantau.conf'), renderPantauConf(port, upstreamPorts));
  const p = (name: string) => path.join(prefix, name);
  fs.writeFileSync(
    p('nginx.conf'),
    [
      'worker_processes 1;',
      'events { worker_connections 1024; }',
      'http {',
      `  client_body_temp_path ${p('body')}; proxy_temp_path ${p('proxy')}; fastcgi_temp_path ${p('fastcgi')}; uwsgi_temp_path ${p('uwsgi')}; scgi_temp_path ${p('scgi')};`,
      `  log_format pantau_test '$upstream_addr $status $request_method $uri';`,
      `  access_log ${p('access.log')} pantau_test;`,
      `  include ${p('pantau.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    binary,
    ['-e', 'stderr', '-p', prefix, '-c', p('nginx.conf'), '-g', `daemon off; pid ${p('nginx.pid')}; error_log ${p('error.log')} warn;`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // SIGTERM: the master stops its workers too.
  killOnExit(child, 'SIGTERM');
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start on ${port}: ${output}${readIf(p('error.log'))}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: () => readIf(p('access.log')),
    output: () => output + readIf(p('error.log')),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function readIf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
