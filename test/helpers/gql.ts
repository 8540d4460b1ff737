/** A GraphQL response as the tests read it. */
export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[] | undefined;
}

/** Posts one GraphQL operation over real HTTP. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GqlResult['errors'] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The data of a response that must have no errors. */
export async function ok<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const r = await gql<T>(url, query, variables, token);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  if (!r.data) throw new Error(`No data (HTTP ${r.status})`);
  return r.data;
}

/** The first error's code of a response that must fail. */
export function codeOf(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code as string | undefined;
}

/** Logs a demo user in (password `pantau-demo`) and returns the token. */
export async function login(url: string, email: string, password = 'pantau-demo'): Promise<string> {
  const data = await ok<{ login: { token: string } }>(url, 'mutation ($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password },
  });
  return data.login.token;
}
