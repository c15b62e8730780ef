import type {
  CreditNote,
  Hold,
  HoldStatus,
  Invoice,
  InvoiceSnapshot,
  Lot,
  Purchase,
  PurchaseStatus,
} from '../../core/kernel/model.ts';
import type { HoldRepo, InvoiceRepo, LotRepo, PurchaseRepo } from '../../core/kernel/ports.ts';
import {
  big,
  bigOrNull,
  chunks,
  idBigintTuples,
  num,
  numOrNull,
  type Row,
  type SqlConnection,
  str,
  strOrNull,
} from './sql-connection.ts';

/** A `models` column: a JSON text array, or null (any model). */
const modelsOf = (v: unknown): string[] | null => {
  const text = strOrNull(v);
  return text === null ? null : (JSON.parse(text) as string[]);
};
const modelsText = (models: string[] | null | undefined): string | null =>
  models ? JSON.stringify(models) : null;

const toPurchase = (r: Row): Purchase => ({
  id: str(r.id),
  accountId: str(r.account_id),
  idempotencyKey: str(r.idempotency_key),
  requestFingerprint: str(r.request_fingerprint),
  creditsMinor: big(r.credits_minor),
  unitPrice: str(r.unit_price),
  subtotalMinor: big(r.subtotal_minor),
  taxMinor: big(r.tax_minor),
  totalMinor: big(r.total_minor),
  provider: str(r.provider),
  status: str(r.status) as PurchaseStatus,
  providerRef: strOrNull(r.provider_ref),
  checkoutUrl: strOrNull(r.checkout_url),
  invoiceId: strOrNull(r.invoice_id),
  createdAtMs: num(r.created_at_ms),
  resolvedAtMs: numOrNull(r.resolved_at_ms),
  origin: (strOrNull(r.origin) ?? 'customer') as Purchase['origin'],
  models: modelsOf(r.models),
  currency: strOrNull(r.currency) ?? 'USD',
  taxRule: strOrNull(r.tax_rule) as Purchase['taxRule'],
  taxRate: strOrNull(r.tax_rate),
  taxCountry: strOrNull(r.tax_country),
});

/** A purchase's columns in insert order, `origin` aside. */
const purchaseRow = (p: Purchase): unknown[] => [
  p.id,
  p.accountId,
  p.idempotencyKey,
  p.requestFingerprint,
  p.creditsMinor,
  p.unitPrice,
  p.subtotalMinor,
  p.taxMinor,
  p.totalMinor,
  p.provider,
  p.status,
  p.providerRef,
  p.checkoutUrl,
  p.invoiceId,
  p.createdAtMs,
  p.resolvedAtMs,
  p.currency ?? 'USD',
  p.taxRule ?? null,
  p.taxRate ?? null,
  p.taxCountry ?? null,
];

