import type { WebhookSender } from './ports.ts';

/** What a process keeps in memory about webhook delivery. */
export interface WebhookState {
  sender: WebhookSender;
  inFlight: Set<string>;
  perEndpoint: Map<string, number>;
  /** Whether any endpoint listens to balance alerts (checked on every ingest commit otherwise). */
  balanceListeners: boolean | null;
  /** Whether any endpoint listens to `balance.runway_low`; known whenever `balanceListeners` is. */
  runwayListeners?: boolean;
}
