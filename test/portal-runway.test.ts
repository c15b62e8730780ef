import { describe, expect, it } from 'vitest';
import { runwayText } from '../src/http/portal/billing-page.tsx';

describe('the runway as the Billing page says it', () => {
  it('days from 2 days up, hours below, run out at 0, nothing without usage in the last 24 hours', () => {
    const DAY = 86_400;
    expect(runwayText(null)).toBeNull();
    expect(runwayText(30 * DAY + 5)).toBe('At your current rate your credits last about 30 days.');
    expect(runwayText(2 * DAY)).toBe('At your current rate your credits last about 2 days.');
    expect(runwayText(2 * DAY - 1)).toBe('At your current rate your credits last about 47 hours.');
    expect(runwayText(3600)).toBe('At your current rate your credits last about 1 hour.');
    expect(runwayText(3599)).toBe('At your current rate your credits run out within the hour.');
    expect(runwayText(0)).toBe('Your credits have run out.');
  });
});
