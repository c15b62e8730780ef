import type { AuditEntry, OperatorScope, OperatorToken } from '../../core/kernel/model.ts';
import type { AuditRepo, OperatorRepo } from '../../core/kernel/ports.ts';
import { num, numOrNull, type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const TOKEN_COLUMNS = 'id, name, scopes, token_hash, hint, created_at_ms, revoked_at_ms';

const toToken = (r: Row): OperatorToken => ({
  id: str(r.id),
  name: str(r.name),
  scopes: str(r.scopes).split(',') as OperatorScope[],
  tokenHash: str(r.token_hash),
  hint: str(r.hint),
  createdAtMs: num(r.created_at_ms),
  revokedAtMs: numOrNull(r.revoked_at_ms),
});

export class SqlOperatorRepo implements OperatorRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(t: OperatorToken): Promise<void> {
    await this.c
      .stmt(`INSERT INTO operator_tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(t.id, t.name, t.scopes.join(','), t.tokenHash, t.hint, t.createdAtMs, t.revokedAtMs);
  }

  async get(id: string): Promise<OperatorToken | undefined> {
    const row = (await this.c.stmt(`SELECT ${TOKEN_COLUMNS} FROM operator_tokens WHERE id = ?`).get(id)) as
      | Row
      | undefined;
    return row ? toToken(row) : undefined;
  }

  async list(): Promise<OperatorToken[]> {
    const rows = (await this.c
      .stmt(`SELECT ${TOKEN_COLUMNS} FROM operator_tokens ORDER BY created_at_ms, id`)
      .all()) as Row[];
    return rows.map(toToken);
  }

  async revoke(id: string, atMs: number): Promise<void> {
    await this.c
      .stmt('UPDATE operator_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL')
      .run(atMs, id);
  }
}

const AUDIT_COLUMNS =
  'id, at_ms, actor_kind, actor_token_id, actor_name, action, target_id, request_id, ip, amounts';

export class SqlAuditRepo implements AuditRepo {
  constructor(private readonly c: SqlConnection) {}

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values = entries.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    await this.c
      .stmt(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${values} ON CONFLICT (id) DO NOTHING`)
      .run(
        ...entries.flatMap((e) => [
          e.id,
          e.atMs,
          e.actor.kind,
          e.actor.tokenId,
          e.actor.name,
          e.action,
          e.targetId,
          e.requestId,
          e.ip,
          e.amounts ? JSON.stringify(e.amounts) : null,
        ]),
      );
  }

  async list(limit: number, afterId?: string): Promise<AuditEntry[]> {
    const rows = (await this.c
      .stmt(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > COALESCE((SELECT seq FROM audit_log WHERE id = ?), 0) ORDER BY seq LIMIT ?`,
      )
      .all(afterId ?? '', limit)) as Row[];
    return rows.map((r) => ({
      id: str(r.id),
      atMs: num(r.at_ms),
      actor: {
        kind: str(r.actor_kind) as AuditEntry['actor']['kind'],
        tokenId: strOrNull(r.actor_token_id),
        name: str(r.actor_name),
      },
      action: str(r.action),
      targetId: strOrNull(r.target_id),
      requestId: strOrNull(r.request_id),
      ip: strOrNull(r.ip),
      amounts: r.amounts ? (JSON.parse(str(r.amounts)) as Record<string, string>) : null,
    }));
  }
}
