import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { AnswerCache, type AnswerCacheOptions } from './answer-cache';
import type { MikroORM } from '@mikro-orm/core';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Principal } from '../auth/policy';
// The `clientIp` property of Context is declared there.
import type {} from '../auth/rate-limit';
import { createContext, type AppServices, type Context } from '../context';
import { ErrorCode, unauthenticated } from '../errors';
import { currentLocale, localeFromHeader, requestScope, t } from '../i18n';
import { getSchema } from '../graphql/schema';
import { loadPrincipal } from '../auth/principal';
import { loadScreenPrincipal } from '../auth/principal';
import { SCREEN_TOKEN_PREFIX } from '../modules/screens/screen-secret';
import { DEFAULT_LIMITS, type OperationLimits } from '../graphql/limits';
import { refuseSlowly, WORK_UNITS, workSubject, type WorkBudgets } from '../graphql/work-budget';
import { OperationPipeline } from '../graphql/pipeline';
import { apolloObserver, metricsEndpoint, requestLogger } from '../observability/http';
import type { Readiness } from '../observability/readiness';
import { uploadRouter } from '../modules/monev/uploads.router';
import { sheetRouter } from '../modules/sheets/sheets.router';
import { reportRouter } from '../modules/reports/reports.router';
import { IMPORT_CONTENT_TYPES, importRouter } from '../modules/sheets/import.router';
import type { BlobStorage } from '../modules/monev/blob-store';
import { UploadSlots, uploadGate, type UploadConcurrency, type UploadGateOptions } from './upload-gate';

/** A report (HTML, XLSX or evidence pack) costs as much work as this many operations. */
const WORK_UNITS_PER_REPORT = 10;

/** The largest request body accepted; larger ones answer 413. */
export const BODY_LIMIT_BYTES = 1_048_576;

/** Options for the HTTP app. */
export interface AppOptions {
  orm: MikroORM;
  services: AppServices;
  production: boolean;
  introspection: boolean;
  playground: boolean;
  /** Limits on one GraphQL operation (default: DEFAULT_LIMITS). */
  limits?: OperationLimits;
  /** Express `trust proxy` (default: loopback): whose `X-Forwarded-For` gives the client address. */
  trustProxy?: boolean | number | string[];
  /** Folder of the built playground (default: playground/dist beside the package). */
  playgroundDir?: string;
  /** Folder of the built dashboard (default: dashboard/dist beside the package). */
  dashboardDir?: string;
  /** Writes server-side error details (default: console.error). */
  logError?: (message: string, error: unknown) => void;
  /** The operation pipeline shared with the WebSocket endpoint (default: one built from these options). */
  pipeline?: OperationPipeline;
  /** What /readyz answers and whether new requests are still taken (default: the database only). */
  readiness?: Readiness;
  /** `METRICS_TOKEN`: /metrics asks for `Authorization: Bearer <token>` (default: open). */
  metricsToken?: string | null;
  /**
   * Evidence uploads (`POST /uploads`, `GET /uploads/:id`): where files go, the size limit, how many
   * may run at once (per user and per instance) and each city's quota; absent = no upload routes.
   */
  uploads?: { storage: BlobStorage; maxBytes: number; concurrency: UploadConcurrency; cityQuotaBytes: number };
  /** Whole answers of city dashboard queries kept until the city changes (`answer-cache.ts`); false: none. */
  answers?: AnswerCacheOptions | false;
}

const packageRoot = path.resolve(__dirname, '..', '..', fs.existsSync(path.resolve(__dirname, '..', '..', 'package.json')) ? '' : '..');

