import net from 'node:net';
import path from 'node:path';
import type { LoginRateLimits } from './auth/rate-limit';
import type { OperationLimits } from './graphql/limits';
import type { WorkBudgetSettings } from './graphql/work-budget';
import { LOG_LEVELS, type LogLevel } from './observability/logger';

/** Every setting Pantau reads, validated in one place. `.env.example` documents the same list. */
export interface Settings {
  /** HTTP and WebSocket port (default 4000; 0 picks a free port). */
  port: number;
  /** Interface to listen on (default 0.0.0.0; 127.0.0.1 with demo data on, whose password is public). */
  host: string;
  /** `postgres://…` for PostgreSQL; unset means the embedded SQLite file in `dataDir`. */
  databaseUrl: string | null;
  /** Folder for the SQLite file and the generated JWT secret (default ./data). */
  dataDir: string;
  /** Secret that signs JWTs; every instance of one deployment must share it. Generated into dataDir when unset on SQLite. */
  jwtSecret: string | null;
  /** Token lifetime in seconds (default 43 200 = 12 h). */
  jwtTtlSeconds: number;
  /** Seed the demo cities into an empty database (default: true on SQLite outside production, else false). */
  demo: boolean;
  /** `production` hides stack traces and internal messages. */
  production: boolean;
  /** Serve the playground at /playground (default: on outside production). */
  playground: boolean;
  /** Allow schema introspection (default: on outside production). */
  introspection: boolean;
  /** How often each instance looks for plans that turned late (seconds; 0 = never). */
  lateCheckSeconds: number;
  /** A platform admin created at start when no user has this email (optional; both or neither). */
  bootstrapAdmin: { email: string; password: string } | null;
  /** Limits on one GraphQL operation (depth, aliases, directives, tokens, cost, time, returned nodes). */
  limits: OperationLimits;
  /** Express `trust proxy`: whose `X-Forwarded-For` to believe for the client address (default: loopback). */
  trustProxy: boolean | number | string[];
  /**
   * Where people reach Pantau (`https://pantau.kota.go.id`, or with a path prefix), without a
   * trailing slash: links the API hands out (a screen's dashboard URL) start with it. Unset: links
   * are paths, except outside production for a request reached at a loopback host; never the
   * request's Host or X-Forwarded-Host (see `loopbackOrigin` in http/app.ts).
   */
  publicUrl: string | null;
  /** `redis://` or `rediss://`: login rate limits are shared between instances through it. Unset: in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key (default `pantau:`; rate limits use `<prefix>rl:`). */
  redisKeyPrefix: string;
  /**
   * How long (ms) an instance keeps a verified token's principal, at most, so requests need no JWT
   * verification or user lookup; revocations drop entries at once over pub/sub, and within
   * `authRevocationMs` whatever pub/sub does (`AUTH_CACHE_SECONDS`; default 30 s with Redis, 0 = off without: the embedded single instance reads every time).
   */
  authCacheMs: number;
  /**
   * The worst-case revocation window (ms) when pub/sub does not deliver (Redis frozen, a link cut,
   * a notice lost): every instance reads the revocation log every quarter of it and serves cached
   * principals only while its last complete read began within it (`AUTH_REVOCATION_SECONDS`, default 2).
   */
  authRevocationMs: number;
  /** Login attempts allowed per account and per client address in a window. */
  loginRateLimit: LoginRateLimits;
  /** Live updates over WebSocket: replay depth, sockets per subject, slow consumers. */
  live: LiveSettings;
  /**
   * The work budget of each user, screen token or anonymous client address on each instance
   * (`WORK_BUDGET_UNITS`, default 100 000 or five times `GRAPHQL_MAX_COST` if more, at least that
   * cost and 10; `WORK_BUDGET_UNITS_PER_SECOND`, default 5 000): every
   * operation, its cost, replayed events and uploaded bytes spend it; and how many of its
   * operations run at once (`WORK_MAX_CONCURRENT`, 8) and wait (`WORK_MAX_QUEUED`, 64) (server/graphql/work-budget.ts).
   */
  workBudget: WorkBudgetSettings;
  /** Language of the server's own log lines (`PANTAU_LANG`, default `id`; `en` available). */
  lang: 'id' | 'en';
  /** Create a missing PostgreSQL database at start (`PANTAU_CREATE_DATABASE`, default false: refuse, naming `createdb`). */
  createDatabase: boolean;
  /** Largest evidence file `POST /uploads` accepts, in bytes (`UPLOAD_MAX_BYTES`, default 20 MiB, at most 100 MiB). */
  uploadMaxBytes: number;
  /** Uploads one user may run at once on an instance (`UPLOAD_MAX_CONCURRENT_PER_USER`, default 3); more answer 429. */
  uploadMaxConcurrentPerUser: number;
  /** Uploads an instance runs at once, all users together (`UPLOAD_MAX_CONCURRENT`, default 16); more answer 429. */
  uploadMaxConcurrent: number;
  /** Bytes one city's stored evidence files may take in all (`UPLOAD_CITY_QUOTA_BYTES`, default 2 GiB); a new file beyond answers 413. */
  uploadCityQuotaBytes: number;
  /** Level of the JSON runtime log on stdout (`LOG_LEVEL`, default `info`; `silent` writes nothing). */
  logLevel: LogLevel;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>` (`METRICS_TOKEN`, at least 16 characters). */
  metricsToken: string | null;
  /** `/readyz` answers 503 (instead of 200 `degraded`) while Redis pub/sub is down (`READY_REQUIRES_REDIS`, default false). */
  readyRequiresRedis: boolean;
  /** What SIGTERM/SIGINT does (units in the names). */
  shutdown: ShutdownSettings;
}

/** The graceful shutdown: deregister, wait, drain, close. */
export interface ShutdownSettings {
  /** After /readyz turns 503, how long the instance keeps serving so the load balancer notices (default 2 s in production, else 0). */
  readyDelayMs: number;
  /** How long in-flight HTTP requests may take to finish once no new ones are accepted (default 10 s). */
  graceMs: number;
}

/** Limits of the WebSocket endpoint (units in the names). */
export interface LiveSettings {
  /** The most events one `cityEvents(afterSeq)` replays (default 1 000). */
  maxReplay: number;
  /** Open sockets one user or screen token may hold at once, over every instance with Redis; beyond, a new one is closed with 4430 (default 20). */
  maxSocketsPerSubject: number;
  /** Sockets not yet authenticated one client address may hold on an instance; beyond, a new one is closed with 4430 (default 200). */
  maxUnauthenticatedPerAddress: number;
  /** A socket whose unsent bytes stay above this… (default 4 MiB) */
  maxBufferedBytes: number;
  /** …for this long is closed with 1013 (default 10 s). */
  slowConsumerMs: number;
  /** How often each instance re-checks all its sockets' subjects against the database, in one query (default 60 s). */
  recheckMs: number;
  /** Shared results written to sockets without a copy, past `ws` (`WS_DIRECT_WRITES`, default true; off with another `ws` line). */
  directWrites: boolean;
}

/** The problems found in the settings, each in English and in Indonesian (the start log's languages). */
class Problems {
  readonly en: string[] = [];
  readonly id: string[] = [];
  add(en: string, id: string): void {
    this.en.push(en);
    this.id.push(id);
  }
  get length(): number {
    return this.en.length;
  }
}

/** Thrown with every problem found, so an operator fixes them all at once. */
export class SettingsError extends Error {
  /** The problems in English. */
  readonly problems: string[];
  /** The same problems in Indonesian. */
  readonly problemsId: string[];
  constructor(found: Problems) {
    super(`Invalid configuration:\n${found.en.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = found.en;
    this.problemsId = found.id;
  }

