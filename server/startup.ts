// What an operator sees when Pantau starts or fails to: the `.env` file, the start log in one
// language (PANTAU_LANG), and one clear line — no stack — for the failures an operator can fix.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Settings } from './env';

/** The language of the server's own log lines. */
export type LogLang = 'id' | 'en';

/**
 * Exit codes of `node dist/server/main.js` (README: Exit codes): 0 stopped cleanly; 1 unexpected
 * failure (with its stack); 2 invalid configuration or `.env`; 3 the port cannot be listened on;
 * 4 the database is unreachable or missing; 5 DATA_DIR is not writable.
 */
export const ExitCode = { OK: 0, UNEXPECTED: 1, CONFIG: 2, LISTEN: 3, DATABASE: 4, DATA_DIR: 5 } as const;

const texts = {
  envFile: { id: 'File {file} tidak dapat dibaca: {reason}', en: 'Cannot read {file}: {reason}' },
  envLine: {
    id: 'File {file} baris {line} tidak sah: diharapkan NAMA=nilai (didapat "{text}")',
    en: 'File {file} line {line} is malformed: expected NAME=value (got "{text}")',
  },
  envQuote: { id: 'File {file} baris {line}: tanda kutip tidak ditutup', en: 'File {file} line {line}: the quote is never closed' },
  portTaken: {
    id: 'Port {port} di {host} sudah dipakai program lain. Hentikan program itu atau pilih port lain, mis. PORT={next}.',
    en: 'Port {port} on {host} is already in use by another program. Stop that program or choose another port, e.g. PORT={next}.',
  },
  listenDenied: {
    id: 'Tidak dapat mendengarkan di {host}:{port} ({reason}). Pilih PORT di atas 1023 atau HOST lain.',
    en: 'Cannot listen on {host}:{port} ({reason}). Choose a PORT above 1023 or another HOST.',
  },
  databaseUnreachable: {
    id: 'PostgreSQL di {where} tidak dapat dihubungi ({reason}). Periksa DATABASE_URL dan apakah PostgreSQL berjalan.',
    en: 'PostgreSQL at {where} cannot be reached ({reason}). Check DATABASE_URL and that PostgreSQL is running.',
  },
  databaseMissing: {
    id: 'Basis data PostgreSQL "{name}" belum ada. Buat dengan: createdb {args}{name} — atau set PANTAU_CREATE_DATABASE=true agar Pantau membuatnya.',
    en: 'The PostgreSQL database "{name}" does not exist. Create it with: createdb {args}{name} — or set PANTAU_CREATE_DATABASE=true to let Pantau create it.',
  },
  dataDirUnwritable: {
    id: 'Folder data {dir} tidak dapat ditulis ({reason}). Set DATA_DIR ke folder yang dapat ditulis.',
    en: 'The data folder {dir} is not writable ({reason}). Set DATA_DIR to a writable folder.',
  },
  running: { id: 'Pantau berjalan di {url} — {served} — data: {where}', en: 'Pantau is running at {url} — {served} — data: {where}' },
  served: { id: 'GraphQL: /graphql, layar rapat: /dashboard/', en: 'GraphQL: /graphql, meeting-room screen: /dashboard/' },
  servedPlayground: { id: ', playground: /playground/', en: ', playground: /playground/' },
  demo: {
    id: 'Demo: masuk dengan admin@pantau.demo / pantau-demo (lihat README untuk akun lain)',
    en: 'Demo: log in with admin@pantau.demo / pantau-demo (see the README for other accounts)',
  },
  demoLocal: {
    id: 'Hanya dapat dibuka dari komputer ini ({host}), karena kata sandi demo bersifat publik. Untuk membukanya ke jaringan: HOST=0.0.0.0',
    en: 'Reachable from this machine only ({host}), because the demo password is public. To open it to the network: HOST=0.0.0.0',
  },
  noUser: {
    id: 'BELUM ADA PENGGUNA: buat admin pertama dengan PANTAU_ADMIN_EMAIL dan PANTAU_ADMIN_PASSWORD (≥ 12 karakter) lalu mulai ulang, atau jalankan: npm run user:create -- --email admin@kota.go.id --name "Admin Platform" --role PLATFORM_ADMIN',
    en: 'NO USERS YET: create the first admin with PANTAU_ADMIN_EMAIL and PANTAU_ADMIN_PASSWORD (≥ 12 characters) and restart, or run: npm run user:create -- --email admin@kota.go.id --name "Platform Admin" --role PLATFORM_ADMIN',
  },
  migrations: { id: 'Migrasi diterapkan: {names}', en: 'Migrations applied: {names}' },
  adminCreated: { id: 'Admin platform {email} dibuat', en: 'Created platform admin {email}' },
  seeded: {
    id: 'Data demo dimuat: {cities} kota, {plans} rencana aksi, {reports} laporan progres, {users} pengguna',
    en: 'Demo data seeded: {cities} cities, {plans} action plans, {reports} progress reports, {users} users',
  },
  failed: { id: 'Gagal memulai:', en: 'Failed to start:' },
  stopping: {
    id: '{signal}: berhenti — /readyz kini 503; menunggu {delay} dtk agar load balancer tahu, lalu menyelesaikan permintaan yang berjalan (maks. {grace} dtk)',
    en: '{signal}: stopping — /readyz now answers 503; waiting {delay} s for the load balancer to notice, then finishing the requests in flight (at most {grace} s)',
  },
  stopped: { id: 'Berhenti dengan bersih.', en: 'Stopped cleanly.' },
  forced: { id: 'Dihentikan paksa ({signal}).', en: 'Forced to stop ({signal}).' },
} as const;

