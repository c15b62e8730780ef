import { describe, expect, it } from 'vitest';
import { toPg } from '../../src/adapters/postgres/postgres-connection.ts';

describe('placeholders for PostgreSQL', () => {
  it('number each ? outside quotes, and leave those inside literals and identifiers alone', () => {
    expect(toPg('SELECT * FROM t WHERE a = ? AND b = ?')).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
    expect(toPg(`SELECT '?', 'it''s ?', "odd?" FROM t WHERE id = ?`)).toBe(
      `SELECT '?', 'it''s ?', "odd?" FROM t WHERE id = $1`,
    );
  });
});
