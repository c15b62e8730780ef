import type { Migration } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_webhooks.ts';
import * as m003 from './003_portal.ts';
import * as m004 from './004_usage_arrival_order.ts';
import * as m005 from './005_operator_tokens.ts';
import * as m006 from './006_spend_controls.ts';
import * as m007 from './007_stripe_customers.ts';
import * as m008 from './008_usage_voids.ts';
import * as m009 from './009_usage_disputes.ts';
import * as m010 from './010_usage_billings.ts';
import * as m011 from './011_billing_details.ts';
import * as m012 from './012_lot_movements.ts';
import * as m013 from './013_account_lookup.ts';
import * as m014 from './014_usage_rollup_seq.ts';
import * as m015 from './015_usage_events_key.ts';
import * as m016 from './016_idempotency.ts';
import * as m017 from './017_spend_budgets.ts';
import * as m018 from './018_rate_card.ts';
import * as m019 from './019_scoped_credits.ts';
import * as m020 from './020_currencies_and_tax.ts';

/** Every migration, in order. Listed by hand so no file-system scan is needed at start. */
export const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_webhooks': m002,
  '003_portal': m003,
  '004_usage_arrival_order': m004,
  '005_operator_tokens': m005,
  '006_spend_controls': m006,
  '007_stripe_customers': m007,
  '008_usage_voids': m008,
  '009_usage_disputes': m009,
  '010_usage_billings': m010,
  '011_billing_details': m011,
  '012_lot_movements': m012,
  '013_account_lookup': m013,
  '014_usage_rollup_seq': m014,
  '015_usage_events_key': m015,
  '016_idempotency': m016,
  '017_spend_budgets': m017,
  '018_rate_card': m018,
  '019_scoped_credits': m019,
  '020_currencies_and_tax': m020,
};