/** A key of the start-log texts. */
export type StartupTextKey = keyof typeof texts;

/** A start-log text in `lang`, `{name}` placeholders filled. */
export function startupText(key: StartupTextKey, params: Record<string, string | number> = {}, lang: LogLang = 'id'): string {
  return texts[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

const EXIT_OF: Partial<Record<StartupTextKey, number>> = {
  envFile: ExitCode.CONFIG,
  envLine: ExitCode.CONFIG,
  envQuote: ExitCode.CONFIG,
  portTaken: ExitCode.LISTEN,
  listenDenied: ExitCode.LISTEN,
  databaseUnreachable: ExitCode.DATABASE,
  databaseMissing: ExitCode.DATABASE,
  dataDirUnwritable: ExitCode.DATA_DIR,
};

/** A failure at start that an operator can fix: one line in the log's language, and an exit code. */
export class StartupError extends Error {
  readonly exitCode: number;
  constructor(
    readonly key: StartupTextKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(startupText(key, params, 'en'));
    this.exitCode = EXIT_OF[key] ?? ExitCode.UNEXPECTED;
  }
  /** The line in `lang`. */
  line(lang: LogLang): string {
    return startupText(this.key, this.params, lang);
  }
}

/**
 * Reads `file` (default `.env` in the working folder) into `process.env` with Node's own parser;
 * variables already set win. A missing file is fine; one that cannot be read, or a line that is
 * not `NAME=value` (a comment, a blank line and a quoted value over several lines are fine), is a
 * `StartupError` — Node's parser would skip such a line silently.
 */
export function loadDotEnv(file = '.env'): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new StartupError('envFile', { file, reason: code ?? String(error) });
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const match = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/.exec(line);
    if (!match) throw new StartupError('envLine', { file, line: i + 1, text: line.trim().slice(0, 40) });
    const quote = /^(["'`])/.exec(match[1]!)?.[1];
    if (!quote || match[1]!.slice(1).includes(quote)) continue;
    const start = i;
    do i += 1;
    while (i < lines.length && !lines[i]!.includes(quote));
    if (i >= lines.length) throw new StartupError('envQuote', { file, line: start + 1 });
  }
  process.loadEnvFile(file);
}

/** Checks that DATA_DIR (when used: SQLite, or a generated JWT secret) can be created and written. */
export function checkDataDir(settings: Settings): void {
  if (settings.databaseUrl !== null && settings.jwtSecret !== null) return;
  const probe = path.join(settings.dataDir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(settings.dataDir, { recursive: true });
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (error) {
    throw new StartupError('dataDirUnwritable', { dir: settings.dataDir, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
}

/**
 * Tries the port before anything else starts (migrations, the WebSocket server, which would log
 * the listen error with its stack): a taken or forbidden port is a `StartupError` at once. Port 0
 * always works. (A port taken between this check and the real listen is still one line.)
 */
export async function checkPort(settings: Settings): Promise<void> {
  if (settings.port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(settings.port, settings.host, () => probe.close(() => resolve()));
  }).catch((error: unknown) => {
    throw explainStartFailure(error, settings) ?? error;
  });
}

const DATABASE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000']);

/** A start failure as a `StartupError` when an operator can fix it (taken port, database down…), else null. */
export function explainStartFailure(error: unknown, settings: Settings): StartupError | null {
  if (error instanceof StartupError) return error;
  const { code, syscall } = (error ?? {}) as { code?: string; syscall?: string };
  if (syscall === 'listen' || code === 'EADDRINUSE') {
    if (code === 'EADDRINUSE') return new StartupError('portTaken', { port: settings.port, host: settings.host, next: settings.port + 1 });
    return new StartupError('listenDenied', { port: settings.port, host: settings.host, reason: code ?? String(error) });
  }
  if (settings.databaseUrl && code && DATABASE_CODES.has(code)) {
    const url = new URL(settings.databaseUrl);
    return new StartupError('databaseUnreachable', { where: url.host, reason: (error as Error).message || code });
  }
  return null;
}

/** The lines that say Pantau runs: where, what it serves (only what it really serves), and the demo's hints. */
export function runningLines(settings: Settings, url: string, where: string, hostFromEnv: boolean): string[] {
  const lang = settings.lang;
  const served = startupText('served', {}, lang) + (settings.playground ? startupText('servedPlayground', {}, lang) : '');
  const lines = [startupText('running', { url: url.replace('127.0.0.1', 'localhost'), served, where }, lang)];
  if (settings.demo) {
    lines.push(startupText('demo', {}, lang));
    if (!hostFromEnv && settings.host === '127.0.0.1') lines.push(startupText('demoLocal', { host: settings.host }, lang));
  }
  return lines;
}
