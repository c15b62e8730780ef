import type { PortalRepo, PortalSession } from '../../core/ports.ts';
import { num, type Row, type SqlConnection, str } from './sql-connection.ts';

export class SqlPortalRepo implements PortalRepo {
  constructor(private readonly c: SqlConnection) {}

  async insertLink(link: { tokenHash: string; accountId: string; expiresAtMs: number }): Promise<void> {
    await this.c
      .stmt('INSERT INTO portal_links (token_hash, account_id, expires_at_ms) VALUES (?, ?, ?)')
      .run(link.tokenHash, link.accountId, link.expiresAtMs);
  }

  async takeLink(tokenHash: string, nowMs: number): Promise<string | undefined> {
    const row = (await this.c
      .stmt(
        'UPDATE portal_links SET used_at_ms = ? WHERE token_hash = ? AND used_at_ms IS NULL AND expires_at_ms > ? RETURNING account_id',
      )
      .get(nowMs, tokenHash, nowMs)) as Row | undefined;
    return row ? str(row.account_id) : undefined;
  }

  async insertSession(s: PortalSession & { tokenHash: string; createdAtMs: number }): Promise<void> {
    await this.c
      .stmt(
        'INSERT INTO portal_sessions (token_hash, account_id, csrf, expires_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?)',
      )
      .run(s.tokenHash, s.accountId, s.csrf, s.expiresAtMs, s.createdAtMs);
  }

  async getSession(tokenHash: string): Promise<PortalSession | undefined> {
    const row = (await this.c
      .stmt('SELECT account_id, csrf, expires_at_ms FROM portal_sessions WHERE token_hash = ?')
      .get(tokenHash)) as Row | undefined;
    return row
      ? { accountId: str(row.account_id), csrf: str(row.csrf), expiresAtMs: num(row.expires_at_ms) }
      : undefined;
  }
}
