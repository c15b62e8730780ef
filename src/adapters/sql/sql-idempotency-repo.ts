import type { KeptAnswer, KeptRequest } from '../../core/kernel/model.ts';
import type { IdempotencyRepo } from '../../core/kernel/ports.ts';
import { num, numOrNull, type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const COLUMNS =
  'scope, idem_key, fingerprint, owner, lease_until_ms, created_at_ms, committed_at_ms, target_id, status, content_type, body';

const toKept = (r: Row): KeptRequest => ({
  scope: str(r.scope),
  key: str(r.idem_key),
  fingerprint: str(r.fingerprint),
  owner: str(r.owner),
  leaseUntilMs: num(r.lease_until_ms),
  createdAtMs: num(r.created_at_ms),
  committedAtMs: numOrNull(r.committed_at_ms),
  targetId: strOrNull(r.target_id),
  answer:
    r.status === null || r.status === undefined
      ? null
      : { status: num(r.status), contentType: strOrNull(r.content_type), body: str(r.body) },
});

/** Kept requests (`idempotency_keys`): one row per caller and key, claimed by `ON CONFLICT DO NOTHING`. */
export class SqlIdempotencyRepo implements IdempotencyRepo {
  constructor(private readonly c: SqlConnection) {}

  async claim(k: KeptRequest): Promise<KeptRequest> {
    await this.c
      .stmt(
        `INSERT INTO idempotency_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL) ON CONFLICT (scope, idem_key) DO NOTHING`,
      )
      .run(k.scope, k.key, k.fingerprint, k.owner, k.leaseUntilMs, k.createdAtMs);
    const row = (await this.c
      .stmt(`SELECT ${COLUMNS} FROM idempotency_keys WHERE scope = ? AND idem_key = ?`)
      .get(k.scope, k.key)) as Row;
    return toKept(row);
  }

  async takeOver(
    scope: string,
    key: string,
    fromOwner: string,
    owner: string,
    leaseUntilMs: number,
    evenIfCommitted: boolean,
  ): Promise<boolean> {
    // Re-checked under the row's lock on PostgreSQL: a claim its owner committed meanwhile is kept.
    const won = await this.c
      .stmt(
        'UPDATE idempotency_keys SET owner = ?, lease_until_ms = ? WHERE scope = ? AND idem_key = ? AND owner = ? AND status IS NULL AND (committed_at_ms IS NULL OR ? = 1) RETURNING owner',
      )
      .get(owner, leaseUntilMs, scope, key, fromOwner, evenIfCommitted ? 1 : 0);
    return won !== undefined;
  }

  async committed(
    scope: string,
    key: string,
    owner: string,
    atMs: number,
    targetId: string | null,
  ): Promise<boolean> {
    const held = await this.c
      .stmt(
        'UPDATE idempotency_keys SET committed_at_ms = COALESCE(committed_at_ms, ?), target_id = COALESCE(target_id, ?) WHERE scope = ? AND idem_key = ? AND owner = ? RETURNING owner',
      )
      .get(atMs, targetId, scope, key, owner);
    return held !== undefined;
  }

  async keep(scope: string, key: string, owner: string, a: KeptAnswer): Promise<void> {
    await this.c
      .stmt(
        'UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?, lease_until_ms = 0 WHERE scope = ? AND idem_key = ? AND owner = ?',
      )
      .run(a.status, a.contentType, a.body, scope, key, owner);
  }

  async release(scope: string, key: string, owner: string): Promise<void> {
    await this.c
      .stmt(
        'DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND owner = ? AND committed_at_ms IS NULL AND status IS NULL',
      )
      .run(scope, key, owner);
    await this.c
      .stmt('UPDATE idempotency_keys SET lease_until_ms = 0 WHERE scope = ? AND idem_key = ? AND owner = ?')
      .run(scope, key, owner);
  }

  async purge(beforeMs: number): Promise<number> {
    return Number(await this.c.stmt('DELETE FROM idempotency_keys WHERE created_at_ms < ?').run(beforeMs));
  }
}
