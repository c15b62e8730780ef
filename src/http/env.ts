/** The Hono environment of every route: what a request carries through the middleware. */
export type Env = { Variables: { requestId: string } };