export class SqlPurchaseRepo implements PurchaseRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(p: Purchase): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO purchases (id, account_id, idempotency_key, request_fingerprint, credits_minor, unit_price, subtotal_minor,
           tax_minor, total_minor, provider, status, provider_ref, checkout_url, invoice_id, created_at_ms, resolved_at_ms,
           currency, tax_rule, tax_rate, tax_country, origin, models)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...purchaseRow(p), p.origin, modelsText(p.models));
  }

  async insertAutoTopUp(p: Purchase): Promise<boolean> {
    // The partial unique index (one pending auto top-up per account) settles a race without an error.
    const row = await this.c
      .stmt(
        `INSERT INTO purchases (id, account_id, idempotency_key, request_fingerprint, credits_minor, unit_price, subtotal_minor,
           tax_minor, total_minor, provider, status, provider_ref, checkout_url, invoice_id, created_at_ms, resolved_at_ms,
           currency, tax_rule, tax_rate, tax_country, origin)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'auto_top_up') ON CONFLICT DO NOTHING RETURNING id`,
      )
      .get(...purchaseRow(p));
    return row !== undefined;
  }

  async listAll(f: { status?: PurchaseStatus; limit: number; afterId?: string }): Promise<Purchase[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM purchases p WHERE (CAST(? AS TEXT) IS NULL OR p.status = ?)
           AND (CAST(? AS TEXT) IS NULL OR (p.created_at_ms, p.id) < (SELECT c.created_at_ms, c.id FROM purchases c WHERE c.id = ?))
         ORDER BY p.created_at_ms DESC, p.id DESC LIMIT ?`,
      )
      .all(f.status ?? null, f.status ?? null, f.afterId ?? null, f.afterId ?? null, f.limit)) as Row[];
    return rows.map(toPurchase);
  }

  async autoTopUpsSince(accountId: string, sinceMs: number): Promise<Purchase[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM purchases WHERE account_id = ? AND origin = 'auto_top_up' AND created_at_ms >= ? ORDER BY created_at_ms, id`,
      )
      .all(accountId, sinceMs)) as Row[];
    return rows.map(toPurchase);
  }

  async get(id: string): Promise<Purchase | undefined> {
    const row = (await this.c.stmt('SELECT * FROM purchases WHERE id = ?').get(id)) as Row | undefined;
    return row && toPurchase(row);
  }

  async findByIdempotencyKey(accountId: string, key: string): Promise<Purchase | undefined> {
    const row = (await this.c
      .stmt('SELECT * FROM purchases WHERE account_id = ? AND idempotency_key = ?')
      .get(accountId, key)) as Row | undefined;
    return row && toPurchase(row);
  }

  async findByProviderRef(provider: string, ref: string): Promise<Purchase | undefined> {
    const row = (await this.c
      .stmt('SELECT * FROM purchases WHERE provider = ? AND provider_ref = ?')
      .get(provider, ref)) as Row | undefined;
    return row && toPurchase(row);
  }

  async list(accountId: string, limit: number): Promise<Purchase[]> {
    const rows = (await this.c
      .stmt('SELECT * FROM purchases WHERE account_id = ? ORDER BY created_at_ms DESC, id DESC LIMIT ?')
      .all(accountId, limit)) as Row[];
    return rows.map(toPurchase);
  }

  async update(p: Purchase): Promise<void> {
    await this.c
      .stmt(
        'UPDATE purchases SET status = ?, provider_ref = ?, checkout_url = ?, invoice_id = ?, resolved_at_ms = ? WHERE id = ?',
      )
      .run(p.status, p.providerRef, p.checkoutUrl, p.invoiceId, p.resolvedAtMs, p.id);
  }
}

const toInvoice = (r: Row): Invoice => ({
  id: str(r.id),
  number: str(r.number),
  purchaseId: str(r.purchase_id),
  accountId: str(r.account_id),
  issuedAtMs: num(r.issued_at_ms),
  creditsMinor: big(r.credits_minor),
  totalMinor: big(r.total_minor),
  currency: str(r.currency),
  snapshot: JSON.parse(str(r.snapshot)) as InvoiceSnapshot,
});

const toCreditNote = (r: Row): CreditNote => ({
  id: str(r.id),
  number: str(r.number),
  invoiceId: str(r.invoice_id),
  purchaseId: str(r.purchase_id),
  accountId: str(r.account_id),
  creditsMinor: big(r.credits_minor),
  totalMinor: big(r.total_minor),
  issuedAtMs: num(r.issued_at_ms),
  snapshot: JSON.parse(str(r.snapshot)) as InvoiceSnapshot,
});

export class SqlInvoiceRepo implements InvoiceRepo {
  constructor(private readonly c: SqlConnection) {}

  async nextNumber(series: string): Promise<number> {
    const row = (await this.c
      .stmt(
        `INSERT INTO counters (series, value) VALUES (?, 1)
         ON CONFLICT (series) DO UPDATE SET value = counters.value + 1 RETURNING value`,
      )
      .get(series)) as Row;
    return num(row.value);
  }

