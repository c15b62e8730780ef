import type { Contract, PriceVersion, RateEntry } from '../../core/kernel/model.ts';
import type { PriceRepo } from '../../core/kernel/ports.ts';
import { num, numOrNull, type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const VERSION_COLUMNS = 'id, effective_at_ms, models, note, created_at_ms';
const CONTRACT_COLUMNS = 'id, account_id, starts_at_ms, ends_at_ms, discount_percent, models, created_at_ms';

const toVersion = (r: Row): PriceVersion => ({
  id: str(r.id),
  effectiveAtMs: num(r.effective_at_ms),
  models: JSON.parse(str(r.models)) as RateEntry[],
  note: strOrNull(r.note),
  createdAtMs: num(r.created_at_ms),
});

const toContract = (r: Row): Contract => ({
  id: str(r.id),
  accountId: str(r.account_id),
  startsAtMs: num(r.starts_at_ms),
  endsAtMs: numOrNull(r.ends_at_ms),
  discountPercent: strOrNull(r.discount_percent),
  models: JSON.parse(str(r.models)) as RateEntry[],
  createdAtMs: num(r.created_at_ms),
});

export class SqlPriceRepo implements PriceRepo {
  constructor(private readonly c: SqlConnection) {}

  async insertVersion(v: PriceVersion): Promise<boolean> {
    const row = await this.c
      .stmt(
        `INSERT INTO price_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      )
      .get(v.id, v.effectiveAtMs, JSON.stringify(v.models), v.note, v.createdAtMs);
    return row !== undefined;
  }

  async listVersions(): Promise<PriceVersion[]> {
    const rows = (await this.c
      .stmt(`SELECT ${VERSION_COLUMNS} FROM price_versions ORDER BY effective_at_ms`)
      .all()) as Row[];
    return rows.map(toVersion);
  }

  async insertContract(k: Contract): Promise<void> {
    await this.c
      .stmt(`INSERT INTO contracts (${CONTRACT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(
        k.id,
        k.accountId,
        k.startsAtMs,
        k.endsAtMs,
        k.discountPercent,
        JSON.stringify(k.models),
        k.createdAtMs,
      );
  }

  async getContract(id: string): Promise<Contract | undefined> {
    const row = (await this.c.stmt(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE id = ?`).get(id)) as
      | Row
      | undefined;
    return row && toContract(row);
  }

  async listContracts(accountId?: string): Promise<Contract[]> {
    const rows = (
      accountId === undefined
        ? await this.c
            .stmt(`SELECT ${CONTRACT_COLUMNS} FROM contracts ORDER BY account_id, starts_at_ms, id`)
            .all()
        : await this.c
            .stmt(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE account_id = ? ORDER BY starts_at_ms, id`)
            .all(accountId)
    ) as Row[];
    return rows.map(toContract);
  }

  async setContractEnd(id: string, endsAtMs: number): Promise<void> {
    await this.c.stmt('UPDATE contracts SET ends_at_ms = ? WHERE id = ?').run(endsAtMs, id);
  }

  async putRates(
    r: { day: string; base: string; rates: Record<string, string> },
    atMs: number,
  ): Promise<void> {
    for (const [currency, rate] of Object.entries(r.rates))
      await this.c
        .stmt(
          `INSERT INTO exchange_rates (day, base, currency, rate, created_at_ms) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (base, currency, day) DO UPDATE SET rate = excluded.rate, created_at_ms = excluded.created_at_ms`,
        )
        .run(r.day, r.base, currency, rate, atMs);
  }

  async ratesOn(day: string): Promise<{ day: string; base: string; rates: Record<string, string> }[]> {
    // Each (base, currency) at its latest day at or before `day`; grouped by base and that day.
    const rows = (await this.c
      .stmt(
        `SELECT e.day, e.base, e.currency, e.rate FROM exchange_rates e
         WHERE e.day = (SELECT max(x.day) FROM exchange_rates x WHERE x.base = e.base AND x.currency = e.currency AND x.day <= ?)
         ORDER BY e.day DESC, e.base, e.currency`,
      )
      .all(day)) as Row[];
    const out = new Map<string, { day: string; base: string; rates: Record<string, string> }>();
    for (const r of rows) {
      const key = `${str(r.base)}|${str(r.day)}`;
      let entry = out.get(key);
      if (!entry) {
        entry = { day: str(r.day), base: str(r.base), rates: {} };
        out.set(key, entry);
      }
      entry.rates[str(r.currency)] = str(r.rate);
    }
    return [...out.values()];
  }
}
