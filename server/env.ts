import path from 'node:path';

/** Every setting Pantau reads, validated in one place. `.env.example` documents the same list. */
export interface Settings {
  /** HTTP and WebSocket port (default 4000; 0 picks a free port). */
  port: number;
  /** Interface to listen on (default 0.0.0.0). */
  host: string;
  /** `postgres://…` for PostgreSQL; unset means the embedded SQLite file in `dataDir`. */
  databaseUrl: string | null;
  /** Folder for the SQLite file and the generated JWT secret (default ./data). */
  dataDir: string;
  /** Secret that signs JWTs; every instance of one deployment must share it. Generated into dataDir when unset on SQLite. */
  jwtSecret: string | null;
  /** Token lifetime in seconds (default 43 200 = 12 h). */
  jwtTtlSeconds: number;
  /** Seed the demo cities into an empty database (default: true on SQLite, false on PostgreSQL). */
  demo: boolean;
  /** `production` hides stack traces and internal messages. */
  production: boolean;
  /** Serve the playground at /playground (default: on outside production). */
  playground: boolean;
  /** Allow schema introspection (default: on outside production). */
  introspection: boolean;
  /** A platform admin created at start when no user has this email (optional; both or neither). */
  bootstrapAdmin: { email: string; password: string } | null;
}

/** Thrown with every problem found, so an operator fixes them all at once. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function bool(value: string | undefined, name: string, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name} must be true or false (got "${value}")`);
  return fallback;
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
    return fallback;
  }
  return n;
}

/** Reads and validates the settings from an environment (default: `process.env`). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite file)');
  }
  const jwtSecret = env.JWT_SECRET?.trim() || null;
  if (jwtSecret !== null && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === null && databaseUrl !== null) {
    problems.push('JWT_SECRET is required with DATABASE_URL: every instance of a deployment must share it');
  }
  const adminEmail = env.PANTAU_ADMIN_EMAIL?.trim() || '';
  const adminPassword = env.PANTAU_ADMIN_PASSWORD ?? '';
  if (Boolean(adminEmail) !== Boolean(adminPassword)) problems.push('PANTAU_ADMIN_EMAIL and PANTAU_ADMIN_PASSWORD go together');
  if (adminPassword && adminPassword.length < 12) problems.push('PANTAU_ADMIN_PASSWORD must be at least 12 characters');
  const settings: Settings = {
    port: int(env.PORT, 'PORT', 4000, 0, 65_535, problems),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    jwtSecret,
    jwtTtlSeconds: int(env.JWT_TTL_SECONDS, 'JWT_TTL_SECONDS', 43_200, 60, 2_592_000, problems),
    demo: bool(env.PANTAU_DEMO, 'PANTAU_DEMO', databaseUrl === null, problems),
    production,
    playground: bool(env.PANTAU_PLAYGROUND, 'PANTAU_PLAYGROUND', !production, problems),
    introspection: bool(env.PANTAU_INTROSPECTION, 'PANTAU_INTROSPECTION', !production, problems),
    bootstrapAdmin: adminEmail && adminPassword ? { email: adminEmail.toLowerCase(), password: adminPassword } : null,
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}
