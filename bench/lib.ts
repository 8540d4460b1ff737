/**
 * What the benchmark's processes share: a request/reply protocol over the IPC channel of a forked
 * child, statistics (median and spread) and the RESULT lines with their targets.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A forked child that answers `{ id, cmd, ...args }` with `{ id, ok, result | error }`. */
export class Child {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private exited = false;
  /** The child's `{ ready: true, … }` message (e.g. its `url`). */
  info: Record<string, any> = {};

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (typeof message?.id !== 'number') return;
      const w = this.waiting.get(message.id);
      if (!w) return;
      this.waiting.delete(message.id);
      if (message.ok) w.resolve(message.result);
      else w.reject(new Error(`${name}: ${message.error}`));
    });
    process.on('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.waiting.values()) w.reject(new Error(`${name} exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /**
   * Forks `bench/<script>.js` (compiled next to this file) and waits for its `{ ready }` message.
   * `--expose-gc` lets the RSS figures be taken after a collection, in the server and in the baseline alike.
   */
  static async start(
    name: string,
    script: string,
    args: string[] = [],
    env: Record<string, string> = {},
    timeoutMs = 120_000,
  ): Promise<Child> {
    const proc = fork(path.join(__dirname, `${script}.js`), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
      // BENCH_PROFILE_DIR: the servers under test write a V8 CPU profile there when they exit.
      execArgv: [
        '--expose-gc',
        ...(process.env.BENCH_PROFILE_DIR && script === 'server' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
      ],
    });
    const child = new Child(name, proc);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (m: { ready?: boolean; error?: string }) => {
        if (m?.ready) {
          child.info = m;
          clearTimeout(timer);
          proc.off('message', onMessage);
          resolve();
        } else if (m?.error) {
          clearTimeout(timer);
          reject(new Error(`${name}: ${m.error}`));
        }
      };
      proc.on('message', onMessage);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before it was ready`));
      });
    });
    return child;
  }

  /** Sends a command and waits for its answer. */
  call<T = any>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 300_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: ${cmd} took over ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, cmd, ...args });
    });
  }

  /** Asks the child to stop (`close`), then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.process.once('exit', () => r()));
    this.call('close', {}, graceMs).catch(() => {});
    await Promise.race([gone, sleep(graceMs)]);
    if (!this.exited) {
      this.process.kill('SIGKILL');
      await gone;
    }
  }
}

/** The child side: answers commands with `handlers[cmd](args)`; `close` runs `onClose` then exits. */
export function serve(handlers: Record<string, (args: any) => unknown>, onClose: () => Promise<void> = async () => {}): void {
  process.on(
    'message',
    (message: { id: number; cmd: string }) =>
      void (async () => {
        if (!message || typeof message.id !== 'number') return;
        if (message.cmd === 'close') {
          await onClose().catch(() => {});
          process.send?.({ id: message.id, ok: true, result: null }, () => process.exit(0));
          return;
        }
        const handler = handlers[message.cmd];
        try {
          if (!handler) throw new Error(`unknown command ${message.cmd}`);
          const result = await handler(message);
          process.send?.({ id: message.id, ok: true, result: result ?? null });
        } catch (error) {
          process.send?.({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) });
        }
      })(),
  );
  // The parent is gone: nothing left to measure.
  process.on('disconnect', () => {
    void onClose().finally(() => process.exit(0));
  });
}

/** CPU and memory of a process, as its `stats` command answers them. */
export interface ProcStats {
  /** User + system CPU time since the process started, in microseconds (process.cpuUsage). */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** Open WebSocket connections, when the process knows. */
  sockets: number | null;
}

/** This process's `ProcStats` (after a full collection when `gc` is set and available). */
export function procStats(gc = false, sockets: number | null = null): ProcStats {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return { cpuUs: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, sockets };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The `p`th percentile (nearest rank) of `values`. */
export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
export const median = (values: number[]) => pct(values, 50);

/** `median (min–max)` of repeated figures. */
export function spread(values: number[], fmt: (v: number) => string): string {
  if (values.length === 0) return 'n/a';
  if (values.length === 1) return fmt(values[0]!);
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))}, n=${values.length})`;
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : v.toFixed(0)}ms` : 'timeout');
export const us = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)}µs` : 'n/a');
export const kb = (bytes: number) => `${(bytes / 1_024).toFixed(1)}KB`;
export const pctOfCore = (v: number) => `${v.toFixed(2)}%`;
export const perSec = (v: number) => `${v.toFixed(0)}/s`;

/** How a measured value compares with its target. */
export type Op = '<=' | '<' | '>=' | '=';

/** One target's outcome: `RESULT <scenario> <metric>=<value> baseline=<value> ratio=<r> target <op> <t> PASS|FAIL`. */
export interface Result {
  scenario: string;
  metric: string;
  value: string;
  baseline: string;
  ratio: number | null;
  op: Op;
  target: string;
  pass: boolean;
}

export const results: Result[] = [];

/**
 * Records and prints a RESULT line. When `on` is `ratio`, the target applies to the ratio to the
 * baseline; when `value`, to the measured value itself (absolute targets: idle CPU, RSS, missed).
 */
export function result(r: {
  scenario: string;
  metric: string;
  value: number;
  fmt: (v: number) => string;
  baseline?: number;
  baselineFmt?: (v: number) => string;
  op: Op;
  target: number;
  on: 'ratio' | 'value';
  targetText?: string;
}): void {
  const ratio = r.baseline !== undefined && r.baseline !== 0 && Number.isFinite(r.baseline) ? r.value / r.baseline : null;
  const subject = r.on === 'ratio' ? ratio : r.value;
  const pass = subject !== null && Number.isFinite(subject) && compare(subject, r.op, r.target);
  const line: Result = {
    scenario: r.scenario,
    metric: r.metric,
    value: r.fmt(r.value),
    baseline: r.baseline === undefined ? '-' : (r.baselineFmt ?? r.fmt)(r.baseline),
    ratio,
    op: r.op,
    target: r.targetText ?? (r.on === 'ratio' ? `${r.target}x` : r.fmt(r.target)),
    pass,
  };
  results.push(line);
  console.log(format(line));
}

function compare(v: number, op: Op, t: number): boolean {
  switch (op) {
    case '<=':
      return v <= t;
    case '<':
      return v < t;
    case '>=':
      return v >= t;
    case '=':
      return v === t;
  }
}

export function format(r: Result): string {
  return `RESULT ${r.scenario} ${r.metric}=${r.value} baseline=${r.baseline} ratio=${r.ratio === null ? '-' : Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'inf'} target ${r.op} ${r.target} ${r.pass ? 'PASS' : 'FAIL'}`;
}

/** A detail line under a scenario (indented, never a RESULT). */
export function detail(text: string): void {
  console.log(`  ${text}`);
}