  /** The whole message in the start log's language (PANTAU_LANG). */
  text(lang: 'id' | 'en'): string {
    if (lang === 'en') return this.message;
    return `Konfigurasi tidak sah:\n${this.problemsId.map((p) => `  - ${p}`).join('\n')}`;
  }
}

function bool(value: string | undefined, name: string, fallback: boolean, problems: Problems): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.add(`${name} must be true or false (got "${value}")`, `${name} harus true atau false (tertulis "${value}")`);
  return fallback;
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number, problems: Problems): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.add(
      `${name} must be a whole number from ${min} to ${max} (got "${value}")`,
      `${name} harus bilangan bulat dari ${min} sampai ${max} (tertulis "${value}")`,
    );
    return fallback;
  }
  return n;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `TRUST_PROXY`: true/false, a hop count, or a comma list of loopback/linklocal/uniquelocal and addresses or subnets. */
function trustProxy(value: string | undefined, problems: Problems): boolean | number | string[] {
  const raw = value?.trim() ?? '';
  if (raw === '') return ['loopback'];
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops <= 10) return hops;
  }
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const bad = items.filter((item) => {
    if (PROXY_NAMES.has(item)) return false;
    const [address = '', prefix, extra] = item.split('/');
    const family = net.isIP(address);
    if (family === 0 || extra !== undefined) return true;
    return prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  if (items.length === 0 || bad.length > 0) {
    problems.add(
      `TRUST_PROXY must be true, false, a hop count (0-10) or a comma list of loopback, linklocal, uniquelocal and IP addresses or subnets (got "${raw}")`,
      `TRUST_PROXY harus true, false, jumlah lompatan (0-10) atau daftar berkoma dari loopback, linklocal, uniquelocal dan alamat atau subnet IP (tertulis "${raw}")`,
    );
    return ['loopback'];
  }
  return items;
}

/** `PUBLIC_URL`: an http(s) URL with a host and no query, fragment or credentials; kept without its trailing slash. */
function publicUrl(value: string | undefined, problems: Problems): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname &&
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password
    ) {
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    }
  } catch {
    // Reported below.
  }
  problems.add(
    `PUBLIC_URL must be an http:// or https:// URL with a host and no query or fragment, e.g. https://pantau.kota.go.id (got "${raw}")`,
    `PUBLIC_URL harus URL http:// atau https:// dengan nama host, tanpa query atau fragmen, mis. https://pantau.kota.go.id (tertulis "${raw}")`,
  );
  return null;
}

