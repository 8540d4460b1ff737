import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/core';
import { hashPassword } from './auth/passwords';
import { connectionErrors, createLoginRateLimiter } from './auth/rate-limit';
import { PrincipalCache } from './auth/principal-cache';
import { resolveJwtSecret, TokenService } from './auth/tokens';
import { createContext, type AppServices } from './context';
import { migrate, withSchemaLock } from './db/migrate';
import { databaseTarget, openOrm, type DatabaseTarget, type QueryListener } from './db/orm';
import { seedDemo } from './db/seed/demo';
import type { Settings } from './env';
import type { AnswerCacheOptions } from './http/answer-cache';
import { clientAddress, createApp, principalFromHeader } from './http/app';
import { answerClientErrors } from './http/client-error';
import { OperationPipeline } from './graphql/pipeline';
import { WorkBudgets } from './graphql/work-budget';
import { AppError, ErrorCode } from './errors';
import { EventBus } from './events/bus';
import { LateWatcher } from './modules/action-plans/late-watcher';
import { MemoryPubSub, RedisPubSub, type PubSub } from './events/pubsub';
import { EVERY_SUBJECT } from './events/topics';
import { attachWebSocket, type WebSocketEndpoint } from './realtime/ws';
import { SharedSubscriptions } from './realtime/shared';
import { LiveService } from './modules/live/live.service';
import { getSchema } from './graphql/schema';
import { startupText } from './startup';
import { requestScope } from './i18n';
import { createObservability, type Observability } from './observability';
import type { LogDestination } from './observability/logger';
import { Readiness } from './observability/readiness';
import { City } from './modules/cities/city.entity';
import { Role, User } from './modules/users/user.entity';
import { todayIn } from './util/dates';
import { ensureTagCatalogs } from './modules/tags/catalogs';

/** A running Pantau instance. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  orm: MikroORM;
  services: AppServices;
  target: DatabaseTarget;
  /** The WebSocket endpoint (open sockets, unsent bytes: tests and the benchmark). */
  webSocket: WebSocketEndpoint;
  /** The runtime log and the metrics. */
  observe: Observability;
  /**
   * The graceful shutdown (SIGTERM): /readyz answers 503 at once; after `SHUTDOWN_READY_DELAY_SECONDS`
   * (still serving, so the load balancer notices) no new connection or request is accepted, every
   * socket is closed with 1012 (waiting for the close frames) while in-flight HTTP requests finish
   * (at most `SHUTDOWN_GRACE_SECONDS`); then pending publishes go out and the database closes.
   */
  close(): Promise<void>;
}

/** Extra knobs for tests and tools. */
export interface StartOptions {
  /** Pin the clock (tests). */
  clock?: () => Date;
  /** Sees every SQL statement (tests count them). */
  onQuery?: QueryListener;
  /** Quiet logging (tests): no start lines, and the runtime log is silent unless `logDestination` is given. */
  quiet?: boolean;
  /** Where the runtime log goes instead of stdout, at `LOG_LEVEL` (tests read it). */
  logDestination?: LogDestination;
  /** Live-update timings (tests shorten them). */
  realtime?: { coalesceMs?: number; pollHealthyMs?: number; recheckMs?: number; keepAliveMs?: number };
  /** The answer cache's bounds (tests shrink them). */
  answers?: AnswerCacheOptions;
}

/**
 * Prepares the database (migrations, bootstrap admin, demo seed: under one lock shared by every
 * instance, so instances starting together don't collide).
 */
export async function prepareDatabase(
  orm: MikroORM,
  target: DatabaseTarget,
  settings: Settings,
  clock: () => Date,
  log: (m: string) => void,
): Promise<void> {
  await withSchemaLock(target, async () => {
    const applied = await migrate(orm);
    if (applied.length > 0) log(startupText('migrations', { names: applied.join(', ') }, settings.lang));
    const em = orm.em.fork();
    await ensureTagCatalogs(em);
    if (settings.bootstrapAdmin && !(await em.findOne(User, { email: settings.bootstrapAdmin.email }))) {
      const admin = new User(
        settings.bootstrapAdmin.email,
        'Administrator',
        await hashPassword(settings.bootstrapAdmin.password),
        Role.PLATFORM_ADMIN,
      );
      await em.persistAndFlush(admin);
      log(startupText('adminCreated', { email: admin.email }, settings.lang));
    }
    if (settings.demo && (await em.count(City, {})) === 0) {
      const now = clock();
      const result = await em.transactional((tx) => seedDemo(tx, { today: todayIn('Asia/Jakarta', now), now }));
      log(
        startupText(
          'seeded',
          { cities: result.cities, plans: result.actionPlans, reports: result.progressReports, users: result.users },
          settings.lang,
        ),
      );
    }
  });
}

