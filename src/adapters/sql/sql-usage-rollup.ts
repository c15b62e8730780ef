import type { RatedEvent } from '../../core/kernel/model.ts';

/** What a batch adds to one `usage_rollup` row: an account, hour, key (`''` for none) and model. */
export interface RollupDelta {
  accountId: string;
  hourMs: number;
  apiKeyId: string;
  model: string;
  events: bigint;
  quantityMinor: bigint;
  creditsMinor: bigint;
}

/**
 * What a batch of accepted events adds to the hourly rollup and to each account's unbilled total,
 * the same on every dialect. Groups are keyed by the rollup's primary-key columns in their order
 * (account, hour, key, model), so sorting the keys sorts the rows as billing locks them; both maps
 * keep the order in which their first event came.
 * @example const { groups, unbilled } = rollUp(acceptedEvents);
 */
export function rollUp(accepted: Iterable<RatedEvent>): {
  groups: Map<string, RollupDelta>;
  unbilled: Map<string, bigint>;
} {
  const groups = new Map<string, RollupDelta>();
  const unbilled = new Map<string, bigint>();
  let group: RollupDelta | undefined;
  let account: string | undefined;
  let accountSum = 0n;
  for (const e of accepted) {
    // Events of a batch mostly repeat the group of the one before: no key is built for them.
    if (
      !group ||
      group.accountId !== e.accountId ||
      group.hourMs !== e.hourMs ||
      group.apiKeyId !== (e.apiKeyId ?? '') ||
      group.model !== e.model
    ) {
      const key = `${e.accountId}\u0000${e.hourMs}\u0000${e.apiKeyId ?? ''}\u0000${e.model}`;
      group = groups.get(key);
      if (!group) {
        group = {
          accountId: e.accountId,
          hourMs: e.hourMs,
          apiKeyId: e.apiKeyId ?? '',
          model: e.model,
          events: 0n,
          quantityMinor: 0n,
          creditsMinor: 0n,
        };
        groups.set(key, group);
      }
    }
    group.events += 1n;
    group.quantityMinor += e.quantityMinor;
    group.creditsMinor += e.creditsMinor;
    if (e.accountId !== account) {
      if (account !== undefined) unbilled.set(account, accountSum);
      account = e.accountId;
      accountSum = unbilled.get(account) ?? 0n;
    }
    accountSum += e.creditsMinor;
  }
  if (account !== undefined) unbilled.set(account, accountSum);
  return { groups, unbilled };
}