/** Reads and validates the settings from an environment (default: `process.env`). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems = new Problems();
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.add(
      'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite file)',
      'DATABASE_URL harus diawali postgres:// atau postgresql:// (kosongkan untuk file SQLite bawaan)',
    );
  }
  const jwtSecret = env.JWT_SECRET?.trim() || null;
  if (jwtSecret !== null && jwtSecret.length < 32)
    problems.add('JWT_SECRET must be at least 32 characters', 'JWT_SECRET minimal 32 karakter');
  if (jwtSecret === null && databaseUrl !== null) {
    problems.add(
      'JWT_SECRET is required with DATABASE_URL: every instance of a deployment must share it',
      'JWT_SECRET wajib diisi bersama DATABASE_URL: semua instans satu deployment harus memakai yang sama',
    );
  }
  const adminEmail = env.PANTAU_ADMIN_EMAIL?.trim() || '';
  const adminPassword = env.PANTAU_ADMIN_PASSWORD ?? '';
  if (Boolean(adminEmail) !== Boolean(adminPassword))
    problems.add(
      'PANTAU_ADMIN_EMAIL and PANTAU_ADMIN_PASSWORD go together',
      'PANTAU_ADMIN_EMAIL dan PANTAU_ADMIN_PASSWORD harus diisi bersama',
    );
  if (adminPassword && adminPassword.length < 12)
    problems.add('PANTAU_ADMIN_PASSWORD must be at least 12 characters', 'PANTAU_ADMIN_PASSWORD minimal 12 karakter');
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null) {
    let valid: boolean;
    try {
      const parsed = new URL(redisUrl);
      valid = (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && parsed.hostname !== '';
    } catch {
      valid = false;
    }
    if (!valid)
      problems.add(
        'REDIS_URL must be a redis:// or rediss:// URL with a host (leave it unset to keep rate limits in memory)',
        'REDIS_URL harus URL redis:// atau rediss:// dengan nama host (kosongkan agar batas laju disimpan di memori)',
      );
  }
  const redisKeyPrefix = env.REDIS_KEY_PREFIX ?? 'pantau:';
  if (!/^[\w:.-]{1,64}$/.test(redisKeyPrefix))
    problems.add('REDIS_KEY_PREFIX must be 1-64 letters, digits, _ : . or -', 'REDIS_KEY_PREFIX harus 1-64 huruf, angka, _ : . atau -');
  // Demo accounts never appear in production unless asked for.
  const demo = bool(env.PANTAU_DEMO, 'PANTAU_DEMO', databaseUrl === null && !production, problems);
  const lang = env.PANTAU_LANG?.trim().toLowerCase() || 'id';
  if (lang !== 'id' && lang !== 'en')
    problems.add(`PANTAU_LANG must be id or en (got "${env.PANTAU_LANG}")`, `PANTAU_LANG harus id atau en (tertulis "${env.PANTAU_LANG}")`);
  const logLevel = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.add(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`,
      `LOG_LEVEL harus salah satu dari ${LOG_LEVELS.join(', ')} (tertulis "${env.LOG_LEVEL}")`,
    );
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && !/^[\x21-\x7e]{16,256}$/.test(metricsToken))
    problems.add(
      'METRICS_TOKEN must be 16 to 256 printable characters without spaces',
      'METRICS_TOKEN harus 16 sampai 256 karakter cetak tanpa spasi',
    );
  const maxCost = int(env.GRAPHQL_MAX_COST, 'GRAPHQL_MAX_COST', 20_000, 1, 100_000_000, problems);
  const settings: Omit<Settings, 'live'> & { live?: LiveSettings } = {
    port: int(env.PORT, 'PORT', 4000, 0, 65_535, problems),
    // The demo password is public: with demo data, only this machine unless HOST says otherwise.
    host: env.HOST?.trim() || (demo ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    jwtSecret,
    jwtTtlSeconds: int(env.JWT_TTL_SECONDS, 'JWT_TTL_SECONDS', 43_200, 60, 2_592_000, problems),
    demo,
    production,
    playground: bool(env.PANTAU_PLAYGROUND, 'PANTAU_PLAYGROUND', !production, problems),
    introspection: bool(env.PANTAU_INTROSPECTION, 'PANTAU_INTROSPECTION', !production, problems),
    lateCheckSeconds: int(env.PANTAU_LATE_CHECK_SECONDS, 'PANTAU_LATE_CHECK_SECONDS', 60, 0, 86_400, problems),
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : null,
    limits: {
      maxDepth: int(env.GRAPHQL_MAX_DEPTH, 'GRAPHQL_MAX_DEPTH', 12, 1, 100, problems),
      maxAliases: int(env.GRAPHQL_MAX_ALIASES, 'GRAPHQL_MAX_ALIASES', 30, 0, 1_000, problems),
      maxDirectives: int(env.GRAPHQL_MAX_DIRECTIVES, 'GRAPHQL_MAX_DIRECTIVES', 20, 0, 1_000, problems),
      maxTokens: int(env.GRAPHQL_MAX_TOKENS, 'GRAPHQL_MAX_TOKENS', 5_000, 100, 1_000_000, problems),
      maxCost,
      maxMs: int(env.GRAPHQL_MAX_MS, 'GRAPHQL_MAX_MS', 10_000, 1, 600_000, problems),
      maxNodes: int(env.GRAPHQL_MAX_NODES, 'GRAPHQL_MAX_NODES', 50_000, 1, 100_000_000, problems),
    },
    trustProxy: trustProxy(env.TRUST_PROXY, problems),
    publicUrl: publicUrl(env.PUBLIC_URL, problems),
    redisUrl,
    redisKeyPrefix,
    authCacheMs: int(env.AUTH_CACHE_SECONDS, 'AUTH_CACHE_SECONDS', redisUrl ? 30 : 0, 0, 300, problems) * 1_000,
    authRevocationMs: int(env.AUTH_REVOCATION_SECONDS, 'AUTH_REVOCATION_SECONDS', 2, 1, 60, problems) * 1_000,
    loginRateLimit: {
      windowSeconds: int(env.LOGIN_WINDOW_SECONDS, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400, problems),
      maxFailuresPerAccount: int(env.LOGIN_MAX_FAILURES_PER_ACCOUNT, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 100_000, problems),
      maxFailuresPerAddress: int(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 1_000_000, problems),
      maxAttemptsPerAccount: int(env.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT, 'LOGIN_MAX_ATTEMPTS_PER_ACCOUNT', 30, 1, 100_000, problems),
      maxAttemptsPerAddress: int(env.LOGIN_MAX_ATTEMPTS_PER_ADDRESS, 'LOGIN_MAX_ATTEMPTS_PER_ADDRESS', 150, 1, 1_000_000, problems),
    },
    lang: lang === 'en' ? 'en' : 'id',
    createDatabase: bool(env.PANTAU_CREATE_DATABASE, 'PANTAU_CREATE_DATABASE', false, problems),
    logLevel: (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as LogLevel) : 'info',
    metricsToken,
    readyRequiresRedis: bool(env.READY_REQUIRES_REDIS, 'READY_REQUIRES_REDIS', false, problems),
    shutdown: {
      readyDelayMs: int(env.SHUTDOWN_READY_DELAY_SECONDS, 'SHUTDOWN_READY_DELAY_SECONDS', production ? 2 : 0, 0, 120, problems) * 1_000,
      graceMs: int(env.SHUTDOWN_GRACE_SECONDS, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 600, problems) * 1_000,
    },
    workBudget: {
      // Every operation the cost limit admits fits in a budget (with its own 10 units), five of them by default.
      units: int(
        env.WORK_BUDGET_UNITS,
        'WORK_BUDGET_UNITS',
        Math.max(100_000, 5 * maxCost),
        Math.max(1_000, maxCost + 10),
        1_000_000_000,
        problems,
      ),
      unitsPerSecond: int(env.WORK_BUDGET_UNITS_PER_SECOND, 'WORK_BUDGET_UNITS_PER_SECOND', 5_000, 1, 1_000_000_000, problems),
      maxConcurrent: int(env.WORK_MAX_CONCURRENT, 'WORK_MAX_CONCURRENT', 8, 1, 10_000, problems),
      maxQueued: int(env.WORK_MAX_QUEUED, 'WORK_MAX_QUEUED', 64, 0, 100_000, problems),
    },
    uploadMaxBytes: int(env.UPLOAD_MAX_BYTES, 'UPLOAD_MAX_BYTES', 20 * 1_048_576, 1_024, 100 * 1_048_576, problems),
    uploadMaxConcurrentPerUser: int(env.UPLOAD_MAX_CONCURRENT_PER_USER, 'UPLOAD_MAX_CONCURRENT_PER_USER', 3, 1, 100, problems),
    uploadMaxConcurrent: int(env.UPLOAD_MAX_CONCURRENT, 'UPLOAD_MAX_CONCURRENT', 16, 1, 1_000, problems),
    uploadCityQuotaBytes: int(env.UPLOAD_CITY_QUOTA_BYTES, 'UPLOAD_CITY_QUOTA_BYTES', 2 * 1_073_741_824, 1_024, 2 ** 40, problems),
  };
  settings.live = {
    maxReplay: int(env.LIVE_MAX_REPLAY, 'LIVE_MAX_REPLAY', 1_000, 1, 100_000, problems),
    maxSocketsPerSubject: int(env.WS_MAX_SOCKETS_PER_SUBJECT, 'WS_MAX_SOCKETS_PER_SUBJECT', 20, 1, 10_000, problems),
    maxUnauthenticatedPerAddress: int(
      env.WS_MAX_UNAUTHENTICATED_PER_ADDRESS,
      'WS_MAX_UNAUTHENTICATED_PER_ADDRESS',
      200,
      1,
      100_000,
      problems,
    ),
    maxBufferedBytes: int(env.WS_MAX_BUFFERED_BYTES, 'WS_MAX_BUFFERED_BYTES', 4 * 1_048_576, 65_536, 1_073_741_824, problems),
    slowConsumerMs: int(env.WS_SLOW_CONSUMER_SECONDS, 'WS_SLOW_CONSUMER_SECONDS', 10, 1, 3_600, problems) * 1_000,
    recheckMs: int(env.WS_RECHECK_SECONDS, 'WS_RECHECK_SECONDS', 60, 1, 86_400, problems) * 1_000,
    directWrites: bool(env.WS_DIRECT_WRITES, 'WS_DIRECT_WRITES', true, problems),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings as Settings;
}
