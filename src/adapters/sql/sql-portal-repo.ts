import type { PortalRepo, PortalSession } from '../../core/kernel/ports.ts';
import { num, type Row, type SqlConnection, str } from './sql-connection.ts';

export class SqlPortalRepo implements PortalRepo {
  constructor(private readonly c: SqlConnection) {}

  async insertLink(link: { tokenHash: string; accountId: string; expiresAtMs: number }): Promise<void> {
    await this.c
      .stmt('INSERT INTO portal_links (token_hash, account_id, expires_at_ms) VALUES (?, ?, ?)')
      .run(link.tokenHash, link.accountId, link.expiresAtMs);
  }

  findLink(tokenHash: string, nowMs: number): Promise<string | undefined> {
    return this.openLink('SELECT account_id FROM portal_links', tokenHash, nowMs);
  }

  takeLink(tokenHash: string, nowMs: number): Promise<string | undefined> {
    // Deleted, not marked: a used link has nothing left to say.
    return this.openLink('DELETE FROM portal_links', tokenHash, nowMs, ' RETURNING account_id');
  }

  /** The account of an unused, unexpired link, read by a SELECT or a DELETE ... RETURNING. */
  private async openLink(head: string, tokenHash: string, nowMs: number, tail = '') {
    const row = (await this.c
      .stmt(`${head} WHERE token_hash = ? AND used_at_ms IS NULL AND expires_at_ms > ?${tail}`)
      .get(tokenHash, nowMs)) as Row | undefined;
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

  async deleteSession(tokenHash: string): Promise<void> {
    await this.c.stmt('DELETE FROM portal_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async purgeExpired(nowMs: number): Promise<void> {
    // Links used before takeLink deleted them (older versions marked them) go too.
    await this.c
      .stmt('DELETE FROM portal_links WHERE expires_at_ms <= ? OR used_at_ms IS NOT NULL')
      .run(nowMs);
    await this.c.stmt('DELETE FROM portal_sessions WHERE expires_at_ms <= ?').run(nowMs);
  }
}