/** Starts Pantau with the given settings: database, migrations, seed, HTTP. */
export async function startServer(settings: Settings, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? (() => new Date());
  // Start lines stay plain text for people; everything while running is a JSON line (observability/).
  const log = options.quiet ? () => {} : (m: string) => console.log(`[pantau] ${m}`);
  const observe = createObservability(options.quiet && !options.logDestination ? 'silent' : settings.logLevel, options.logDestination);
  const warn = (m: string) => observe.log.warn(m);
  const logError = (message: string, error: unknown) =>
    observe.log.error({ err: error, reqId: requestScope.getStore()?.requestId }, message);
  const target = databaseTarget(settings.databaseUrl, settings.dataDir);
  const secret = await resolveJwtSecret(settings.jwtSecret, settings.dataDir);
  const loginLimiter = createLoginRateLimiter(settings, warn);
  const services: AppServices = {
    tokens: new TokenService(secret, settings.jwtTtlSeconds),
    clock,
    loginLimiter,
    observe,
    work: new WorkBudgets(settings.workBudget),
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
  };
  const pubsub: PubSub = settings.redisUrl ? new RedisPubSub(settings.redisUrl, warn, settings.redisKeyPrefix) : new MemoryPubSub();
  let orm: MikroORM;
  try {
    orm = await openOrm(target, options.onQuery, { createDatabase: settings.createDatabase });
    if (pubsub instanceof RedisPubSub) await pubsub.connect();
  } catch (error) {
    await loginLimiter.close();
    await pubsub.close();
    throw error;
  }
  const bus = new EventBus(orm, pubsub, {
    log: warn,
    metrics: observe.metrics,
    revocationBoundMs: settings.authRevocationMs,
    ...(options.realtime?.pollHealthyMs ? { pollHealthyMs: options.realtime.pollHealthyMs } : {}),
  });
  observe.metrics.feedBehindFrom(() => bus.behind());
  const live = new LiveService(
    bus,
    ({ principal, locale, requestId }) => createContext({ em: orm.em, principal, locale, requestId, services }),
    new SharedSubscriptions(),
    warn,
    {
      maxReplay: settings.live.maxReplay,
      ...(options.realtime?.coalesceMs === undefined ? {} : { coalesceMs: options.realtime.coalesceMs }),
    },
  );
  services.events = bus;
  services.live = live;
  // Tokens are verified and loaded once; every instance drops a subject's entries when its
  // revocation reaches it (its own write, pub/sub or the revocation log), and everything when pub/sub
  // comes back. Entries are served only while pub/sub is up and the log was read within
  // AUTH_REVOCATION_SECONDS: that is the worst case, whatever Redis does. Both listeners end with
  // the bus, which closes the pub/sub.
  if (settings.authCacheMs > 0) {
    const principals = new PrincipalCache({
      ttlMs: settings.authCacheMs,
      trusted: () => bus.healthy && bus.revocations.confirmed,
    });
    services.principals = principals;
    await bus.onRevocation((subject) => (subject === EVERY_SUBJECT ? principals.clear() : principals.invalidate(subject)));
    pubsub.onHealth((healthy) => {
      if (healthy) principals.clear();
    });
  }
  const lateWatcher = new LateWatcher(orm, bus, clock, warn);
  try {
    await prepareDatabase(orm, target, settings, clock, log);
    // Several instances (Redis) or a principal cache: read the revocation log, which brings what
    // pub/sub did not (the embedded single instance hears its own writes directly).
    if (settings.redisUrl || settings.authCacheMs > 0) await bus.revocations.start();
    // Only once the schema exists.
    if (settings.lateCheckSeconds > 0) lateWatcher.start(settings.lateCheckSeconds * 1_000);
    const schema = await getSchema();
    // One pipeline for HTTP and WebSocket operations: the same rules, limits and error formatting.
    const pipeline = new OperationPipeline({
      schema,
      limits: settings.limits,
      production: settings.production,
      introspection: settings.introspection,
      logError,
      onErrorCode: (code) => observe.errorAnswered(code),
    });
    const readiness = new Readiness({ orm, pubsub: settings.redisUrl ? bus : null, requireRedis: settings.readyRequiresRedis });
    const { app, apollo } = await createApp({
      orm,
      services,
      production: settings.production,
      introspection: settings.introspection,
      playground: settings.playground,
      limits: settings.limits,
      trustProxy: settings.trustProxy,
      pipeline,
      logError,
      readiness,
      metricsToken: settings.metricsToken,
      // PostgreSQL keeps evidence files in the database (every instance sees them); SQLite on disk.
      uploads: {
        maxBytes: settings.uploadMaxBytes,
        concurrency: { perUser: settings.uploadMaxConcurrentPerUser, perInstance: settings.uploadMaxConcurrent },
        cityQuotaBytes: settings.uploadCityQuotaBytes,
        storage: { inDatabase: target.dialect === 'postgres', dir: path.join(settings.dataDir, 'uploads') },
      },
      ...(options.answers ? { answers: options.answers } : {}),
    });
    const server = http.createServer(app);
    server.headersTimeout = 30_000;
    server.requestTimeout = 60_000;
    answerClientErrors(server);
    const ws = attachWebSocket(server, {
      schema,
      orm,
      services,
      pipeline,
      // An invalid token is null (the socket closes); a database hiccup throws, and the socket stays.
      authenticate: (authorization) =>
        principalFromHeader(authorization, services, orm).catch((error: unknown) => {
          if (error instanceof AppError && error.extensions.code === ErrorCode.UNAUTHENTICATED) return null;
          throw error;
        }),
      recheckMs: options.realtime?.recheckMs ?? settings.live.recheckMs,
      ...(options.realtime?.keepAliveMs ? { keepAliveMs: options.realtime.keepAliveMs } : {}),
      maxSocketsPerSubject: settings.live.maxSocketsPerSubject,
      maxUnauthenticatedPerAddress: settings.live.maxUnauthenticatedPerAddress,
      // With Redis the sockets of a user or screen token are counted across instances.
      ...(settings.redisUrl
        ? { redis: { url: settings.redisUrl, keyPrefix: settings.redisKeyPrefix, onError: connectionErrors(settings.redisUrl, warn) } }
        : {}),
      maxBufferedBytes: settings.live.maxBufferedBytes,
      slowConsumerMs: settings.live.slowConsumerMs,
      directWrites: settings.live.directWrites,
      // Login over the socket counts against the socket's client address, as over HTTP.
      clientAddress: (request) => clientAddress(app, request),
      log: warn,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    let closing: Promise<void> | null = null;
    return {
      url,
      orm,
      services,
      target,
      webSocket: ws,
      observe,
      close() {
        closing ??= (async () => {
          const { readyDelayMs, graceMs } = settings.shutdown;
          // 1. Deregister: /readyz answers 503 while everything is still served, for the load balancer to notice.
          readiness.stop();
          observe.log.info({ readyDelayMs, graceMs }, 'shutdown: not ready');
          if (readyDelayMs > 0) await new Promise((r) => setTimeout(r, readyDelayMs));
          // 2. No new connections or requests; idle keep-alive connections close now, busy ones after their response.
          readiness.drain();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          const sweep = setInterval(() => server.closeIdleConnections(), 100);
          const grace = setTimeout(() => {
            observe.log.warn({ graceMs }, 'shutdown: grace period over, cutting the requests still running');
            server.closeAllConnections();
          }, graceMs);
          // 3. Sockets closed with 1012 (their screens reconnect elsewhere at once) while the in-flight requests finish.
          await Promise.all([ws.close(), closed]);
          clearInterval(sweep);
          clearTimeout(grace);
          // 4. Then the work behind them: pending publishes go out, pub/sub and the database close.
          await apollo.stop();
          await lateWatcher.stop();
          await live.close();
          await bus.close();
          await loginLimiter.close();
          await orm.close(true);
          observe.log.info('shutdown: done');
        })();
        return closing;
      },
    };
  } catch (error) {
    await lateWatcher.stop();
    await live.close();
    await bus.close();
    await loginLimiter.close();
    await orm.close(true);
    throw error;
  }
}
