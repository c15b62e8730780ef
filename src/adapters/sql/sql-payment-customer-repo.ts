import type { PaymentCustomer, PaymentCustomerRepo } from '../../core/kernel/ports.ts';
import { type Row, type SqlConnection, str, strOrNull } from './sql-connection.ts';

const toCustomer = (r: Row): PaymentCustomer => ({
  accountId: str(r.account_id),
  provider: str(r.provider),
  customerRef: str(r.customer_ref),
  paymentMethodRef: strOrNull(r.payment_method_ref),
});

export class SqlPaymentCustomerRepo implements PaymentCustomerRepo {
  constructor(private readonly c: SqlConnection) {}

  async get(accountId: string, provider: string): Promise<PaymentCustomer | undefined> {
    const row = (await this.c
      .stmt('SELECT * FROM payment_customers WHERE account_id = ? AND provider = ?')
      .get(accountId, provider)) as Row | undefined;
    return row && toCustomer(row);
  }

  async insertCustomer(
    customer: { accountId: string; provider: string; customerRef: string },
    atMs: number,
  ): Promise<PaymentCustomer> {
    // The first customer recorded stays: a concurrent one (another process) is not written over.
    await this.c
      .stmt(
        `INSERT INTO payment_customers (account_id, provider, customer_ref, payment_method_ref, updated_at_ms)
         VALUES (?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING`,
      )
      .run(customer.accountId, customer.provider, customer.customerRef, atMs);
    return (await this.get(customer.accountId, customer.provider))!;
  }

  async setPaymentMethod(
    accountId: string,
    provider: string,
    paymentMethodRef: string,
    atMs: number,
  ): Promise<void> {
    await this.c
      .stmt(
        'UPDATE payment_customers SET payment_method_ref = ?, updated_at_ms = ? WHERE account_id = ? AND provider = ?',
      )
      .run(paymentMethodRef, atMs, accountId, provider);
  }
}
