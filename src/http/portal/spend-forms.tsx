import type { SpendLimit } from '../../core/kernel/model.ts';
import { SPEND_PERIODS } from '../../core/spend/index.ts';
import { PostForm } from './layout.tsx';

/** The current period of a limit, as a customer says it (periods are UTC). */
const CURRENT: Record<SpendLimit['period'], string> = { day: 'today', month: 'this month' };

/**
 * Credits used against a limit in its period, or what was used today without one.
 * @example spentText(fmt, 12_500_000n, { creditsMinor: 100_000_000n, period: 'day' }) // "12.5 of 100 credits today"
 */
export function spentText(
  credits: (m: bigint) => string,
  spentMinor: bigint | null,
  limit: SpendLimit | null,
): string {
  if (limit)
    return `${credits(spentMinor ?? 0n)} of ${credits(limit.creditsMinor)} credits ${CURRENT[limit.period]}`;
  return spentMinor === null ? 'No limit' : `${credits(spentMinor)} credits today, no limit`;
}

/**
 * Sets a spend limit (credits per UTC day or month) by POST to `action`, and removes it by POST to
 * `action/remove`. `id` keeps the labels of several forms on one page apart.
 */
export function LimitForm(props: {
  action: string;
  csrf: string;
  id: string;
  /** Whose limit, for screen readers: "render farm", "the account". */
  subject: string;
  /** The customer's own limit (their budget), which this form sets and removes. */
  limit: SpendLimit | null;
  /** The operator's cap, shown and never changed here: the customer's limit applies within it. */
  cap?: SpendLimit | null;
  credits: (m: bigint) => string;
}) {
  const { id, limit, cap } = props;
  return (
    <div class="row">
      {cap && (
        <p class="muted" data-testid="spend-cap">
          Your provider caps {props.subject} at {props.credits(cap.creditsMinor)} credits a UTC {cap.period}.
          A limit of your own applies within it: the lower one wins.
        </p>
      )}
      <PostForm action={props.action} csrf={props.csrf}>
        <div class="row">
          <AmountInput
            id={`${id}-credits`}
            name="credits"
            label="Limit (credits)"
            value={limit ? props.credits(limit.creditsMinor) : ''}
            placeholder="100"
            size={8}
          />
          <div>
            <label for={`${id}-period`}>Per (UTC)</label>
            <select id={`${id}-period`} name="period">
              {SPEND_PERIODS.map((period) => (
                <option value={period} selected={(limit?.period ?? 'day') === period}>
                  {period}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary" aria-label={`Set the spend limit of ${props.subject}`}>
            Set limit
          </button>
        </div>
      </PostForm>
      {limit && (
        <PostForm action={`${props.action}/remove`} csrf={props.csrf}>
          <button type="submit" class="secondary" aria-label={`Remove the spend limit of ${props.subject}`}>
            Remove limit
          </button>
        </PostForm>
      )}
    </div>
  );
}

/** A labelled decimal input (credits or USD) of a portal form. */
export function AmountInput(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  placeholder: string;
  size: number;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        inputmode="decimal"
        autocomplete="off"
        required
        size={props.size}
        value={props.value}
        placeholder={props.placeholder}
      />
    </div>
  );
}
