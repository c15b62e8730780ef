import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot, serve } from './browser.ts';

/** Screenshots of the whole page at a desktop and a phone width, for a person to look at. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `${name}-${width}.png`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

browserSuite('spend controls in the customer portal', () => {
  it('a key limit stops the key at 100 of 100; auto top-up starts below its threshold, and its failure shows a banner', async () => {
    const engine = await createTollgate();
    const app = createApp(engine, { adminToken: 'admin', portal: { supportEmail: 'help@example.test' } });
    const { base, server } = await serve(app);
    const browser = await launchChromium();
    let n = 0;
    const use = async (by: { api_key_id: string } | { account_id: string }, credits: string) => {
      const r = await engine.usage.ingest([
        {
          id: `evt_${++n}`,
          ...by,
          model: 'image-1024',
          quantity: '1',
          credits,
          timestamp: new Date().toISOString(),
        },
      ]);
      expect(r[0]?.status).toBe('accepted');
    };
    try {
      const acc = await engine.accounts.create({ name: 'Acme Films' });
      if (!acc.ok) throw new Error(acc.message);
      const accountId = acc.value.id;
      expect((await engine.credits.grant(accountId, { credits: '1000', reason: 'welcome' })).ok).toBe(true);
      const key = await engine.keys.create(accountId, 'render farm');
      const other = await engine.keys.create(accountId, 'batch jobs');
      if (!key.ok || !other.ok) throw new Error('keys not created');
      const link = await engine.portal.createLink(accountId);
      if (!link.ok) throw new Error(link.message);

      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${base}/portal/session/${link.value.token}`);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.waitForURL(/\/portal\/keys$/);
      const row = page.locator(`tr[data-key="${key.value.key.id}"]`);
      expect(await row.getByTestId('spent').textContent()).toBe('0 credits today, no limit');

      // A limit of 0 is refused on the page; 100 a day is set, and a reload sends nothing again.
      await row.getByText('Set a limit').click();
      await row.getByLabel('Limit (credits)').fill('0');
      await row.getByRole('button', { name: 'Set the spend limit of render farm' }).click();
      expect(await page.getByRole('alert').textContent()).toBe('The limit must be greater than zero.');
      await page.goto(`${base}/portal/keys`);
      await row.getByText('Set a limit').click();
      await row.getByLabel('Limit (credits)').fill('2000000000');
      await row.getByRole('button', { name: 'Set the spend limit of render farm' }).click();
      expect(await page.getByRole('alert').textContent()).toBe('The limit must be at most 1000000000.');
      await page.goto(`${base}/portal/keys`);
      await row.getByText('Set a limit').click();
      await row.getByLabel('Limit (credits)').fill('100');
      await row.getByLabel('Per (UTC)').selectOption('day');
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/limit')),
        row.getByRole('button', { name: 'Set the spend limit of render farm' }).click(),
      ]);
      expect(answer.status()).toBe(303);
      await page.waitForURL(/\/portal\/keys$/);
      expect(await row.getByTestId('spent').textContent()).toBe('0 of 100 credits today');

      // Usage reaches the limit: the page says so, and the key is refused; the other key still verifies.
      await use({ api_key_id: key.value.key.id }, '60');
      await use({ api_key_id: key.value.key.id }, '40');
      await page.reload();
      expect(await row.getByTestId('spent').textContent()).toBe('100 of 100 credits today');
      expect(await engine.keys.verify(key.value.secret)).toEqual({
        valid: false,
        code: 'spend_limit_reached',
      });
      expect((await engine.keys.verify(other.value.secret)).valid).toBe(true);
      await row.getByText('Change limit').click();
      await shoot(page, 'portal-keys-spend-limit');

      // Billing: an account limit, then auto top-up below 800 available (900 left now).
      await page.getByRole('link', { name: 'Billing' }).click();
      expect(await page.getByTestId('runway').textContent()).toMatch(
        /^At your current rate your credits last about \d+ (days|hours)\.$/,
      );
      expect(await page.getByTestId('account-spent').textContent()).toBe('No limit');
      await page.getByLabel('Limit (credits)').fill('5000');
      await page.getByLabel('Per (UTC)').selectOption('month');
      await page.getByRole('button', { name: 'Set the spend limit of the account' }).click();
      await page.waitForURL(/saved=limit/);
      expect(await page.getByTestId('account-spent').textContent()).toBe('100 of 5000 credits this month');
      await page.getByLabel('When available falls below (credits)').fill('800');
      await page.getByLabel('Buy (credits)').fill('1000');
      await page.getByLabel('At most a month (in your currency)').fill('5');
      await page.getByRole('button', { name: 'Turn on automatic top-up' }).click();
      expect(await page.getByTestId('billing-message').textContent()).toBe(
        "The monthly maximum must be at least one top-up's total (10.00 USD).",
      );
      await page.getByLabel('At most a month (in your currency)').fill('30');
      await page.getByRole('button', { name: 'Turn on automatic top-up' }).click();
      await page.waitForURL(/saved=auto_top_up/);
      expect(await page.getByTestId('top-up-settings').textContent()).toBe(
        'On: when fewer than 800 credits are available, buy 1000 credits, up to $30.00 a month.',
      );
      expect(await page.getByTestId('last-top-up').count()).toBe(0);

      // Usage crosses the threshold: one top-up waits for the operator.
      await use({ api_key_id: other.value.key.id }, '150');
      await page.goto(`${base}/portal/billing`);
      expect(await page.getByTestId('last-top-up').textContent()).toMatch(
        /^Last automatic top-up: 1000 credits, \$10\.00, pending \(pending since .* UTC\)$/,
      );
      expect(await page.getByTestId('top-up-failed').count()).toBe(0);
      const pending = await engine.credits.allPurchases({ status: 'pending', limit: 10 });
      expect(pending.data).toHaveLength(1);
      expect(pending.data[0]?.origin).toBe('auto_top_up');

      // It fails: a banner says so, with the way to buy by hand.
      expect((await engine.credits.fail(pending.data[0]!.id)).ok).toBe(true);
      await page.reload();
      const banner = page.getByTestId('top-up-failed');
      expect(await banner.textContent()).toMatch(
        /^Your automatic top-up of \$10\.00 failed on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Buy credits by hand to keep your keys working\.$/,
      );
      expect(await page.getByTestId('last-top-up').textContent()).toContain('failed');
      await shoot(page, 'portal-billing-spend');
      await banner.getByRole('link', { name: 'Buy credits by hand' }).click();
      // The Add Credits form is in view.
      expect(new URL(page.url()).hash).toBe('#add-h');
      const top = Number(
        await page.evaluate('document.getElementById("credits").getBoundingClientRect().top'),
      );
      expect(top).toBeGreaterThan(0);
      expect(top).toBeLessThan(900);
    } finally {
      await browser.close();
      server.close();
      await engine.close();
    }
  }, 120_000);
});
