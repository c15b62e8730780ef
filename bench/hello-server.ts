/** Baselines B and B2: Hono hello-world routes on the Node server adapter. */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/hello', (c) => c.json({ hello: 'world' }));
// Baseline B2: the least a POST route with a JSON body does (read it, parse it, answer JSON).
app.post('/echo', async (c) => c.json({ echoed: Object.keys((await c.req.json()) as object).length }));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`listening on http://127.0.0.1:${info.port}\n`);
});
