import type { Engine } from '../../core/engine.ts';
import { isoUtc } from '../../core/invoices.ts';
import { HOUR_MS } from '../../core/timestamp.ts';
import type { RecordView } from '../../core/usage-views.ts';

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

const older = (r: RecordView, b: Before) =>
  r.timestampMs < b.timestampMs || (r.timestampMs === b.timestampMs && r.id < b.id);

/**
 * A page of an account's records, newest first, for the portal. The engine pages records oldest
 * first; the hourly rollup says how many events each hour holds, so only the last hours that
 * hold a page are read (oldest first, then turned around), never the whole range.
 * @example await newestRecords(engine, { accountId, fromMs, toMs }, null, 50) // { records: [newest, ...], next: 'MTc2...' }
 */
export async function newestRecords(
  engine: Engine,
  q: { accountId: string; fromMs: number; toMs: number },
  before: Before | null,
  limit: number,
): Promise<{ records: RecordView[]; next: string | null; error?: { code: string; message: string } }> {
  const endMs = Math.min(q.toMs, before ? before.timestampMs + 1 : q.toMs);
  if (endMs <= q.fromMs) return { records: [], next: null };
  const hours = await engine.usage.summary({
    accountId: q.accountId,
    from: isoUtc(q.fromMs),
    to: isoUtc(endMs),
    granularity: 'hour',
  });
  if (!hours.ok) return { records: [], next: null, error: hours };
  // Hours with events, newest first.
  const counted = hours.value
    .map((h) => ({ startMs: Date.parse(h.start), events: Number(h.events) }))
    .filter((h) => h.events > 0)
    .sort((a, b) => b.startMs - a.startMs);
  const found: RecordView[] = [];
  let windowEnd = endMs;
  let i = 0;
  // Widen the window back an hour at a time until it holds a page and one more (voided events are
  // records but not in the rollup, so a window holds at least what the rollup counts).
  while (found.length <= limit && windowEnd > q.fromMs) {
    let need = limit + 1 - found.length;
    let windowStart = q.fromMs;
    for (; i < counted.length; i++) {
      const h = counted[i]!;
      if (h.startMs >= windowEnd) continue;
      need -= h.events;
      if (need <= 0) {
        windowStart = Math.max(q.fromMs, h.startMs);
        i++;
        break;
      }
    }
    const chunk: RecordView[] = [];
    let cursor: string | undefined;
    do {
      const page = await engine.usage.records({
        accountId: q.accountId,
        from: isoUtc(windowStart),
        to: isoUtc(windowEnd),
        limit: '1000',
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) return { records: [], next: null, error: page };
      chunk.push(...page.value.records.filter((r) => !before || older(r, before)));
      cursor = page.value.nextCursor ?? undefined;
    } while (cursor);
    found.push(...chunk.reverse());
    windowEnd = windowStart;
    // Short of a page (the hour `before` cuts holds fewer than counted): the loop goes on back.
    if (windowStart === q.fromMs) break;
  }
  const records = found.slice(0, limit);
  const last = records[records.length - 1];
  return { records, next: found.length > limit && last ? encodeBefore(last) : null };
}

/** The hour buckets of [fromMs, toMs) or the UTC days of it: every one, those without usage too. */
export function bucketStarts(fromMs: number, toMs: number, granularity: 'hour' | 'day'): number[] {
  const step = granularity === 'hour' ? HOUR_MS : 24 * HOUR_MS;
  const out: number[] = [];
  for (let t = fromMs; t < toMs && out.length < 24 * 400; t += step) out.push(t);
  return out;
}
