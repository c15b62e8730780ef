import type { Tx } from '../../core/kernel/ports.ts';
import { SqlAccountRepo, SqlKeyRepo } from './sql-account-repos.ts';
import { SqlAllowanceRepo } from './sql-allowance-repo.ts';
import type { SqlConnection } from './sql-connection.ts';
import { SqlHoldRepo, SqlInvoiceRepo, SqlLotRepo, SqlPurchaseRepo } from './sql-credit-repos.ts';
import { SqlDisputeRepo } from './sql-dispute-repo.ts';
import { SqlFinanceRepo } from './sql-finance-repo.ts';
import { SqlIdempotencyRepo } from './sql-idempotency-repo.ts';
import { SqlLedgerRepo } from './sql-ledger-repo.ts';
import { SqlAuditRepo, SqlOperatorRepo } from './sql-operator-repo.ts';
import { SqlPaymentCustomerRepo } from './sql-payment-customer-repo.ts';
import { SqlPortalRepo } from './sql-portal-repo.ts';
import { SqlPriceRepo } from './sql-price-repo.ts';
import { SqlSpendRepo } from './sql-spend-repo.ts';
import { SqlVoidRepo } from './sql-void-repo.ts';
import { SqlWebhookRepo } from './sql-webhook-repo.ts';

/** Every repository of a unit of work but usage, whose storage differs by database. */
export function sqlRepos(c: SqlConnection): Omit<Tx, 'usage'> {
  return {
    ledger: new SqlLedgerRepo(c),
    accounts: new SqlAccountRepo(c),
    keys: new SqlKeyRepo(c),
    purchases: new SqlPurchaseRepo(c),
    invoices: new SqlInvoiceRepo(c),
    lots: new SqlLotRepo(c),
    holds: new SqlHoldRepo(c),
    webhooks: new SqlWebhookRepo(c),
    portal: new SqlPortalRepo(c),
    operators: new SqlOperatorRepo(c),
    audit: new SqlAuditRepo(c),
    idempotency: new SqlIdempotencyRepo(c),
    spend: new SqlSpendRepo(c),
    paymentCustomers: new SqlPaymentCustomerRepo(c),
    voids: new SqlVoidRepo(c),
    disputes: new SqlDisputeRepo(c),
    finance: new SqlFinanceRepo(c),
    prices: new SqlPriceRepo(c),
    allowances: new SqlAllowanceRepo(c),
  };
}