  async insertInvoice(i: Invoice): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO invoices (id, number, purchase_id, account_id, issued_at_ms, credits_minor, total_minor, currency, snapshot)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        i.id,
        i.number,
        i.purchaseId,
        i.accountId,
        i.issuedAtMs,
        i.creditsMinor,
        i.totalMinor,
        i.currency,
        JSON.stringify(i.snapshot),
      );
  }

  async getInvoice(id: string): Promise<Invoice | undefined> {
    const row = (await this.c.stmt('SELECT * FROM invoices WHERE id = ?').get(id)) as Row | undefined;
    return row && toInvoice(row);
  }

  async listInvoices(accountId: string): Promise<Invoice[]> {
    const rows = (await this.c
      .stmt('SELECT * FROM invoices WHERE account_id = ? ORDER BY issued_at_ms DESC, number DESC')
      .all(accountId)) as Row[];
    return rows.map(toInvoice);
  }

  async insertCreditNote(n: CreditNote): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO credit_notes (id, number, invoice_id, purchase_id, account_id, credits_minor, total_minor, issued_at_ms, snapshot)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.id,
        n.number,
        n.invoiceId,
        n.purchaseId,
        n.accountId,
        n.creditsMinor,
        n.totalMinor,
        n.issuedAtMs,
        JSON.stringify(n.snapshot),
      );
  }

  async getCreditNote(id: string): Promise<CreditNote | undefined> {
    const row = (await this.c.stmt('SELECT * FROM credit_notes WHERE id = ?').get(id)) as Row | undefined;
    return row && toCreditNote(row);
  }

  async listCreditNotes(filter: { accountId?: string; purchaseId?: string }): Promise<CreditNote[]> {
    const rows = filter.purchaseId
      ? await this.c
          .stmt('SELECT * FROM credit_notes WHERE purchase_id = ? ORDER BY issued_at_ms DESC, number DESC')
          .all(filter.purchaseId)
      : await this.c
          .stmt('SELECT * FROM credit_notes WHERE account_id = ? ORDER BY issued_at_ms DESC, number DESC')
          .all(filter.accountId);
    return (rows as Row[]).map(toCreditNote);
  }
}

const toLot = (r: Row): Lot => ({
  id: str(r.id),
  accountId: str(r.account_id),
  source: str(r.source) as Lot['source'],
  sourceId: str(r.source_id),
  creditsMinor: big(r.credits_minor),
  remainingMinor: big(r.remaining_minor),
  priority: num(r.priority),
  expiresAtMs: numOrNull(r.expires_at_ms),
  createdAtMs: num(r.created_at_ms),
  models: modelsOf(r.models),
});

export class SqlLotRepo implements LotRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(l: Lot): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO lots (id, account_id, source, source_id, credits_minor, remaining_minor, priority, expires_at_ms, created_at_ms, models)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        l.id,
        l.accountId,
        l.source,
        l.sourceId,
        l.creditsMinor,
        l.remainingMinor,
        l.priority,
        l.expiresAtMs,
        l.createdAtMs,
        modelsText(l.models),
      );
  }

  async listOpen(accountId: string): Promise<Lot[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM lots WHERE account_id = ? AND remaining_minor > 0
         ORDER BY priority, models IS NULL, expires_at_ms IS NULL, expires_at_ms, created_at_ms, id`,
      )
      .all(accountId)) as Row[];
    return rows.map(toLot);
  }

  async hasScoped(accountId: string): Promise<boolean> {
    const row = await this.c
      .stmt('SELECT 1 FROM lots WHERE account_id = ? AND models IS NOT NULL AND remaining_minor > 0 LIMIT 1')
      .get(accountId);
    return row !== undefined;
  }

  async anyScoped(): Promise<boolean> {
    const row = await this.c
      .stmt('SELECT 1 FROM lots WHERE models IS NOT NULL AND remaining_minor > 0 LIMIT 1')
      .get();
    return row !== undefined;
  }

  async listRefillable(accountId: string, nowMs: number): Promise<(Lot & { usedMinor: bigint })[]> {
    // What usage took: all a lot lost, less what refunds and expiry took (the lot journal's
    // movements of those kinds are negative, so adding them takes them off).
    const rows = (await this.c
      .stmt(
        `SELECT * FROM (
           SELECT l.*, l.credits_minor - l.remaining_minor + COALESCE((SELECT SUM(m.credits_minor)
             FROM lot_movements m WHERE m.lot_id = l.id AND m.kind IN ('refunded', 'expired')), 0) AS used_minor
           FROM lots l WHERE l.account_id = ? AND l.remaining_minor < l.credits_minor
             AND (l.expires_at_ms IS NULL OR l.expires_at_ms > ?)
         ) r WHERE r.used_minor > 0
         ORDER BY priority DESC, models IS NULL DESC, expires_at_ms IS NULL DESC, expires_at_ms DESC, created_at_ms DESC, id DESC`,
      )
      .all(accountId, nowMs)) as Row[];
    return rows.map((r) => ({ ...toLot(r), usedMinor: big(r.used_minor) }));
  }

  async findBySource(sourceId: string): Promise<Lot | undefined> {
    const row = (await this.c.stmt('SELECT * FROM lots WHERE source_id = ?').get(sourceId)) as
      | Row
      | undefined;
    return row && toLot(row);
  }

  /** One statement per chunk of lots (the last update of a lot named twice wins). */
  async setRemaining(updates: { id: string; remainingMinor: bigint }[]): Promise<void> {
    const latest = new Map(updates.map((u) => [u.id, u.remainingMinor]));
    for (const chunk of chunks([...latest])) {
      await this.c
        .stmt(
          `UPDATE lots SET remaining_minor = v.column2
           FROM (VALUES ${idBigintTuples(chunk.length, 1)}) AS v
           WHERE lots.id = v.column1`,
        )
        .run(...chunk.flat());
    }
  }

  async listExpired(
    nowMs: number,
    limit: number,
    after?: { expiresAtMs: number; id: string },
  ): Promise<Lot[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM lots WHERE expires_at_ms <= ? AND remaining_minor > 0
           AND (expires_at_ms > ? OR (expires_at_ms = ? AND id > ?))
         ORDER BY expires_at_ms, id LIMIT ?`,
      )
      .all(nowMs, after?.expiresAtMs ?? -1, after?.expiresAtMs ?? -1, after?.id ?? '', limit)) as Row[];
    return rows.map(toLot);
  }
}

