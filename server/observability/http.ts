// What the HTTP side tells an operator: one log line and the metrics of every request, the
// GraphQL details (operation, user, city, error codes) gathered on the way by an Apollo plugin,
// and the /metrics endpoint.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Kind, type DocumentNode, type OperationDefinitionNode, type ValueNode, getOperationAST } from 'graphql';
import { t } from '../i18n';
import type { Logger } from './logger';
import type { Metrics, OperationType, Outcome } from './metrics';

/** What the log line of one request says beyond HTTP; filled while the request runs. */
interface RequestRecord {
  operationName: string | null;
  type: OperationType;
  /** Root fields of the operation (the schema's names). */
  fields: string[];
  user: string | null;
  city: string | null;
  /** `extensions.code` of every error answered. */
  codes: string[];
}

const records = new AsyncLocalStorage<RequestRecord>();

/** What the plugin reads of a context (the shape of `Context`, named apart so this file imports none of it). */
interface Viewer {
  principal?: { userId: string; cityId: string | null } | null;
}

const ID_LIKE = /^[\w-]{1,64}$/;
/** A client's X-Request-Id worth logging beside ours: 1–64 letters, digits, `_ . -`. */
const CLIENT_REQUEST_ID = /^[\w.-]{1,64}$/;
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** A request's route as a label: one of a few names. */
function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (PROBES.has(path)) return path.slice(1);
  const first = /^\/(dashboard|playground|uploads|imports|reports)(\/|$)/.exec(path)?.[1];
  return first ?? (path === '/' ? 'root' : 'other');
}

/**
 * The path the client asked for, without the query string: `originalUrl`, since a router mounted
 * at `/uploads` leaves `req.path` as the rest of it (`/<id>`).
 */
function pathOf(req: { originalUrl?: string; url: string }): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function outcomeOf(status: number, codes: readonly string[]): Outcome {
  if (status >= 500 || codes.includes('INTERNAL')) return 'server_error';
  if (status >= 400 || codes.length > 0) return 'client_error';
  return 'ok';
}

/**
 * The type, root fields and city of an operation. The city is the `cityId` argument of a root field
 * (or the `id` of `city`), when it is an id — a literal or a variable's value; no other value of
 * the request is read.
 */
export function describeOperation(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): { type: OperationType; fields: string[]; city: string | null } {
  const fields: string[] = [];
  let city: string | null = null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    fields.push(selection.name.value);
    const arg = selection.arguments?.find((a) => a.name.value === 'cityId' || (selection.name.value === 'city' && a.name.value === 'id'));
    const value = arg ? valueOf(arg.value, variables ?? {}) : null;
    if (city === null && typeof value === 'string' && ID_LIKE.test(value)) city = value;
  }
  return { type: operation.operation, fields, city };
}

/** The root field of a document's operation, for a label: its name when it has exactly one, else null. */
export function rootFieldOf(document: DocumentNode, operationName?: string | null): string | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  const fields = operation ? describeOperation(operation, null).fields : [];
  return fields.length === 1 ? fields[0]! : null;
}

function valueOf(node: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return node.kind === Kind.STRING ? node.value : null;
}

/** Notes an error answered with `code` in the current request's log line (no-op outside an HTTP request). */
export function noteErrorCode(code: string): void {
  records.getStore()?.codes.push(code);
}

/**
 * Express middleware, first in the chain: when the response is done (or the client went away),
 * one JSON log line — request id (ours; a sane client X-Request-Id beside it as `clientReqId`),
 * method, path as the client sent it (never the query string), status, duration, and for /graphql
 * the operation, user, city, outcome and error codes — and the request metrics. Probes (/healthz,
 * /readyz, /metrics) log at `debug`.
 */
export function requestLogger(log: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const record: RequestRecord = { operationName: null, type: 'unknown', fields: [], user: null, city: null, codes: [] };
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = pathOf(req);
      const route = routeOf(path);
      const status = res.statusCode;
      metrics.httpRequest(route, status);
      const line: Record<string, unknown> = {
        reqId: res.getHeader('x-request-id'),
        method: req.method,
        path: path.slice(0, 200),
        status,
        ms: Math.round(seconds * 10_000) / 10,
      };
      const clientId = req.header('x-request-id');
      if (clientId && CLIENT_REQUEST_ID.test(clientId)) line.clientReqId = clientId;
      if (!res.writableFinished) line.aborted = true;
      if (route === 'graphql') {
        const operation =
          record.fields.length === 1 ? metrics.operation(record.fields[0]) : record.fields.length > 1 ? 'multiple' : 'other';
        const outcome = outcomeOf(status, record.codes);
        metrics.graphqlRequest(record.type, operation, outcome, seconds);
        Object.assign(line, {
          op: record.operationName,
          opType: record.type,
          fields: record.fields,
          user: record.user,
          city: record.city,
          outcome,
          codes: record.codes,
        });
      }
      if (PROBES.has(path)) log.debug(line, 'request');
      else log.info(line, 'request');
    });
    records.run(record, () => next());
  };
}

/** The Apollo plugin that fills the request's log line: who asks, which operation, which city. */
export function apolloObserver<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    requestDidStart: async ({ contextValue, request }) => {
      const record = records.getStore();
      if (!record) return;
      const principal = (contextValue as Viewer).principal;
      record.user = principal?.userId ?? null;
      record.city = principal?.cityId ?? null;
      const name = request.operationName;
      record.operationName = typeof name === 'string' && name.length > 0 ? name.slice(0, 100) : null;
      return {
        didResolveOperation: async ({ operation }) => {
          if (!operation) return;
          const described = describeOperation(operation, request.variables);
          record.type = described.type;
          record.fields = described.fields.slice(0, 20);
          record.city = described.city ?? record.city;
          record.operationName ??= operation.name?.value ?? null;
        },
      };
    },
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics: the Prometheus text. With `token` (`METRICS_TOKEN`), only with `Authorization:
 * Bearer <token>` (compared in constant time); anything else is 401.
 */
export function metricsEndpoint(metrics: Metrics, token: string | null): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, res, next) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.header('authorization')?.trim() ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res
          .status(401)
          .json({ errors: [{ message: t(given ? 'invalidToken' : 'unauthenticated'), extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
    }
    metrics.render().then((text) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(metrics.contentType).send(text);
    }, next);
  };
}
