import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot, serve } from './browser.ts';

const ADMIN = 'admin-token-of-at-least-32-characters';

/** Both widths the issue names: a laptop and a phone. */
async function shootBoth(page: Page, name: string) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280.png`);
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing on a phone scrolls sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth'), name).toBeLessThanOrEqual(390);
  await screenshot(page, `${name}-390.png`);
  await page.setViewportSize(size);
}

browserSuite('the portal in Chromium: reloads repeat nothing, purchases stay listed, usage adds up', () => {
  it('a reload after Create key makes no second key; a pending purchase stays listed; the usage totals equal the records', async () => {
    const engine = await createTollgate();
    const app = createApp(engine, {
      adminToken: ADMIN,
      portal: { supportEmail: 'help@videogen.test', brandName: 'VideoGen' },
    });
    const { base, server } = await serve(app);
    const api = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const json: any = res.status === 204 ? null : await res.json();
      return { status: res.status, body: json };
    };
    const browser = await launchChromium();
    try {
      const acc = (await api('POST', '/v1/accounts', { name: 'Acme Films', email: 'ops@acme.test' })).body;
      const link = (await api('POST', `/v1/accounts/${acc.id}/portal_sessions`)).body;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(link.url);
      await shootBoth(page, 'flows-open-link');
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.waitForURL(/\/portal\/keys$/);

      // Every page says whose dashboard it is, under the operator's brand.
      expect(await page.getByTestId('brand').textContent()).toContain('VideoGen');
      expect(await page.title()).toBe('API Keys · VideoGen');
      expect(await page.getByTestId('account').textContent()).toContain('Acme Films');
      expect(await page.getByTestId('account-email').textContent()).toBe('ops@acme.test');
      expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/portal/favicon.svg');
      expect((await fetch(`${base}/portal/favicon.svg`)).headers.get('content-type')).toContain('image/svg');

      // Create a key: the secret shows once on the page the redirect opens; a reload creates nothing.
      await page.getByLabel('Nickname (required)').fill('render farm');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.waitForURL(/\/portal\/keys$/);
      const secret = (await page.getByTestId('new-secret').textContent())!.trim();
      expect(secret).toMatch(/^tg_/);
      await shootBoth(page, 'flows-keys-new-secret');
      await page.reload();
      expect(await page.content()).not.toContain(secret);
      expect(await page.getByTestId('new-secret').count()).toBe(0);
      const keys = (await api('GET', `/v1/accounts/${acc.id}/api_keys`)).body.data;
      expect(keys.map((k: { nickname: string }) => k.nickname)).toEqual(['render farm']);
      // A refused create comes back as an error, with what was typed still there.
      await page.getByLabel('Nickname (required)').fill('x'.repeat(5));
      await page.evaluate("document.getElementById('nickname').removeAttribute('required')");
      await page.getByLabel('Nickname (required)').fill(' ');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.waitForURL(/\/portal\/keys$/);
      expect(await page.getByRole('alert').textContent()).toMatch(/nickname/i);
      await page.reload();
      expect(await page.getByRole('alert').count()).toBe(0);
      await shootBoth(page, 'flows-keys');

      // Add Credits: the range in credits, grouped numbers, an error that looks like one.
      await page.getByRole('link', { name: 'Billing' }).click();
      expect(await page.getByTestId('credit-range').textContent()).toContain(
        'Buy 1,000 to 1,000,000 credits at a time',
      );
      await page.getByLabel('Credits you need').fill('500');
      await expect
        .poll(() => page.getByTestId('total').textContent())
        .toContain('500 credits would be $5.00');
      expect(await page.getByTestId('total').getAttribute('class')).toBe('error-text');
      expect(await page.getByLabel('Credits you need').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('button', { name: 'Buy credits' }).isDisabled()).toBe(true);
      await shootBoth(page, 'flows-billing-out-of-range');
      await page.getByRole('button', { name: '2,000 credits' }).click();
      await expect.poll(() => page.getByTestId('total').textContent()).toContain('Total: $20.00');
      await page.getByLabel('Credits you need').fill('1,500');
      await expect
        .poll(() => page.getByTestId('total').textContent())
        .toContain('Total: $15.00 for 1,500 credits');
      await page.getByRole('button', { name: 'Buy credits' }).click();
      await page.waitForURL(/\/portal\/billing$/);
      expect(await page.getByTestId('billing-message').textContent()).toContain('listed below as pending');
      // A reload buys nothing again, and the pending purchase stays listed after leaving the page.
      await page.reload();
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('link', { name: 'Billing' }).click();
      const purchases = (await api('GET', `/v1/accounts/${acc.id}/credit_purchases`)).body.data;
      expect(purchases).toHaveLength(1);
      const pendingRow = page.locator(`[data-purchase="${purchases[0].id}"]`);
      expect(await pendingRow.textContent()).toContain('Pending payment');
      expect(await pendingRow.textContent()).toContain('1,500');
      // A failed purchase is listed as failed; a confirmed one with its invoice.
      const second = (
        await api(
          'POST',
          `/v1/accounts/${acc.id}/credit_purchases`,
          { credits: '3000', provider: 'manual' },
          { 'idempotency-key': 'second' },
        )
      ).body;
      await api('POST', `/v1/credit_purchases/${second.id}/fail`);
      await page.reload();
      expect(await page.locator(`[data-purchase="${second.id}"]`).textContent()).toContain('Failed');
      expect(await pendingRow.textContent()).toContain('Pending payment');
      await shootBoth(page, 'flows-billing-pending');
      await api('POST', `/v1/credit_purchases/${purchases[0].id}/confirm`);
      await page.reload();
      expect(await pendingRow.textContent()).toContain('Paid');
      expect(await pendingRow.getByRole('link', { name: /PDF/ }).count()).toBe(1);
      expect(await page.getByTestId('available').textContent()).toBe('1500');
      expect(await page.getByTestId('balance-table').textContent()).toContain('$15.00');

      // Usage: two keys, three models, over the last days; one event voided.
      const second_key = (await api('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'staging' })).body;
      const now = Date.now();
      const events = Array.from({ length: 40 }, (_, i) => ({
        id: `evt_${String(i).padStart(2, '0')}`,
        api_key_id: i % 4 === 0 ? second_key.id : keys[0].id,
        model: ['video-4s-720p', 'image-1024', 'video-8s-1080p'][i % 3],
        quantity: '1',
        timestamp: new Date(now - (i % 10) * 5 * 3_600_000 - i * 1000).toISOString(),
      }));
      const ingested = (await api('POST', '/v1/usage_events', { events })).body.results;
      expect(ingested.every((r: { status: string }) => r.status === 'accepted')).toBe(true);
      await api('POST', '/v1/usage_events/evt_05/void', { reason: 'reported twice' });
      await page.getByRole('link', { name: 'Usage' }).click();
      const records = page.getByTestId('records').locator('tbody tr');
      expect(await records.count()).toBe(40);
      // Newest first, keys by nickname.
      const times = await records.evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent!));
      expect([...times].sort().reverse()).toEqual(times);
      expect(await page.getByTestId('records').textContent()).toContain('render farm');
      expect(await page.getByTestId('records').textContent()).not.toContain(keys[0].id);
      // The totals of the period are what the records add up to (the voided one left out).
      const counted = await records.evaluateAll((rows) =>
        rows
          .filter((r) => r.getAttribute('data-status') === 'accepted')
          .map((r) => Number(r.querySelector('[data-credits]')!.getAttribute('data-credits'))),
      );
      const sum = counted.reduce((a, b) => a + b, 0);
      const shown = (id: string) =>
        page
          .getByTestId(id)
          .textContent()
          .then((t) => Number(t!.replace(/[$,]/g, '')));
      expect(await shown('total-credits')).toBe(sum);
      expect(await shown('total-events')).toBe(counted.length);
      expect(await shown('total-usd')).toBeCloseTo(sum * 0.01, 2);
      expect(await page.getByTestId('breakdown').textContent()).toContain('video-8s-1080p');
      // The chart: a bucket for each of the 7 days, values on the y axis.
      const axis = await page.getByTestId('chart').locator('text').allTextContents();
      expect(axis).toContain('0');
      expect(axis.filter((t) => /^[A-Z][a-z]{2} \d{1,2}$/.test(t))).toHaveLength(7);
      await shootBoth(page, 'flows-usage');
      // One day: hours, never one bar across the whole chart.
      const today = new Date().toISOString().slice(0, 10);
      await page.goto(`${base}/portal/usage?from=${today}&to=${today}`);
      expect(await page.getByLabel('Per', { exact: true }).inputValue()).toBe('hour');
      const widths = await page
        .getByTestId('chart')
        .locator('rect:not([fill=transparent])')
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
      expect(widths.length).toBeGreaterThan(0);
      expect(Math.max(...widths)).toBeLessThanOrEqual(44);
      await page.getByTestId('chart').locator('a').first().hover();
      await expect.poll(() => page.locator('.tip').textContent()).toMatch(/Total: [\d.]+ credits/);
      await shootBoth(page, 'flows-usage-one-day');
      // By key: the keys by their nicknames, in the breakdown and the chart's legend.
      await page.getByLabel('By', { exact: true }).selectOption('api_key');
      await page.getByRole('button', { name: 'Show' }).click();
      expect(await page.getByTestId('breakdown').textContent()).toContain('render farm');
      expect(await page.locator('figcaption').textContent()).toContain('staging');
      expect(await page.getByTestId('breakdown').textContent()).not.toContain(keys[0].id);
      await shootBoth(page, 'flows-usage-by-key');
      await page.getByRole('link', { name: 'API Keys' }).click();
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('link', { name: 'API Keys' }).click();
      await page.getByRole('button', { name: 'Suspend staging' }).click();
      await page.waitForURL(/\/portal\/keys$/);
      expect(await page.getByTestId('keys-message').textContent()).toContain('suspended');
      await shootBoth(page, 'flows-keys-two');

      // An unknown portal path: an HTML page with the way back.
      const missing = await page.goto(`${base}/portal/nope`);
      expect(missing?.status()).toBe(404);
      expect(await page.textContent('main')).toContain('There is no such page in the dashboard.');
      expect(await page.getByTestId('account').textContent()).toContain('Acme Films');
      await shootBoth(page, 'flows-404');
      await page.goto(`${base}/portal/keys`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/signed-out$/);
      await shootBoth(page, 'flows-signed-out');
    } finally {
      await browser.close();
      server.close();
      await engine.close();
    }
  }, 180_000);
});
