import { expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot, serve } from './browser.ts';

browserSuite('disputing a charge in the customer portal', () => {
  it('from a bar of the chart to the record, a dispute, and the operator voiding it with the credits back', async () => {
    const engine = await createTollgate();
    const app = createApp(engine, {
      adminToken: 'admin-token-of-at-least-32-characters',
      portal: { supportEmail: 'help@example.test' },
    });
    const { base, server } = await serve(app);
    const browser = await launchChromium();
    try {
      const acc = await engine.accounts.create({ name: 'Acme Films' });
      if (!acc.ok) throw new Error(acc.message);
      const accountId = acc.value.id;
      await engine.credits.grant(accountId, { credits: '100', reason: 'welcome' });
      const now = new Date().toISOString();
      await engine.usage.ingest([
        { id: 'render-42', account_id: accountId, model: 'video-4s-720p', quantity: '1', timestamp: now },
      ]);
      const link = await engine.portal.createLink(accountId);
      if (!link.ok) throw new Error(link.message);

      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${base}/portal/session/${link.value.token}`);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.goto(`${base}/portal/usage`);
      // The bar of today opens today's records, per hour.
      await page
        .getByRole('link', { name: /^Records of / })
        .first()
        .click();
      await page.waitForURL(/granularity=hour/);
      const row = page.getByTestId('records').locator('tr', { hasText: 'render-42' });
      // The rate behind the charge, and whether a billing run has taken it yet.
      expect(await row.textContent()).toContain('20 credits a unit');
      expect(await row.textContent()).toContain('not billed yet');
      await row.getByText('Dispute').click();
      await row.getByLabel('What is wrong?').fill('the render failed, no video came back');
      await row.getByRole('button', { name: 'Send' }).click();
      await page.waitForLoadState();
      expect(await page.getByTestId('disputes').textContent()).toContain('Open: under review');
      expect(await row.textContent()).toContain('Disputed');
      await screenshot(page, 'portal-dispute-open-1280.png');
      await page.setViewportSize({ width: 390, height: 900 });
      await screenshot(page, 'portal-dispute-open-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });

      const open = await engine.usage.disputes({ status: 'open', limit: 10 });
      expect(open.data.map((d) => [d.eventId, d.reason])).toEqual([
        ['render-42', 'the render failed, no video came back'],
      ]);
      const resolved = await engine.usage.resolveDispute(
        open.data[0]!.id,
        'void',
        'Sorry about that: voided.',
      );
      expect(resolved.ok).toBe(true);
      await page.reload();
      const disputes = await page.getByTestId('disputes').textContent();
      expect(disputes).toContain('Resolved: voided, credits returned');
      expect(disputes).toContain('Sorry about that: voided.');
      expect(await row.textContent()).toContain('voided');
      // Unbilled dropped at once: the 20 credits are available again.
      const balance = await engine.accounts.balance(accountId);
      expect(balance.ok && balance.value.available).toBe(100_000_000n);
      await screenshot(page, 'portal-dispute-resolved-1280.png');
    } finally {
      await browser.close();
      server.close();
      await engine.close();
    }
  });
});
