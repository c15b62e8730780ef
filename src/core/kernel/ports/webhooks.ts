/** Ports of webhooks: the outbox of deliveries and the sender. */
import type { OutboxEvent, WebhookDelivery, WebhookEndpoint } from '../model.ts';

export interface DueDelivery {
  delivery: WebhookDelivery;
  event: OutboxEvent;
  endpoint: WebhookEndpoint;
}

export interface WebhookRepo {
  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** Endpoints not deleted, oldest first. */
  listEndpoints(): Promise<WebhookEndpoint[]>;
  deleteEndpoint(id: string, atMs: number): Promise<void>;
  setSecret(id: string, secret: string): Promise<void>;
  insertEvent(event: OutboxEvent, deliveries: WebhookDelivery[]): Promise<void>;
  /**
   * Claims pending deliveries whose next attempt is due (endpoints not deleted), oldest first:
   * their next attempt moves to `leaseUntilMs`, so no other process takes them meanwhile.
   */
  claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<DueDelivery[]>;
  updateDelivery(delivery: WebhookDelivery): Promise<void>;
  listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  getAlertState(accountId: string): Promise<string | null>;
  setAlertState(accountId: string, state: string | null): Promise<void>;
}

/** Sends one signed webhook request (Standard Webhooks headers); never throws. */
export interface WebhookSender {
  send(request: {
    url: string;
    id: string;
    timestampSeconds: number;
    body: string;
    secret: string;
  }): Promise<{
    ok: boolean;
    status: number | null;
    error: string | null;
  }>;
  /**
   * Why `url` may not be an endpoint (its host resolves to an address the sender refuses), or
   * null. Asked when an endpoint is created, if `webhookPublicTargetsOnly`; optional.
   */
  checkTarget?(url: string): Promise<string | null>;
}
