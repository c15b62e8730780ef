/**
 * The reference model of the rate card, written apart from the engine's code: versions in effect
 * from a time, contracts with a discount per account, and an event's credits as the exact sum over
 * its dimensions of quantity x credits / per, less the discount, rounded once half up to 10^-6.
 */

/** A decimal string as an exact fraction. */
function frac(text: string): { n: bigint; d: bigint } {
  const [int, dec = ''] = text.split('.');
  return { n: BigInt(int! + dec), d: 10n ** BigInt(dec.length) };
}

export interface MPrice {
  credits: string;
  per: string;
  whole: boolean;
}

/** model -> dimension -> price. */
export type MCard = Record<string, Record<string, MPrice>>;

const million = (credits: string): MPrice => ({ credits, per: '1000000', whole: true });

/** The built-in example card's models the model test uses (the engine's first version). */
export const FIRST_CARD: MCard = {
  'tokens-1k': { quantity: { credits: '0.05', per: '1', whole: false } },
  'chat-large': {
    input_tokens: million('2.5'),
    cached_input_tokens: million('1.25'),
    output_tokens: million('10'),
  },
};

/** Cards a new version may bring: a price change, a model left out, a dimension left out. */
export const NEXT_CARDS: MCard[] = [
  {
    'tokens-1k': { quantity: { credits: '0.07', per: '1', whole: false } },
    'chat-large': { input_tokens: million('3'), output_tokens: million('12.5') },
  },
  { 'tokens-1k': { quantity: { credits: '0.033', per: '3', whole: false } } },
  FIRST_CARD,
];

/** A card as the API writes it. */
export const cardJson = (card: MCard) =>
  Object.entries(card).map(([model, dims]) => ({
    model,
    dimensions: Object.entries(dims).map(([name, p]) => ({ name, ...p })),
  }));

interface MContract {
  startsAtMs: number;
  endsAtMs: number | null;
  discount: string;
}

export class PricingModel {
  versions: { atMs: number; card: MCard }[] = [{ atMs: 0, card: FIRST_CARD }];
  contracts = new Map<string, MContract[]>();

  /** A new version from `atMs` (not before now): refused at an instant another starts at. */
  addVersion(atMs: number, nowMs: number, card: MCard): 'ok' | 'validation_failed' | 'invalid_state' {
    if (atMs < nowMs - 1000) return 'validation_failed';
    const at = Math.max(atMs, nowMs);
    if (this.versions.some((v) => v.atMs === at)) return 'invalid_state';
    this.versions.push({ atMs: at, card });
    this.versions.sort((a, b) => a.atMs - b.atMs);
    return 'ok';
  }

  /** A contract of one account; refused where it overlaps one it has. */
  addContract(account: string, c: MContract): 'ok' | 'invalid_state' {
    const list = this.contracts.get(account) ?? [];
    const end = (x: MContract) => x.endsAtMs ?? Number.POSITIVE_INFINITY;
    if (list.some((o) => o.startsAtMs < end(c) && c.startsAtMs < end(o))) return 'invalid_state';
    list.push(c);
    this.contracts.set(account, list);
    return 'ok';
  }

  /**
   * The credits (10^-6) of an event of `model` at `tsMs` with `quantities` (dimension -> decimal),
   * or the code it is refused with.
   */
  rate(account: string, tsMs: number, model: string, quantities: Record<string, string>): bigint | string {
    let card: MCard | undefined;
    for (const v of this.versions) if (v.atMs <= tsMs) card = v.card;
    const prices = card?.[model];
    if (!prices) return 'unknown_model';
    const contract = (this.contracts.get(account) ?? []).find(
      (c) => c.startsAtMs <= tsMs && (c.endsAtMs === null || tsMs < c.endsAtMs),
    );
    let n = 0n;
    let d = 1n;
    for (const [dim, text] of Object.entries(quantities)) {
      const p = prices[dim];
      if (!p) return 'validation_failed';
      const q = frac(text);
      if (p.whole && q.n % q.d !== 0n) return 'validation_failed';
      const c = frac(p.credits);
      const per = frac(p.per);
      // n/d + (q.n/q.d) * (c.n/c.d) / (per.n/per.d)
      const tn = q.n * c.n * per.d;
      const td = q.d * c.d * per.n;
      n = n * td + tn * d;
      d *= td;
    }
    if (contract) {
      const pct = frac(contract.discount);
      n *= 100n * pct.d - pct.n;
      d *= 100n * pct.d;
    }
    return (2n * n * 1_000_000n + d) / (2n * d);
  }
}
