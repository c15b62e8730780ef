import createFetchClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.ts';

export type { components, paths } from './api-types.ts';

export interface ClientOptions {
  /** Where the tollgate server answers, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** An operator token (`admin`, or `ingest` / `read` for what their scopes allow). */
  token: string;
  /** Another fetch (tests, proxies); default the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed client: `client.GET(path, { params })`, `client.POST(path, { body })` -> `{ data, error, response }`. */
export type TollgateClient = Client<paths>;

/**
 * A typed client of tollgate's HTTP API, generated from its OpenAPI document (openapi-fetch).
 * Amounts stay decimal strings; a refusal comes back as `error` with the API's envelope.
 * @example
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.TOLLGATE_ADMIN_TOKEN! });
 * const { data, error } = await client.POST('/v1/accounts', { body: { name: 'Acme Films' } });
 */
export function createClient(options: ClientOptions): TollgateClient {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '')
    throw new TypeError('createClient: baseUrl is required, e.g. http://127.0.0.1:8787');
  if (typeof options.token !== 'string' || options.token === '')
    throw new TypeError('createClient: token (an operator token) is required');
  return createFetchClient<paths>({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