const toHold = (r: Row): Hold => ({
  id: str(r.id),
  accountId: str(r.account_id),
  creditsMinor: big(r.credits_minor),
  reference: strOrNull(r.reference),
  status: str(r.status) as HoldStatus,
  capturedMinor: bigOrNull(r.captured_minor),
  expiresAtMs: num(r.expires_at_ms),
  createdAtMs: num(r.created_at_ms),
  fingerprint: str(r.fingerprint),
  apiKeyId: strOrNull(r.api_key_id),
});

export class SqlHoldRepo implements HoldRepo {
  constructor(private readonly c: SqlConnection) {}

  async insert(h: Hold): Promise<void> {
    await this.c
      .stmt(
        `INSERT INTO holds (id, account_id, credits_minor, reference, status, captured_minor, expires_at_ms, created_at_ms, fingerprint, api_key_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        h.id,
        h.accountId,
        h.creditsMinor,
        h.reference,
        h.status,
        h.capturedMinor,
        h.expiresAtMs,
        h.createdAtMs,
        h.fingerprint,
        h.apiKeyId,
      );
  }

  async get(id: string): Promise<Hold | undefined> {
    const row = (await this.c.stmt('SELECT * FROM holds WHERE id = ?').get(id)) as Row | undefined;
    return row && toHold(row);
  }

  async update(h: Hold): Promise<void> {
    await this.c
      .stmt('UPDATE holds SET status = ?, captured_minor = ? WHERE id = ?')
      .run(h.status, h.capturedMinor, h.id);
  }

  async listExpired(nowMs: number, limit: number): Promise<Hold[]> {
    const rows = (await this.c
      .stmt(
        `SELECT * FROM holds WHERE status = 'pending' AND expires_at_ms <= ? ORDER BY expires_at_ms LIMIT ?`,
      )
      .all(nowMs, limit)) as Row[];
    return rows.map(toHold);
  }

  async pendingOfKey(apiKeyId: string): Promise<bigint> {
    const sum = await this.c
      .stmt(`SELECT COALESCE(SUM(credits_minor), 0) FROM holds WHERE api_key_id = ? AND status = 'pending'`)
      .pluck(true)
      .get(apiKeyId);
    return BigInt(sum as bigint | number | string);
  }
}
