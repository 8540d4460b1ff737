import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The repository root (this file is test/helpers/ in the sources and dist/test/helpers/ compiled). */
export const repoRoot = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

const MAIN = path.join(repoRoot, 'dist', 'server', 'main.js');
const PROBE = path.join(repoRoot, 'dist', 'test', 'helpers', 'memory-probe.js');

/**
 * Compiles the server when its sources changed (scripts/build-server.mjs), one caller at a time:
 * test files running side by side must not write dist/ together.
 */
export function buildServerOnce(): void {
  const lock = path.join(repoRoot, 'dist.build-lock');
  const end = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than 3 minutes was left by a killed run.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // Gone meanwhile.
      }
      if (Date.now() > end) throw new Error(`${lock} is held for too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-server.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Children still running: killed when this process exits, so an aborted test run leaves none behind. */
const live = new Map<ChildProcess, NodeJS.Signals>();
process.once('exit', () => {
  for (const [child, signal] of live) child.kill(signal);
});

/** Registers a child to be sent `signal` if this process exits first. */
export function killOnExit(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  live.set(child, signal);
  child.once('exit', () => live.delete(child));
}

/** Memory of a server process, sampled after a full garbage collection. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** A real Pantau server process (`node dist/server/main.js`), as an operator runs it. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** RSS and heap after a GC (only with `probe: true`). */
  memory(): Promise<MemorySample>;
}

/** Options of a server process. */
export interface ServerProcessOptions {
  /** The environment of the server (PATH is added); PORT is set to `port`. */
  env: Record<string, string>;
  port: number;
  /** Load the memory probe (an IPC channel and `--expose-gc`). */
  probe?: boolean;
  timeoutMs?: number;
}

/** Starts `node dist/server/main.js` and waits until it says where it runs (call `buildServerOnce()` first). */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const args = opts.probe ? ['--expose-gc', '--require', PROBE, MAIN] : [MAIN];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PANTAU_LATE_CHECK_SECONDS: '0', ...opts.env, PORT: String(opts.port) },
    stdio: opts.probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const end = Date.now() + (opts.timeoutMs ?? 60_000);
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (!new RegExp(`localhost:${opts.port}\\b`).test(output)) {
    if (exitCode !== undefined || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`the server on port ${opts.port} did not start (exit ${String(exitCode)}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const memoryWaiters: ((sample: MemorySample) => void)[] = [];
  child.on('message', (message: { type?: string } & MemorySample) => {
    if (message?.type === 'memory') memoryWaiters.shift()?.({ rss: message.rss, heapUsed: message.heapUsed });
  });
  return {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    memory() {
      return new Promise<MemorySample>((resolve, reject) => {
        if (!opts.probe || !child.connected) return reject(new Error('no memory probe in this process'));
        memoryWaiters.push(resolve);
        child.send('memory');
      });
    },
  };
}
