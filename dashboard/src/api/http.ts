// GraphQL over HTTP POST to /graphql on the page's own origin, with the bearer token and language.
import type { Lang } from '../i18n';
import type { Doc } from './document';

/** Why a request failed: the token no longer works, the server is unreachable, or it answered an error. */
export type FailureKind = 'unauthenticated' | 'network' | 'graphql';

/** A failed GraphQL request; `kind` says what the screen should do about it. */
export class RequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly code?: string,
    /** The error's `extensions` (e.g. `field`, `expectedVersion`/`actualVersion`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/**
 * The GraphQL endpoint beside /dashboard/ on this origin (relative, so a path prefix before
 * /dashboard/ is kept).
 */
export function graphqlUrl(protocol: 'http' | 'ws' = 'http'): string {
  const url = new URL('../graphql', new URL('.', location.href));
  return protocol === 'ws' ? url.toString().replace(/^http/, 'ws') : url.toString();
}

/** An address under /uploads beside /dashboard/ (evidence files; relative, like `graphqlUrl`). */
export function uploadsUrl(rest = ''): string {
  return new URL(`../uploads${rest}`, new URL('.', location.href)).toString();
}

/** An address under /reports beside /dashboard/ (the monev report, the evidence pack; relative, like `graphqlUrl`). */
export function reportsUrl(rest = ''): string {
  return new URL(`../reports${rest}`, new URL('.', location.href)).toString();
}

/** Options of one request. */
export interface RequestOptions {
  token: string | null;
  lang: Lang;
  /** Abort after this long (default 15 s). */
  timeoutMs?: number;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** Runs one operation; resolves to its data (typed by the document) or rejects with a RequestError. */
export async function request<R, V>(query: Doc<R, V>, variables: V, options: RequestOptions): Promise<R>;
/** An untyped document (a desk page not yet converted to `graphql()`): the caller names what it answers. */
export async function request<T>(query: string, variables: Record<string, unknown>, options: RequestOptions): Promise<T>;
export async function request<T>(query: string, variables: unknown, { token, lang, timeoutMs = 15_000 }: RequestOptions): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'accept-language': lang === 'en' ? 'en-GB,en' : 'id-ID,id',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new RequestError('network', error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    // Every request leaves a resource-timing entry; a screen that refetches all day would fill the
    // browser's buffer (250 entries) for nothing. Nobody reads them here.
    performance.clearResourceTimings?.();
  }
  const body = (await response.json().catch(() => null)) as GraphQLResponse<T> | null;
  const first = body?.errors?.[0];
  const code = first?.extensions?.code;
  if (response.status === 401 || code === 'UNAUTHENTICATED')
    throw new RequestError('unauthenticated', first?.message ?? 'Unauthenticated', code);
  if (first) throw new RequestError('graphql', first.message ?? 'GraphQL error', code, first.extensions ?? {});
  if (!response.ok || !body?.data)
    throw new RequestError(response.status >= 500 || !body ? 'network' : 'graphql', `HTTP ${response.status}`);
  return body.data;
}
