// The server's runtime log: JSON lines through pino on stdout (one per HTTP request, per socket
// open and close, and every warning or error while running). The start and stop lines an
// operator reads stay plain `[pantau] …` text (main.ts, startup.ts); they never start with `{`, so
// a log shipper tells them apart by the first character.
import pino from 'pino';

/** The levels `LOG_LEVEL` accepts, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A `LOG_LEVEL` value. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The server's logger (pino). */
export type Logger = pino.Logger;

/** Where log lines go instead of stdout (tests collect them). */
export type LogDestination = pino.DestinationStream;

/**
 * A logger at `level`, writing JSON lines synchronously to stdout (or `destination`), so that no
 * line is lost when the process exits. Times are ISO strings; every line carries `pid` and
 * `hostname`, which tell replicas apart.
 */
export function createLogger(level: LogLevel, destination?: LogDestination): Logger {
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: safeError },
  };
  // Synchronous: lines keep their order with the plain start/stop lines, and none is lost on a crash.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

/**
 * An error for the log without what must not be in it: a database driver's message begins with
 * the SQL statement, whose inlined values may be a password hash or a token digest (MikroORM and
 * knex write `<sql> - <driver message>`); only the driver's message is kept, in the stack too.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const driver = error as Error & { code?: unknown; sqlState?: unknown; sqlMessage?: unknown };
  let message = error.message;
  const fromDatabase =
    driver.sqlState !== undefined || driver.sqlMessage !== undefined || /^(insert|update|delete|select|with)\s/i.test(message);
  if (fromDatabase) {
    const cut = message.lastIndexOf(' - ');
    message = typeof driver.sqlMessage === 'string' ? driver.sqlMessage : cut >= 0 ? message.slice(cut + 3) : 'database error';
  }
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type: error.name,
    message,
    ...(typeof driver.code === 'string' || typeof driver.code === 'number' ? { code: driver.code } : {}),
    stack: [`${error.name}: ${message}`, ...frames].join('\n'),
  };
}
