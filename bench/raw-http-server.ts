/**
 * Baseline R: the limit of Node's HTTP stack for the hot routes, a raw `node:http` server that
 * reads the body, parses it as JSON and answers what tollgate answers, byte for byte in size: an
 * ingest body gets `{ results: [{ id, status: 'accepted' }] }` for its events, any other body the
 * answer given in `RAW_ANSWER` (a real verification answer, taken by the bench). Both answers carry
 * an `x-request-id` header like tollgate's. No framework, no routing, no storage.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const canned = process.env.RAW_ANSWER ?? JSON.stringify({ ok: true });
// Request ids of tollgate's length (36 characters), made as cheaply.
const prefix = `req_${randomBytes(8).toString('hex')}`;
let next = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: { id: string }[] };
    const out = body.events
      ? JSON.stringify({ results: body.events.map((e) => ({ id: e.id, status: 'accepted' })) })
      : canned;
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(out),
      'x-request-id': prefix + (next++).toString(16).padStart(16, '0'),
    });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
