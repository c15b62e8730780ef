import { burnLots } from '../credits/index.ts';
import { formatAmount } from '../kernel/amount.ts';
import { postOrFail, SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import type { Context } from '../kernel/context.ts';
import { read } from '../kernel/context.ts';
import { RefusalSignal } from '../kernel/errors.ts';
import type { TransferInput } from '../kernel/ledger.ts';
import { startOfHour } from '../kernel/time.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { emit } from '../webhooks/index.ts';
import { postReversals } from './voids.ts';

/**
 * A run commits in chunks, so no transaction grows with the platform and the writer (ingest waits
 * on it) is never held long: the first chunk bills 100 accounts, and each next one is sized from
 * how long the last took, aiming at 20 ms, between 10 and 2,000 accounts.
 */
export const BILLING_CHUNK = { first: 100, min: 10, max: 2000, targetMs: 20 };

/** The next chunk's size from the last one's and how long it held the writer. */
export function nextChunkSize(size: number, tookMs: number): number {
  const { min, max, targetMs } = BILLING_CHUNK;
  const scaled = tookMs <= 0 ? max : Math.floor((size * targetMs) / tookMs);
  // At most doubling at a time: one fast chunk (a few accounts with little usage) is no promise.
  return Math.max(min, Math.min(max, scaled, size * 2));
}

export interface BillingRunResult {
  hours: number;
  accounts: number;
  creditsMinor: bigint;
  throughMs: number;
  /** Accounts this run could not bill (left unbilled for the next run), with why. */
  failed: { accountId: string; error: string }[];
}

interface ChunkResult {
  hours: Set<number>;
  accounts: number;
  creditsMinor: bigint;
}

/**
 * Bills every closed UTC hour before `throughMs` (default: the current hour's start) that has
 * unbilled usage: per account and hour one ledger transfer, then the hour is marked billed.
 * Accounts are billed in chunks sized to hold the writer about 20 ms (`BILLING_CHUNK`), each one unit of work that
 * locks its accounts first (so refunds, holds and expiry of those accounts wait, and read after).
 * A chunk that fails is retried account by account: one bad account never stops the others; it
 * is reported in `failed` and left for the next run. Running again changes nothing; late usage
 * for a billed hour is billed by the next run (its transfer id carries what was billed before, so
 * retries stay idempotent). Consumed usage is billed even past zero: the account may go negative.
 * If every account fails with an error of storage (not a refusal of its data), storage itself is
 * failing: the first error is thrown.
 */
export async function runBilling(ctx: Context, throughMs?: number): Promise<BillingRunResult> {
  const currentHour = startOfHour(ctx.clock.nowMs());
  const through = throughMs === undefined ? currentHour : Math.min(startOfHour(throughMs), currentHour);
  const started = ctx.clock.nowMs();
  // Accounts with usage to bill, and accounts with voids to give back.
  const accountIds = await read(ctx, async (tx) =>
    [
      ...new Set([...(await tx.usage.unbilledAccounts(through)), ...(await tx.voids.accountsToReverse())]),
    ].sort(),
  );
  const total: ChunkResult = { hours: new Set(), accounts: 0, creditsMinor: 0n };
  const failed: { accountId: string; error: string }[] = [];
  /** Failures that were storage's, not a refusal of an account's data. */
  const storageErrors: unknown[] = [];
  const add = (r: ChunkResult) => {
    for (const h of r.hours) total.hours.add(h);
    total.accounts += r.accounts;
    total.creditsMinor += r.creditsMinor;
  };
  let size = BILLING_CHUNK.first;
  for (let i = 0; i < accountIds.length; ) {
    const chunk = accountIds.slice(i, i + size);
    i += chunk.length;
    // Between chunks, what waits on the event loop (requests, a usage group commit) goes first.
    if (i > chunk.length) await new Promise<void>((resume) => ctx.schedule(resume));
    const chunkStarted = ctx.clock.nowMs();
    try {
      add(await billChunk(ctx, chunk, through));
      size = nextChunkSize(chunk.length, ctx.clock.nowMs() - chunkStarted);
    } catch {
      for (const accountId of chunk) {
        try {
          add(await billChunk(ctx, [accountId], through));
        } catch (e) {
          if (!(e instanceof RefusalSignal)) storageErrors.push(e);
          failed.push({ accountId, error: e instanceof RefusalSignal ? e.refusal.message : String(e) });
        }
      }
    }
  }
  // Every account failing for a reason other than its own data means storage itself is failing.
  if (accountIds.length > 0 && storageErrors.length === accountIds.length) throw storageErrors[0];
  // The run's last commit waits for the disk, and so makes every chunk before it durable too.
  if (total.accounts > 0) {
    await ctx.storage.transaction((tx) =>
      emit(ctx, tx, 'billing_run.completed', {
        hours: total.hours.size,
        accounts: total.accounts,
        credits: formatAmount(total.creditsMinor, ctx.config.scales.credits),
        through: new Date(through).toISOString(),
      }),
    );
  }
  const done = ctx.clock.nowMs();
  ctx.observer.billingRun?.({
    hours: total.hours.size,
    accounts: total.accounts,
    ms: done - started,
    atMs: done,
  });
  return {
    hours: total.hours.size,
    accounts: total.accounts,
    creditsMinor: total.creditsMinor,
    throughMs: through,
    failed,
  };
}

/** Bills the unbilled closed hours of these accounts (in id order) in one unit of work. */
async function billChunk(ctx: Context, accountIds: string[], through: number): Promise<ChunkResult> {
  // Billing moves credits from unbilled to posted: available stays, so alerts find nothing new,
  // but the unit of work is the same one every balance change goes through.
  const outcome = await balanceUnit(
    ctx,
    async (tx) => {
      await tx.accounts.lockMany(accountIds);
      const now = ctx.clock.nowMs();
      const unbilled = await tx.usage.listUnbilled(through, accountIds);
      // What an hour ever billed only grows (voids move their billed part from the hour to the void),
      // so the transfer id built from it is new at every run that finds usage to bill.
      const reversed =
        unbilled.length > 0 ? await tx.voids.reversedByHour(accountIds) : new Map<string, bigint>();
      const transfers: TransferInput[] = unbilled.map((h) => ({
        id: `usage_${h.accountId}_${h.hourMs}_${h.billedBeforeMinor + (reversed.get(`${h.accountId}|${h.hourMs}`) ?? 0n)}`,
        debitAccountId: h.accountId,
        creditAccountId: SYSTEM_ACCOUNTS.usage,
        amount: h.creditsMinor,
        code: 'usage',
        metadata: { hour: new Date(h.hourMs).toISOString() },
        force: true,
      }));
      if (transfers.length > 0) await postOrFail(tx, transfers, now);
      const perAccount = new Map<string, bigint>();
      // Each model's credits burn the lots that may pay for that model (scoped lots first).
      const perModel = new Map<string, Map<string, bigint>>();
      for (const h of unbilled) {
        perAccount.set(h.accountId, (perAccount.get(h.accountId) ?? 0n) + h.creditsMinor);
        const models = perModel.get(h.accountId) ?? new Map<string, bigint>();
        perModel.set(h.accountId, models);
        for (const r of h.rows)
          models.set(r.model, (models.get(r.model) ?? 0n) + r.creditsMinor - r.billedMinor);
      }
      for (const [accountId, models] of perModel) await burnLots(tx, accountId, models);
      await tx.usage.markBilled(
        unbilled.map((h, i) => ({ ...h, transferId: transfers[i]!.id })),
        now,
      );
      await postReversals(ctx, tx, accountIds, now);
      let creditsMinor = 0n;
      for (const v of perAccount.values()) creditsMinor += v;
      return { hours: new Set(unbilled.map((h) => h.hourMs)), perAccount, creditsMinor };
      // A chunk commits without waiting for the disk (the run's last commit does): a chunk lost to a
      // power cut was never answered for, and the next run bills it again, to the same transfer ids.
    },
    'normal',
  );
  if (!outcome.ok) throw new RefusalSignal(outcome);
  const result = outcome.value;
  return { hours: result.hours, accounts: result.perAccount.size, creditsMinor: result.creditsMinor };
}