/** A JSON GraphQL error response outside GraphQL execution (bad body, too large, wrong route). */
function jsonError(
  status: number,
  code: ErrorCode | string,
  message: string,
): { status: number; body: { errors: GraphQLFormattedError[] } } {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/**
 * Resolves the principal from an `Authorization: Bearer` header (a login JWT or a `pst_…` screen
 * token); null without one, UNAUTHENTICATED (HTTP 401) for a token that does not (or no longer) work.
 */
export async function principalFromHeader(header: string | undefined, services: AppServices, orm: MikroORM): Promise<Principal | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const token = match?.[1];
  const load = async (): Promise<{ principal: Principal; expiresAt: number } | null> => {
    if (!token) return null;
    if (token.startsWith(SCREEN_TOKEN_PREFIX)) {
      // A meeting-room screen: read-only, one city; unknown, revoked or archived tokens fail here.
      const screen = await loadScreenPrincipal(orm, token, services.clock());
      return screen && { principal: screen, expiresAt: Number.POSITIVE_INFINITY };
    }
    const claims = await services.tokens.verify(token);
    const user = claims && (await loadPrincipal(orm, claims));
    return user && claims ? { principal: user, expiresAt: claims.exp * 1_000 } : null;
  };
  // Verified and loaded once, then kept until a revocation drops it (auth/principal-cache.ts); while
  // revocations may be missing (pub/sub down, the revocation log not read lately) every request loads.
  const cache = services.principals ?? null;
  // Entries age by the later of the real and the app clock: a screen token is loaded again (and its
  // `lastUsedAt` noted, at most once a minute) whenever its entry is older than the cache's TTL.
  const now = Math.max(Date.now(), services.clock().getTime());
  const principal = token ? (cache ? await cache.resolve(token, load, now) : ((await load())?.principal ?? null)) : null;
  if (!principal) {
    const error = unauthenticated('invalidToken');
    (error.extensions as Record<string, unknown>).http = { status: 401 };
    throw error;
  }
  return principal;
}

/** A loopback host with an optional port, and nothing else (`localhost:4000@elsewhere` is not one). */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * The origin a link may start with when `PUBLIC_URL` is unset: the request's own (`http://localhost:4000`),
 * only outside production and only when its host is a loopback name or address, so the embedded
 * default hands out links that work on the machine it runs on. Anything else is undefined and
 * links are paths (`/dashboard/#…`): a Host (or X-Forwarded-Host) header is the client's to
 * choose, and a link built from it could lead whoever opens it anywhere.
 */
export function loopbackOrigin(req: { protocol: string; host: string | undefined }, production: boolean): string | undefined {
  if (production || !req.host || !LOOPBACK_HOST.test(req.host)) return undefined;
  return `${req.protocol === 'https' ? 'https' : 'http'}://${req.host.toLowerCase()}`;
}

/**
 * The client address of any request the HTTP server sees (a WebSocket upgrade too), exactly as
 * Express's `req.ip` gives it: the socket's address, or `X-Forwarded-For` only as far as the
 * proxies `TRUST_PROXY` trusts (Express's own compiled `trust proxy` function and getter).
 */
export function clientAddress(app: Express, req: IncomingMessage): string | undefined {
  const view = Object.create(app.request, {
    app: { value: app },
    headers: { value: req.headers },
    socket: { value: req.socket },
    connection: { value: req.socket },
  }) as { ip?: string };
  return view.ip;
}

/**
 * Spends `units` of `subject`'s work budget and waits for its turn among the subject's operations,
 * held until the response is done (or the client gone); throws the refusal (RATE_LIMITED, 429)
 * after `REFUSAL_DELAY_MS`.
 */
async function takeTurn(work: WorkBudgets, subject: string, res: Response, units: number = WORK_UNITS.operation): Promise<void> {
  const refused = work.trySpend(subject, units);
  if (refused) return refuseSlowly(refused);
  const release = await work.enter(subject).catch(refuseSlowly);
  // A client gone while it waited: its place is given back at once.
  if (res.closed) release();
  else res.once('close', release);
}

