import type {
  DeliveryStatus,
  OutboxEvent,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '../../core/kernel/model.ts';
import type { DueDelivery, WebhookRepo } from '../../core/kernel/ports.ts';
import {
  chunks,
  inList,
  num,
  numOrNull,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
  tuples,
} from './sql-connection.ts';

const toEndpoint = (r: Row, prefix = ''): WebhookEndpoint => ({
  id: str(r[`${prefix}id`]),
  url: str(r[`${prefix}url`]),
  events: JSON.parse(str(r[`${prefix}events`])) as WebhookEventType[],
  secret: str(r[`${prefix}secret`]),
  createdAtMs: num(r[`${prefix}created_at_ms`]),
});

const toDelivery = (r: Row): WebhookDelivery => ({
  id: str(r.id),
  eventId: str(r.event_id),
  endpointId: str(r.endpoint_id),
  status: str(r.status) as DeliveryStatus,
  attempts: num(r.attempts),
  nextAttemptAtMs: num(r.next_attempt_at_ms),
  lastStatusCode: numOrNull(r.last_status_code),
  lastError: strOrNull(r.last_error),
  createdAtMs: num(r.created_at_ms),
  deliveredAtMs: numOrNull(r.delivered_at_ms),
});

export class SqlWebhookRepo implements WebhookRepo {
  constructor(private readonly c: SqlConnection) {}

  async insertEndpoint(e: WebhookEndpoint): Promise<void> {
    await this.c
      .stmt('INSERT INTO webhook_endpoints (id, url, events, secret, created_at_ms) VALUES (?, ?, ?, ?, ?)')
      .run(e.id, e.url, JSON.stringify(e.events), e.secret, e.createdAtMs);
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const row = (await this.c
      .stmt('SELECT * FROM webhook_endpoints WHERE id = ? AND deleted_at_ms IS NULL')
      .get(id)) as Row | undefined;
    return row && toEndpoint(row);
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const rows = (await this.c
      .stmt('SELECT * FROM webhook_endpoints WHERE deleted_at_ms IS NULL ORDER BY created_at_ms, id')
      .all()) as Row[];
    return rows.map((r) => toEndpoint(r));
  }

  async deleteEndpoint(id: string, atMs: number): Promise<void> {
    await this.c.stmt('UPDATE webhook_endpoints SET deleted_at_ms = ? WHERE id = ?').run(atMs, id);
    await this.c
      .stmt(
        `UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted' WHERE endpoint_id = ? AND status = 'pending'`,
      )
      .run(id);
  }

  async setSecret(id: string, secret: string): Promise<void> {
    await this.c.stmt('UPDATE webhook_endpoints SET secret = ? WHERE id = ?').run(secret, id);
  }

  async insertEvent(event: OutboxEvent, deliveries: WebhookDelivery[]): Promise<void> {
    await this.c
      .stmt('INSERT INTO outbox_events (id, type, data, created_at_ms) VALUES (?, ?, ?, ?)')
      .run(event.id, event.type, JSON.stringify(event.data), event.createdAtMs);
    // One statement per chunk of deliveries, not a round trip each.
    for (const part of chunks(deliveries))
      await this.c
        .stmt(
          `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, next_attempt_at_ms, created_at_ms)
           VALUES ${tuples(part.length, 7)}`,
        )
        .run(
          ...part.flatMap((d) => [
            d.id,
            d.eventId,
            d.endpointId,
            d.status,
            d.attempts,
            d.nextAttemptAtMs,
            d.createdAtMs,
          ]),
        );
  }

  /**
   * Claims due deliveries: their next attempt moves to `leaseUntilMs`, so no other process (or
   * tick) takes them meanwhile. The outer condition is checked again on the locked row
   * (PostgreSQL re-reads it after a lock wait), so two processes never claim the same delivery.
   * A claim that is never finished (a crash) simply comes due again when the lease ends.
   */
  async claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<DueDelivery[]> {
    const claimed = (await this.c
      .stmt(
        `UPDATE webhook_deliveries SET next_attempt_at_ms = ?
         WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.deleted_at_ms IS NULL
                      WHERE d.status = 'pending' AND d.next_attempt_at_ms <= ? ORDER BY d.next_attempt_at_ms, d.id LIMIT ?)
           AND status = 'pending' AND next_attempt_at_ms <= ?
         RETURNING id`,
      )
      .pluck(true)
      .all(leaseUntilMs, nowMs, limit, nowMs)) as string[];
    if (claimed.length === 0) return [];
    // The claimed rows with their event and endpoint, one statement per chunk of ids.
    const rows: Row[] = [];
    for (const part of chunks(claimed)) {
      const ids = inList(part);
      rows.push(
        ...((await this.c
          .stmt(
            `SELECT d.*, e.type AS e_type, e.data AS e_data, e.created_at_ms AS e_created_at_ms,
                    w.id AS w_id, w.url AS w_url, w.events AS w_events, w.secret AS w_secret, w.created_at_ms AS w_created_at_ms
             FROM webhook_deliveries d
             JOIN outbox_events e ON e.id = d.event_id
             JOIN webhook_endpoints w ON w.id = d.endpoint_id
             WHERE d.id IN (${ids.marks})`,
          )
          .all(...ids.values)) as Row[]),
      );
    }
    rows.sort((a, b) => (str(a.id) < str(b.id) ? -1 : 1));
    const out: DueDelivery[] = [];
    for (const r of rows) {
      out.push({
        delivery: toDelivery(r),
        event: {
          id: str(r.event_id),
          type: str(r.e_type) as WebhookEventType,
          data: JSON.parse(str(r.e_data)),
          createdAtMs: num(r.e_created_at_ms),
        },
        endpoint: toEndpoint(r, 'w_'),
      });
    }
    return out;
  }

  async updateDelivery(d: WebhookDelivery): Promise<void> {
    await this.c
      .stmt(
        `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at_ms = ?, last_status_code = ?, last_error = ?, delivered_at_ms = ?
         WHERE id = ?`,
      )
      .run(d.status, d.attempts, d.nextAttemptAtMs, d.lastStatusCode, d.lastError, d.deliveredAtMs, d.id);
  }

  async listDeliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = (await this.c
      .stmt(
        'SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at_ms DESC, id DESC LIMIT ?',
      )
      .all(endpointId, limit)) as Row[];
    return rows.map(toDelivery);
  }

  async getAlertState(accountId: string): Promise<string | null> {
    const v = await this.c.stmt('SELECT alert_state FROM accounts WHERE id = ?').pluck(true).get(accountId);
    return (v ?? null) as string | null;
  }

  async setAlertState(accountId: string, state: string | null): Promise<void> {
    await this.c.stmt('UPDATE accounts SET alert_state = ? WHERE id = ?').run(state, accountId);
  }
}
