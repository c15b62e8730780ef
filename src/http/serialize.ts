import type { Balance } from '../core/access/index.ts';
import { formatAmount } from '../core/kernel/amount.ts';
import { billingDetailsJson } from '../core/kernel/billing-details.ts';
import type { TollgateConfig } from '../core/kernel/config.ts';
import { currencyOf, formatMoney } from '../core/kernel/currency.ts';
import type {
  Account,
  ApiKey,
  CreditNote,
  Hold,
  Invoice,
  Purchase,
  SpendLimit,
} from '../core/kernel/model.ts';
import { isoUtc } from '../core/kernel/time.ts';

/** Records as the API shows them: snake_case, decimal strings, ISO 8601 UTC times. */
export function serializers(config: TollgateConfig) {
  const credits = (m: bigint) => formatAmount(m, config.scales.credits);
  const usd = (m: bigint) => formatAmount(m, config.scales.usd, true);
  const time = (ms: number | null) => (ms === null ? null : isoUtc(ms));
  const limit = (l: SpendLimit | null) => (l ? { credits: credits(l.creditsMinor), period: l.period } : null);
  return {
    credits,
    usd,
    time,
    account: (a: Account) => ({
      id: a.id,
      object: 'account',
      name: a.name,
      email: a.email,
      external_id: a.externalId,
      low_balance_threshold: a.lowBalanceThresholdMinor === null ? null : credits(a.lowBalanceThresholdMinor),
      spend_limit: limit(a.spendLimit),
      spend_budget: limit(a.spendBudget ?? null),
      auto_top_up: a.autoTopUp && {
        threshold: credits(a.autoTopUp.thresholdMinor),
        credits: credits(a.autoTopUp.creditsMinor),
        monthly_max_total: usd(a.autoTopUp.monthlyMaxTotalMinor),
        provider: a.autoTopUp.provider,
      },
      billing_details: a.billingDetails ? billingDetailsJson(a.billingDetails) : null,
      currency: currencyOf(config, a.currency)?.code ?? a.currency ?? null,
      created_at: time(a.createdAtMs),
    }),
    balance: (b: Balance & { runwaySeconds?: number | null }) => ({
      posted: credits(b.posted),
      pending: credits(b.pending),
      unbilled: credits(b.unbilled),
      available: credits(b.available),
      available_by_model: Object.fromEntries(
        [...b.availableByModel].sort(([a], [z]) => (a < z ? -1 : 1)).map(([m, v]) => [m, credits(v)]),
      ),
      currency: 'credits',
      ...(b.runwaySeconds !== undefined ? { runway_seconds: b.runwaySeconds } : {}),
    }),
    key: (k: ApiKey) => ({
      id: k.id,
      object: 'api_key',
      account_id: k.accountId,
      nickname: k.nickname,
      status: k.status,
      hint: k.hint,
      created_at: time(k.createdAtMs),
      last_used_at: time(k.lastUsedAtMs),
      spend_limit: limit(k.spendLimit),
      spend_budget: limit(k.spendBudget ?? null),
      ...('spentMinor' in k ? { spent: credits(k.spentMinor as bigint) } : {}),
    }),
    purchase: (p: Purchase) => ({
      id: p.id,
      object: 'credit_purchase',
      account_id: p.accountId,
      status: p.status,
      provider: p.provider,
      credits: credits(p.creditsMinor),
      unit_price: p.unitPrice,
      subtotal: formatMoney(p.subtotalMinor, p.currency),
      tax: formatMoney(p.taxMinor, p.currency),
      total: formatMoney(p.totalMinor, p.currency),
      currency: p.currency ?? 'USD',
      tax_rule: p.taxRule ?? null,
      checkout_url: p.checkoutUrl,
      invoice_id: p.invoiceId,
      origin: p.origin,
      models: p.models ?? null,
      created_at: time(p.createdAtMs),
    }),
    invoice: (i: Invoice) => ({
      id: i.id,
      object: 'invoice',
      number: i.number,
      account_id: i.accountId,
      purchase_id: i.purchaseId,
      issued_at: time(i.issuedAtMs),
      credits: credits(i.creditsMinor),
      total: formatMoney(i.totalMinor, i.currency),
      currency: i.currency,
      snapshot: i.snapshot,
    }),
    creditNote: (n: CreditNote) => ({
      id: n.id,
      object: 'credit_note',
      number: n.number,
      account_id: n.accountId,
      invoice_id: n.invoiceId,
      purchase_id: n.purchaseId,
      credits: credits(n.creditsMinor),
      total: formatMoney(n.totalMinor, n.snapshot.currency),
      currency: n.snapshot.currency,
      issued_at: time(n.issuedAtMs),
      snapshot: n.snapshot,
    }),
    hold: (h: Hold) => ({
      id: h.id,
      object: 'hold',
      account_id: h.accountId,
      status: h.status,
      credits: credits(h.creditsMinor),
      captured: h.capturedMinor === null ? null : credits(h.capturedMinor),
      reference: h.reference,
      api_key_id: h.apiKeyId,
      expires_at: time(h.expiresAtMs),
      created_at: time(h.createdAtMs),
    }),
  };
}

export type Serializers = ReturnType<typeof serializers>;