// Headers for every response. The API answers JSON only, so its CSP forbids everything; the
// playground (GraphiQL 5 + Monaco, all bundled and served from here) gets only 'self', the inline
// styles Monaco and React write, and workers from 'self' or blob:.
const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
/** Content-Security-Policy of the JSON API (and anything else that is not a page). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Content-Security-Policy of the playground and dashboard pages. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Builds the Express app: /graphql, /playground, /dashboard, /healthz, /readyz, /metrics. */
export async function createApp(
  options: AppOptions,
): Promise<{ app: Express; apollo: ApolloServer<Context>; answers: AnswerCache | null }> {
  const { orm, services, production } = options;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const schema = await getSchema();
  const pipeline =
    options.pipeline ??
    new OperationPipeline({ schema, limits: options.limits ?? DEFAULT_LIMITS, production, introspection: options.introspection, logError });
  // Parse options, validation rules, the introspection switch, pricing with variables, the
  // execution budget and error formatting all come from the pipeline that WebSocket operations
  // use too (server/graphql/pipeline.ts); Apollo answers failures before execution with 400.
  const { plugins: pipelinePlugins, ...pipelineOptions } = pipeline.apolloOptions();
  const answers = options.answers === false ? null : new AnswerCache(schema, orm, options.answers, services.observe?.metrics);
  // The observer first: it names the request's operation even when the pipeline's plugin refuses it.
  // The answer cache last: it answers only operations the pipeline has admitted.
  const plugins: ApolloServerPlugin<Context>[] = [
    apolloObserver<Context>(),
    ApolloServerPluginLandingPageDisabled(),
    ...pipelinePlugins,
    ...(answers ? [answers.plugin()] : []),
  ];
  const apollo = new ApolloServer<Context>({
    schema,
    plugins,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Our own shutdown (server/main.ts) handles SIGTERM/SIGINT. Outside NODE_ENV=test Apollo would
    // add handlers that stop Apollo and then re-send the signal, killing the process before the
    // sockets' 1012, the in-flight requests and the database close (exit by signal, not 0).
    stopOnTerminationSignals: false,
    ...pipelineOptions,
    // Client errors need no stack; an INTERNAL error carries its message as `detail` outside production.
    includeStacktraceInErrorResponses: false,
    ...(services.observe ? { logger: services.observe.log.child({ component: 'apollo' }) } : {}),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // No ETag on API answers (a hash of every GraphQL body, which no client revalidates); static files have their own.
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy ?? 'loopback');

  // One log line and the metrics of every request (server/observability/http.ts).
  if (services.observe) app.use(requestLogger(services.observe.log, services.observe.metrics));

  app.use((req, res, next) => {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', /^\/(playground|dashboard)(\/|$)/.test(req.path) ? PAGE_CSP : API_CSP);
    next();
  });

  // Every request gets an id of our own and a locale, for its whole async life. The id is what the
  // response's X-Request-Id, the log line and the audit rows carry; a client's X-Request-Id is
  // only logged beside it (`clientReqId`), never taken for it.
  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    requestScope.run({ requestId, locale: localeFromHeader(req.header('accept-language')) }, () => next());
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    // Database, migrations and pub/sub (server/observability/readiness.ts). Pub/sub down is a
    // degradation (200) unless READY_REQUIRES_REDIS: writes and reads work, live updates poll the outbox.
    if (options.readiness) {
      const { ready, report } = await options.readiness.check();
      res.status(ready ? 200 : 503).json(report);
      return;
    }
    const database = await orm.isConnected().catch(() => false);
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'not_ready', checks: { database: database ? 'ok' : 'down' } });
  });
  if (services.observe) app.get('/metrics', metricsEndpoint(services.observe.metrics, options.metricsToken ?? null));

  // Shutting down: no new work once the in-flight requests are being drained (probes still answer).
  app.use((_req, res, next) => {
    if (!options.readiness?.isDraining) return next();
    res.setHeader('Connection', 'close');
    res.setHeader('Retry-After', '1');
    const { status, body } = jsonError(503, ErrorCode.UNAVAILABLE, t('shuttingDown'));
    res.status(status).json(body);
  });

  if (options.playground) {
    const dir = options.playgroundDir ?? path.join(packageRoot, 'playground', 'dist');
    app.use('/playground', express.static(dir, { index: 'index.html', fallthrough: true }));
    app.get(/^\/playground(\/.*)?$/, (_req, res) => {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Playground belum dibangun: jalankan `npm run build`.\nThe playground is not built: run `npm run build`.\n');
    });
  }
  app.use(
    '/dashboard',
    express.static(options.dashboardDir ?? path.join(packageRoot, 'dashboard', 'dist'), { index: 'index.html', fallthrough: true }),
  );
  app.get(/^\/dashboard(\/.*)?$/, (_req, res) => {
    res
      .status(503)
      .type('text/plain; charset=utf-8')
      .send('Layar belum dibangun: jalankan `npm run build`.\nThe dashboard is not built: run `npm run build`.\n');
  });
  app.get('/', (_req, res) => {
    res.redirect(options.playground ? '/playground/' : '/dashboard/');
  });

  if (options.uploads) {
    const resolvePrincipal = (header: string | undefined) => principalFromHeader(header, services, orm);
    // One gate (and one count of uploads in flight) for every route that takes a file as its body.
    const work = services.work;
    const gateOptions: UploadGateOptions = {
      resolvePrincipal,
      slots: new UploadSlots(options.uploads.concurrency),
      maxBytes: options.uploads.maxBytes,
      ...(work
        ? {
            charge: (principal, req, res, bytes) =>
              takeTurn(work, workSubject(principal, req.ip), res, WORK_UNITS.operation + Math.ceil(bytes / WORK_UNITS.uploadBytesPerUnit)),
          }
        : {}),
    };
    const gate = uploadGate(gateOptions);
    app.use('/uploads', uploadRouter({ orm, services, ...options.uploads, gate, resolvePrincipal }));
    // The import shares the uploads' slots and limits; it also takes the spreadsheet types a browser sends.
    const importGate = uploadGate({ ...gateOptions, contentType: IMPORT_CONTENT_TYPES });
    app.use(sheetRouter({ orm, resolvePrincipal }));
    app.use(
      importRouter({
        orm,
        services,
        gate: importGate,
        maxBytes: options.uploads.maxBytes,
        tmpDir: path.join(options.uploads.storage.dir, 'tmp'),
        logError,
      }),
    );
  }

  // Reports of a city (the monev report, the evidence pack): read like the city, charged as work of their subject.
  {
    const work = services.work;
    app.use(
      '/reports',
      reportRouter({
        orm,
        services,
        ...(options.uploads ? { storage: options.uploads.storage } : {}),
        resolvePrincipal: (header) => principalFromHeader(header, services, orm),
        ...(work
          ? {
              charge: (principal, req, res) =>
                takeTurn(work, workSubject(principal, req.ip), res, WORK_UNITS.operation * WORK_UNITS_PER_REPORT),
            }
          : {}),
      }),
    );
  }

  // `all`, not `use`: /graphql only, never /graphql/anything (that is a 404 like any unknown route).
  app.all(
    '/graphql',
    express.json({ limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/graphql-response+json'] }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = await principalFromHeader(req.header('authorization'), services, orm);
        // Every request, valid or not, is work of its subject (its cost is spent once it is priced),
        // and runs in its turn among the subject's operations, until its answer has gone.
        if (services.work) await takeTurn(services.work, workSubject(principal, req.ip), res);
        const scope = requestScope.getStore();
        const context = createContext({
          em: orm.em,
          principal,
          locale: scope?.locale ?? localeFromHeader(req.header('accept-language')),
          requestId: scope?.requestId ?? randomUUID(),
          services,
        });
        // The login rate limits count per client address (req.ip: X-Forwarded-For only from trusted proxies).
        if (req.ip) context.clientIp = req.ip;
        // Without PUBLIC_URL, links (a screen's dashboard URL) start here only on this machine.
        const origin = loopbackOrigin(req, production);
        if (origin) context.requestOrigin = origin;
        return context;
      },
    }),
  );

  app.use((_req, res) => {
    const { status, body } = jsonError(404, ErrorCode.NOT_FOUND, t('routeNotFound'));
    res.status(status).json(body);
  });

  // Body parser failures and anything else thrown outside GraphQL: JSON, never an HTML page.
  const onError: ErrorRequestHandler = (error: unknown, req: IncomingMessage & { path?: string }, res, _next) => {
    const type = (error as { type?: string }).type;
    const status = (error as { status?: number }).status;
    let reply;
    if (type === 'entity.too.large' || status === 413) {
      reply = jsonError(
        413,
        ErrorCode.BAD_USER_INPUT,
        currentLocale() === 'en' ? 'The request body is too large (at most 1 MB).' : 'Isi permintaan terlalu besar (maksimal 1 MB).',
      );
    } else if (type === 'entity.parse.failed') {
      reply = jsonError(
        400,
        ErrorCode.BAD_USER_INPUT,
        currentLocale() === 'en' ? 'The request body is not valid JSON.' : 'Isi permintaan bukan JSON yang sah.',
      );
    } else if (status && status >= 400 && status < 500) {
      reply = jsonError(status, ErrorCode.BAD_USER_INPUT, (error as Error).message);
    } else {
      logError(`Unhandled error on ${req.method} ${req.url}`, error);
      reply = jsonError(500, ErrorCode.INTERNAL, t('internal'));
    }
    res.status(reply.status).json(reply.body);
  };
  app.use(onError);
  return { app, apollo, answers };
}
