// Logs and metrics of one instance, in one object the rest of the server is handed
// (`AppServices.observe`): logger.ts (pino), metrics.ts (prom-client), http.ts (request log line,
// /metrics), sockets.ts (socket open/close, subscriptions), readiness.ts (/readyz).
import { noteErrorCode } from './http';
import { createLogger, type LogDestination, type Logger, type LogLevel } from './logger';
import { Metrics } from './metrics';
import { SocketObserver } from './sockets';

/** The logger, the metrics and the socket observer of one instance. */
export interface Observability {
  log: Logger;
  metrics: Metrics;
  sockets: SocketObserver;
  /** An error was answered with `code` (HTTP or WebSocket): counted, and named in the request's log line. */
  errorAnswered(code: string): void;
}

/** Builds the observability of one instance: logs at `level` to stdout (or `destination`). */
export function createObservability(level: LogLevel, destination?: LogDestination): Observability {
  const log = createLogger(level, destination);
  const metrics = new Metrics();
  return {
    log,
    metrics,
    sockets: new SocketObserver(log, metrics),
    errorAnswered(code) {
      metrics.error(code);
      noteErrorCode(code);
    },
  };
}
