// Login against the Pantau API and attach the resulting bearer token to GraphiQL requests.
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

/** A logged-in user as remembered by the playground. */
export interface Session {
  email: string;
  token: string;
}

const SESSION_KEY = 'pantau.playground.session';

const LOGIN_MUTATION = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;

/** The GraphQL endpoint on the same origin as the playground. */
export const GRAPHQL_URL = new URL('/graphql', location.href).toString();

/** Reads the remembered session from localStorage (null if absent or malformed). */
export function loadSession(): Session | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    if (value && typeof value === 'object' && 'email' in value && 'token' in value) {
      const { email, token } = value;
      if (typeof email === 'string' && typeof token === 'string' && token) return { email, token };
    }
  } catch {
    // Corrupt entry: treat as logged out.
  }
  return null;
}

/** Remembers (or, with null, forgets) the session in localStorage. */
export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

/** Error whose message is meant to be shown to the user as is. */
export class LoginError extends Error {}

interface LoginResponse {
  data?: { login?: { token?: unknown } | null } | null;
  errors?: { message?: unknown }[];
}

/** Runs the Login mutation; resolves to the token or rejects with a LoginError (the server's message in `lang`). */
export async function login(
  email: string,
  password: string,
  messages: { networkError: string; noToken: string },
  lang: 'id' | 'en' = 'id',
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'accept-language': lang,
      },
      body: JSON.stringify({ query: LOGIN_MUTATION, operationName: 'Login', variables: { input: { email, password } } }),
    });
  } catch (error) {
    throw new LoginError(`${messages.networkError}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // GraphQL servers may answer errors with 4xx and a JSON body, so parse before checking the status.
  const body = (await response.json().catch(() => null)) as LoginResponse | null;
  const firstError = body?.errors?.[0]?.message;
  if (typeof firstError === 'string') throw new LoginError(firstError);
  if (!response.ok || !body) throw new LoginError(`${messages.networkError} (HTTP ${response.status})`);
  const token = body.data?.login?.token;
  if (typeof token !== 'string' || !token) throw new LoginError(messages.noToken);
  return token;
}

const hasAuthorization = (headers: Record<string, unknown>): boolean =>
  Object.keys(headers).some((key) => key.toLowerCase() === 'authorization');

/** The same endpoint over WebSocket (graphql-ws), for subscriptions. */
export const GRAPHQL_WS_URL = GRAPHQL_URL.replace(/^http/, 'ws');

const hasHeader = (headers: Record<string, unknown>, name: string): boolean =>
  Object.keys(headers).some((key) => key.toLowerCase() === name);

/**
 * GraphiQL fetcher for /graphql: queries and mutations over HTTP with the bearer token (unless the
 * headers editor already sets Authorization), subscriptions over graphql-ws with the token in
 * `connection_init`. Server messages follow the playground's language button, not the browser's:
 * every request carries `Accept-Language: <lang>` (unless the headers editor sets one) and the
 * socket's `connection_init` its `locale`. A new login or language gets a new WebSocket client.
 */
export function createPantauFetcher(getToken: () => string | null, getLang: () => 'id' | 'en' = () => 'id'): Fetcher {
  let current: { token: string | null; lang: string; base: Fetcher } | null = null;
  const baseFor = (token: string | null, lang: 'id' | 'en'): Fetcher => {
    if (!current || current.token !== token || current.lang !== lang) {
      current = {
        token,
        lang,
        base: createGraphiQLFetcher({
          url: GRAPHQL_URL,
          subscriptionUrl: GRAPHQL_WS_URL,
          wsConnectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), locale: lang },
        }),
      };
    }
    return current.base;
  };
  return (params, opts) => {
    const headers: Record<string, unknown> = { ...opts?.headers };
    const token = getToken();
    const lang = getLang();
    if (token && !hasAuthorization(headers)) headers['Authorization'] = `Bearer ${token}`;
    if (!hasHeader(headers, 'accept-language')) headers['Accept-Language'] = lang;
    return baseFor(token, lang)(params, { ...opts, headers });
  };
}

/**
 * Rewrites the headers-editor JSON so its Authorization header matches the token
 * (removed when token is null). Returns null when nothing needs to change or the
 * text is not plain JSON (e.g. the user is mid-edit), so the editor is left alone.
 */
export function syncAuthorizationHeader(text: string, token: string | null): string | null {
  let headers: unknown;
  try {
    headers = text.trim() ? JSON.parse(text) : {};
  } catch {
    return null;
  }
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return null;
  const entries = Object.entries(headers);
  const authKeys = entries.filter(([key]) => key.toLowerCase() === 'authorization');
  const wanted = token ? `Bearer ${token}` : null;
  const upToDate = wanted
    ? authKeys.length === 1 && authKeys[0]?.[0] === 'Authorization' && authKeys[0][1] === wanted
    : authKeys.length === 0;
  if (upToDate) return null;
  const next: Record<string, unknown> = Object.fromEntries(entries.filter(([key]) => key.toLowerCase() !== 'authorization'));
  if (wanted) next['Authorization'] = wanted;
  return Object.keys(next).length ? JSON.stringify(next, null, 2) : '';
}
