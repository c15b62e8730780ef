import { formatAmount, parseCredits, proRata } from '../kernel/amount.ts';
import { lotsSpendIn } from '../kernel/balance.ts';
import { postOrFail, SYSTEM_ACCOUNTS } from '../kernel/chart.ts';
import { type Context, fail } from '../kernel/context.ts';
import { formatMoney } from '../kernel/currency.ts';
import { type Result, refuse } from '../kernel/errors.ts';
import type { CreditNote } from '../kernel/model.ts';
import { isoUtc } from '../kernel/time.ts';
import { balanceUnit } from '../kernel/unit-of-work.ts';
import { emit } from '../webhooks/index.ts';
import { vatInNationalCurrency } from './credits.ts';
import { numbering, sellerOf } from './invoices.ts';

/**
 * Refunds unspent credits of a paid purchase (default: all of them). Unspent means still in the
 * purchase's lot once the credits already consumed but not billed, and those held, have burned
 * the account's lots in burn order, each model's usage the lots that may pay for it (`spendOfLots`,
 * scoped lots included): a refund never returns credits the customer has used. Issues a
 * credit note in its own gapless series and removes the credits by a transfer. The money of all
 * notes of a purchase is `total x refunded credits / bought credits`, rounded half up to the cent
 * cumulatively, so the notes never add up to more than the invoice.
 */
export async function refundPurchase(
  ctx: Context,
  purchaseId: string,
  rawCredits?: unknown,
): Promise<Result<CreditNote>> {
  let requested: bigint | undefined;
  if (rawCredits !== undefined) {
    const parsed = parseCredits(rawCredits, ctx.config.scales.credits, ctx.config.maxCreditsMinor, 'credits');
    if (!parsed.ok) return parsed;
    requested = parsed.value;
  }
  let warn: (() => void) | undefined;
  const result = await balanceUnit(ctx, async (tx) => {
    const found = await tx.purchases.get(purchaseId);
    if (!found) fail(refuse('not_found', `no purchase ${purchaseId}`));
    await tx.accounts.lock(found.accountId);
    const purchase = (await tx.purchases.get(purchaseId))!;
    if (purchase.status !== 'paid' || !purchase.invoiceId) {
      fail(
        refuse(
          'invalid_state',
          `purchase ${purchaseId} is ${purchase.status}; only a paid purchase can be refunded`,
        ),
      );
    }
    // Read under the account's lock: billing, expiry, captures and other refunds wait for it.
    const lot = (await tx.lots.findBySource(purchase.id))!;
    const spend = (await lotsSpendIn(tx, purchase.accountId))!;
    const unspent = spend.unspent.get(lot.id) ?? 0n;
    // Never past what the account can give back: what any model can use for an unscoped lot; for a
    // scoped one, its own credits count too (posted - pending - unbilled), so a debt of usage no
    // lot covered is never refunded.
    const room = lot.models === null ? spend.available : spend.posted - spend.pending - spend.unbilled;
    const refundable = unspent < room ? unspent : room > 0n ? room : 0n;
    const credits = requested ?? refundable;
    if (credits <= 0n || credits > refundable) {
      fail(
        refuse(
          'insufficient_credits',
          `${formatAmount(refundable, ctx.config.scales.credits)} credits of this purchase remain unspent`,
        ),
      );
    }
    const earlier = await tx.invoices.listCreditNotes({ purchaseId });
    let refundedCredits = credits;
    let refundedMoney = 0n;
    for (const n of earlier) {
      refundedCredits += n.creditsMinor;
      refundedMoney += n.totalMinor;
    }
    // Money and its tax, each pro rata of the credits refunded so far, rounded half up cumulatively.
    const share = (amount: bigint, part: bigint) => proRata(amount, part, purchase.creditsMinor);
    const totalMinor = share(purchase.totalMinor, refundedCredits) - refundedMoney;
    const taxMinor =
      share(purchase.taxMinor, refundedCredits) - share(purchase.taxMinor, refundedCredits - credits);
    const now = ctx.clock.nowMs();
    const id = ctx.ids.newId('cn');
    await postOrFail(
      tx,
      [
        {
          id: `refund_${id}`,
          debitAccountId: purchase.accountId,
          creditAccountId: SYSTEM_ACCOUNTS.issued,
          amount: credits,
          code: 'refund',
          metadata: { purchase_id: purchase.id, credit_note_id: id },
        },
      ],
      now,
    );
    await tx.lots.setRemaining([{ id: lot.id, remainingMinor: lot.remainingMinor - credits }]);
    const invoice = (await tx.invoices.getInvoice(purchase.invoiceId))!;
    const { series, render } = numbering(ctx.config.creditNoteNumberFormat, now);
    const number = render(await tx.invoices.nextNumber(series));
    const currency = purchase.currency ?? 'USD';
    const money = (m: bigint) => formatMoney(m, currency);
    const national = await vatInNationalCurrency(ctx, tx, number, currency, taxMinor, now);
    warn = national.warn;
    const note: CreditNote = {
      id,
      number,
      invoiceId: invoice.id,
      purchaseId: purchase.id,
      accountId: purchase.accountId,
      creditsMinor: credits,
      totalMinor,
      issuedAtMs: now,
      snapshot: {
        ...invoice.snapshot,
        kind: 'credit_note',
        number,
        issued_at: isoUtc(now),
        // The buyer as on the invoice it corrects (a credit note amends that invoice, with its tax).
        buyer: invoice.snapshot.buyer,
        seller: sellerOf(ctx.config),
        locale: ctx.config.invoiceLocale ?? 'en',
        invoice_issued_at: invoice.snapshot.issued_at,
        lines: [
          {
            description: `Refund of unspent credits (invoice ${invoice.number})`,
            quantity: formatAmount(credits, ctx.config.scales.credits),
            unit_price: purchase.unitPrice,
            amount: money(totalMinor - taxMinor),
          },
        ],
        subtotal: money(totalMinor - taxMinor),
        tax: money(taxMinor),
        total: money(totalMinor),
        national_vat: national.value,
        invoice_number: invoice.number,
      },
    };
    await tx.invoices.insertCreditNote(note);
    await emit(ctx, tx, 'credit_note.issued', {
      credit_note_id: note.id,
      number: note.number,
      invoice_id: note.invoiceId,
      purchase_id: note.purchaseId,
      account_id: note.accountId,
      credits: formatAmount(credits, ctx.config.scales.credits),
      total: money(totalMinor),
      currency,
    });
    return note;
  });
  if (result.ok) warn?.();
  return result;
}
