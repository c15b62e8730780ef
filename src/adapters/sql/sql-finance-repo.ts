import type {
  FinanceRepo,
  JournalTransfer,
  LotCost,
  LotMovement,
  LotMovementKind,
} from '../../core/kernel/ports.ts';
import {
  big,
  chunks,
  inList,
  num,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
  tuples,
} from './sql-connection.ts';

const COLUMNS = 'id, lot_id, account_id, transfer_id, kind, credits_minor, at_ms';

const toMovement = (r: Row): LotMovement => ({
  id: str(r.id),
  lotId: str(r.lot_id),
  accountId: str(r.account_id),
  transferId: strOrNull(r.transfer_id),
  kind: str(r.kind) as LotMovementKind,
  creditsMinor: big(r.credits_minor),
  atMs: num(r.at_ms),
});

/** The lot journal (table `lot_movements`, migration 012) and the ledger reads of finance reports. */
export class SqlFinanceRepo implements FinanceRepo {
  constructor(private readonly c: SqlConnection) {}

  /** One statement per chunk of rows. */
  async insertMovements(rows: LotMovement[]): Promise<void> {
    for (const chunk of chunks(rows)) {
      await this.c
        .stmt(`INSERT INTO lot_movements (${COLUMNS}) VALUES ${tuples(chunk.length, 7)}`)
        .run(
          ...chunk.flatMap((m) => [m.id, m.lotId, m.accountId, m.transferId, m.kind, m.creditsMinor, m.atMs]),
        );
    }
  }

  async remainingBefore(beforeMs: number): Promise<Map<string, bigint>> {
    const rows = (await this.c
      .stmt(
        'SELECT lot_id, SUM(credits_minor) AS remaining FROM lot_movements WHERE at_ms < ? GROUP BY lot_id',
      )
      .all(beforeMs)) as Row[];
    return new Map(rows.map((r) => [str(r.lot_id), big(r.remaining)]));
  }

  async movementsBetween(fromMs: number, toMs: number): Promise<LotMovement[]> {
    const rows = (await this.c
      .stmt(`SELECT ${COLUMNS} FROM lot_movements WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id`)
      .all(fromMs, toMs)) as Row[];
    return rows.map(toMovement);
  }

  async movementsOfTransfers(
    transferIds: string[],
  ): Promise<(LotMovement & { remainingBeforeMinor: bigint })[]> {
    const out: (LotMovement & { remainingBeforeMinor: bigint })[] = [];
    for (const chunk of chunks(transferIds)) {
      const ids = inList(chunk);
      const rows = (await this.c
        .stmt(
          `SELECT m.id, m.lot_id, m.account_id, m.transfer_id, m.kind, m.credits_minor, m.at_ms,
             (SELECT COALESCE(SUM(x.credits_minor), 0) FROM lot_movements x WHERE x.lot_id = m.lot_id
                AND (x.at_ms < m.at_ms OR (x.at_ms = m.at_ms AND x.id < m.id))) AS before_minor
           FROM lot_movements m WHERE m.transfer_id IN (${ids.marks})`,
        )
        .all(...ids.values)) as Row[];
      for (const r of rows) out.push({ ...toMovement(r), remainingBeforeMinor: big(r.before_minor) });
    }
    return out;
  }

  async lotCosts(lotIds: string[]): Promise<Map<string, LotCost>> {
    const costs = new Map<string, LotCost>();
    for (const chunk of chunks(lotIds)) {
      const ids = inList(chunk);
      const rows = (await this.c
        .stmt(
          `SELECT l.id, p.credits_minor, p.subtotal_minor, p.currency FROM lots l
           JOIN purchases p ON p.id = l.source_id
           WHERE l.source = 'purchase' AND l.id IN (${ids.marks})`,
        )
        .all(...ids.values)) as Row[];
      for (const r of rows)
        costs.set(str(r.id), {
          lotId: str(r.id),
          creditsMinor: big(r.credits_minor),
          costMinor: big(r.subtotal_minor),
          currency: strOrNull(r.currency) ?? 'USD',
        });
    }
    return costs;
  }

  async transfersBetween(
    fromMs: number,
    toMs: number,
    limit: number,
    after?: { createdAtMs: number; id: string },
  ): Promise<JournalTransfer[]> {
    const rows = (await this.c
      .stmt(
        // The range starts at the cursor's millisecond, so each page reads from where the last
        // ended (the index on created_at_ms), not from the start of the export again.
        `SELECT id, debit_account_id, credit_account_id, amount, kind, code, metadata, created_at_ms
         FROM transfers WHERE created_at_ms >= ? AND created_at_ms < ?
           AND (created_at_ms > ? OR id > ?)
         ORDER BY created_at_ms, id LIMIT ?`,
      )
      .all(
        after ? Math.max(fromMs, after.createdAtMs) : fromMs,
        toMs,
        after?.createdAtMs ?? -1,
        after?.id ?? '',
        limit,
      )) as Row[];
    return rows.map((r) => ({
      id: str(r.id),
      debitAccountId: str(r.debit_account_id),
      creditAccountId: str(r.credit_account_id),
      amount: big(r.amount),
      kind: str(r.kind),
      code: str(r.code),
      metadata: r.metadata == null ? null : (JSON.parse(str(r.metadata)) as Record<string, string>),
      createdAtMs: num(r.created_at_ms),
    }));
  }
}
