import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookSender } from '../../core/kernel/ports.ts';
import { checkPublicTarget, isPublicAddress, publicOnlyLookup } from './public-targets.ts';

/**
 * Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the
 * base64-decoded part of the `whsec_` secret.
 * @example sign('whsec_abc', 'evt_1', 1764160000, '{}') // 'v1,...'
 */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export interface SenderOptions {
  /** Per request, connection included. Default 10 s. */
  timeoutMs?: number;
  /** Refuse to connect to an address that is not public (see public-targets.ts). Default true. */
  publicTargetsOnly?: boolean;
}

/**
 * Sends with node:http(s), a timeout per request, no redirect followed, and never throws: a
 * failure is an answer. With `publicTargetsOnly` the address connected to is checked, after DNS
 * resolution, so no endpoint reaches this machine, a private network or a metadata service.
 * @example httpSender({ timeoutMs: 5_000 }).send({ url, id, timestampSeconds, body, secret })
 */
export function httpSender(options: SenderOptions = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const publicOnly = options.publicTargetsOnly ?? true;
  return {
    ...(publicOnly ? { checkTarget: checkPublicTarget } : {}),
    async send({ url, id, timestampSeconds, body, secret }) {
      const fail = (error: string) => ({ ok: false, status: null, error: error.slice(0, 200) });
      try {
        if (publicOnly) {
          // An IP literal is connected to without a lookup: checked here instead.
          const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
          if (isIP(host) && !isPublicAddress(host)) return fail((await checkPublicTarget(url)) ?? host);
        }
        const status = await post(url, body, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'tollgate-webhooks/1',
            'webhook-id': id,
            'webhook-timestamp': String(timestampSeconds),
            'webhook-signature': sign(secret, id, timestampSeconds, body),
          },
          timeoutMs,
          ...(publicOnly ? { lookup: publicOnlyLookup } : {}),
        });
        const ok = status >= 200 && status < 300;
        return { ok, status, error: ok ? null : `HTTP ${status}` };
      } catch (e) {
        return fail(e instanceof Error ? e.message : 'request failed');
      }
    },
  };
}

/** POSTs `body` and answers the status; the response body is not read. */
function post(
  url: string,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; lookup?: LookupFunction },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
      signal: AbortSignal.timeout(options.timeoutMs),
      agent: false,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', (e) =>
      reject(e.name === 'AbortError' ? new Error(`no answer within ${options.timeoutMs} ms`) : e),
    );
    req.end(body);
  });
}
