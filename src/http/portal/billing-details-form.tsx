import type { AccountPatch } from '../../core/access/index.ts';
import {
  BILLING_FIELD_MAX_CHARS,
  type BillingDetails,
  billingDetailsJson,
} from '../../core/kernel/billing-details.ts';
import { PostForm } from './layout.tsx';

/** The form's fields, in the order of an address, with the names the API uses. */
const FIELDS = [
  { name: 'legal_name', label: 'Legal name', required: true, autocomplete: 'organization' },
  { name: 'address_line1', label: 'Address', required: true, autocomplete: 'address-line1' },
  {
    name: 'address_line2',
    label: 'Address, second line (optional)',
    required: false,
    autocomplete: 'address-line2',
  },
  { name: 'postal_code', label: 'Postal code', required: true, autocomplete: 'postal-code' },
  { name: 'city', label: 'City', required: true, autocomplete: 'address-level2' },
  { name: 'country', label: 'Country (2 letters, e.g. DE)', required: true, autocomplete: 'country' },
  { name: 'tax_id', label: 'VAT number (optional, e.g. DE123456789)', required: false, autocomplete: 'off' },
] as const;

/** How a refusal names each field, for the portal's message ("The VAT number must be ..."). */
export const BILLING_DETAILS_LABELS: Record<string, string> = {
  'billing_details.legal_name': 'The legal name',
  'billing_details.address_line1': 'The address',
  'billing_details.address_line2': 'The second address line',
  'billing_details.postal_code': 'The postal code',
  'billing_details.city': 'The city',
  'billing_details.country': 'The country',
  'billing_details.tax_id': 'The VAT number',
};

/**
 * The account change the form asks for; checked by the core (`parseBillingDetails`), as the
 * API's PATCH is. Optional fields left empty are none.
 * @example billingDetailsPatch({ legal_name: 'Muster GmbH', ..., tax_id: '' }).billingDetails.tax_id // null
 */
export function billingDetailsPatch(form: Record<string, unknown>): AccountPatch {
  const value = (name: string) => String(form[name] ?? '').trim();
  return {
    billingDetails: Object.fromEntries(
      FIELDS.map((f) => [f.name, f.required || value(f.name) !== '' ? value(f.name) : null]),
    ),
  };
}

/** Billing details: who invoices are addressed to, as the customer keeps them. */
export function BillingDetailsSection(p: {
  csrf: string;
  details: BillingDetails | null;
  /** What a refused form held, to fill it again. */
  draft: Record<string, unknown>;
}) {
  const current: Record<string, string | null> = p.details ? { ...billingDetailsJson(p.details) } : {};
  const value = (name: string) => {
    const typed = p.draft[name];
    return typeof typed === 'string' ? typed : (current[name] ?? '');
  };
  return (
    <section aria-labelledby="details-h">
      <h2 id="details-h">Billing details</h2>
      <p class="muted" data-testid="billing-details-summary">
        {p.details
          ? `Invoices are addressed to ${p.details.legalName}, ${p.details.city} (${p.details.country})${p.details.taxId ? `, VAT number ${p.details.taxId}` : ''}. A change applies to the next invoices; those already issued stay as they are.`
          : 'None yet: invoices show your account name only. Add your company details and VAT number to have them on your invoices.'}
      </p>
      <PostForm action="/portal/billing/details" csrf={p.csrf}>
        <div class="row">
          {FIELDS.map((f) => (
            <div>
              <label for={`bd-${f.name}`}>{f.label}</label>
              <input
                id={`bd-${f.name}`}
                name={f.name}
                autocomplete={f.autocomplete}
                required={f.required}
                maxlength={f.name === 'country' ? 2 : BILLING_FIELD_MAX_CHARS[f.name]}
                size={f.name === 'country' ? 4 : f.name === 'postal_code' ? 10 : 28}
                value={value(f.name)}
              />
            </div>
          ))}
          <button type="submit">Save billing details</button>
        </div>
      </PostForm>
    </section>
  );
}
