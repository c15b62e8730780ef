/**
 * What the engine reports as it works, for metrics. Every method is optional; the engine calls
 * them after the fact and never waits on them.
 */
export interface Observer {
  usageEvents?(counts: { accepted: number; duplicate: number; rejected: number }): void;
  /** One group commit of usage events: how many, and how long the commit took. */
  groupCommit?(events: number, ms: number): void;
  verification?(
    outcome: 'valid' | 'unknown_key' | 'suspended' | 'insufficient_credits' | 'spend_limit_reached',
  ): void;
  billingRun?(result: { hours: number; accounts: number; ms: number; atMs: number }): void;
  webhookDelivery?(outcome: 'delivered' | 'retry' | 'failed'): void;
  /** An invoice or credit note issued without the exchange rate its national VAT needed (the operator is told). */
  exchangeRateMissing?(document: { number: string; currency: string; national: string; day: string }): void;
}
