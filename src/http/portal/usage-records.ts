import type { Engine } from '../../core/engine.ts';
import { HOUR_MS, isoUtc } from '../../core/kernel/time.ts';
import type { RecordView } from '../../core/usage/index.ts';

/** Where the next (older) page of newest-first records starts: just before this record. */
export interface Before {
  timestampMs: number;
  id: string;
}

export const encodeBefore = (r: Before): string =>
  Buffer.from(`${r.timestampMs}:${r.id}`).toString('base64url');

export function decodeBefore(text: string | undefined): Before | null {
  if (!text) return null;
  const plain = Buffer.from(text, 'base64url').toString();
  const at = plain.indexOf(':');
  const ms = Number(plain.slice(0, at));
  return at > 0 && Number.isSafeInteger(ms) ? { timestampMs: ms, id: plain.slice(at + 1) } : null;
}

/**
 * A page of an account's records, newest first, for the portal: one bounded read backwards from
 * `before` (the storage walks the account's index in reverse), whatever the hour holds.
 * @example await newestRecords(engine, { accountId, fromMs, toMs }, null, 50) // { records: [newest, ...], next: 'MTc2...' }
 */
export async function newestRecords(
  engine: Engine,
  q: { accountId: string; fromMs: number; toMs: number },
  before: Before | null,
  limit: number,
): Promise<{ records: RecordView[]; next: string | null; error?: { code: string; message: string } }> {
  const page = await engine.usage.records({
    accountId: q.accountId,
    from: isoUtc(q.fromMs),
    to: isoUtc(q.toMs),
    limit: String(limit),
    newestFirst: true,
    ...(before ? { cursor: encodeBefore(before) } : {}),
  });
  if (!page.ok) return { records: [], next: null, error: page };
  return { records: page.value.records, next: page.value.nextCursor };
}

/** The hour buckets of [fromMs, toMs) or the UTC days of it: every one, those without usage too. */
export function bucketStarts(fromMs: number, toMs: number, granularity: 'hour' | 'day'): number[] {
  const step = granularity === 'hour' ? HOUR_MS : 24 * HOUR_MS;
  const out: number[] = [];
  for (let t = fromMs; t < toMs && out.length < 24 * 400; t += step) out.push(t);
  return out;
}
