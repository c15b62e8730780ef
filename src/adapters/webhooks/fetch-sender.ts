import { createHmac } from 'node:crypto';
import type { WebhookSender } from '../../core/ports.ts';

/**
 * Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the
 * base64-decoded part of the `whsec_` secret.
 * @example sign('whsec_abc', 'evt_1', 1764160000, '{}') // 'v1,...'
 */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** Sends with fetch, a timeout per request, and never throws: a failure is an answer. */
export function fetchSender(timeoutMs = 10_000): WebhookSender {
  return {
    async send({ url, id, timestampSeconds, body, secret }) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'tollgate-webhooks/1',
            'webhook-id': id,
            'webhook-timestamp': String(timestampSeconds),
            'webhook-signature': sign(secret, id, timestampSeconds, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        return {
          ok: res.status >= 200 && res.status < 300,
          status: res.status,
          error: res.ok ? null : `HTTP ${res.status}`,
        };
      } catch (e) {
        return {
          ok: false,
          status: null,
          error: e instanceof Error ? e.message.slice(0, 200) : 'request failed',
        };
      }
    },
  };
}
