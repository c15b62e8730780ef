import { expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot, serve } from './browser.ts';

browserSuite('the Pricing page and rated records in the customer portal', () => {
  it("shows a contract customer's prices and the next version, and how each record was rated, at 1280 and 390 px", async () => {
    const engine = await createTollgate();
    const app = createApp(engine, { adminToken: 'admin-token-of-at-least-32-characters' });
    const { base, server } = await serve(app);
    const browser = await launchChromium();
    try {
      const acc = await engine.accounts.create({ name: 'Acme Films' });
      if (!acc.ok) throw new Error(acc.message);
      const accountId = acc.value.id;
      await engine.credits.grant(accountId, { credits: '100', reason: 'welcome' });
      const contract = await engine.contracts.create(accountId, {
        discount_percent: '20',
        models: [{ model: 'video-4s-720p', credits: '15', whole: true }],
      });
      expect(contract.ok).toBe(true);
      const next = await engine.prices.createVersion({
        effective_at: '2099-01-01T00:00:00Z',
        models: [
          {
            model: 'chat-large',
            dimensions: [{ name: 'input_tokens', credits: '2', per: '1000000', whole: true }],
          },
        ],
      });
      expect(next.ok).toBe(true);
      const now = new Date().toISOString();
      await engine.usage.ingest([
        { id: 'render-42', account_id: accountId, model: 'video-4s-720p', quantity: '2', timestamp: now },
        {
          id: 'chat-9',
          account_id: accountId,
          model: 'chat-large',
          quantities: { input_tokens: '120000', output_tokens: '35000' },
          timestamp: now,
        },
      ]);
      const link = await engine.portal.createLink(accountId);
      if (!link.ok) throw new Error(link.message);
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${base}/portal/session/${link.value.token}`);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.getByRole('link', { name: 'Pricing' }).click();
      await page.waitForURL(/\/portal\/pricing$/);
      const video = page.getByTestId('prices').locator('tr[data-model="video-4s-720p"]');
      expect(await video.textContent()).toContain('15 credits each');
      const input = page
        .getByTestId('prices')
        .locator('tr[data-model="chat-large"][data-dimension="input_tokens"]');
      expect(await input.textContent()).toContain('2 credits per 1,000,000');
      expect(await page.getByTestId('contract').textContent()).toContain('20 % off');
      expect(await page.getByTestId('next-prices').textContent()).toContain('2099-01-01');
      await screenshot(page, 'portal-pricing-1280.png');
      await page.setViewportSize({ width: 390, height: 900 });
      await screenshot(page, 'portal-pricing-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole('link', { name: 'Usage' }).click();
      const chat = page.getByTestId('records').locator('tr', { hasText: 'chat-9' });
      // 120,000 x 2/1M + 35,000 x 8/1M = 0.24 + 0.28 = 0.52 credits (20 % off the card)
      expect(await chat.textContent()).toContain(
        '120,000 input tokens × 2 credits / 1M + 35,000 output tokens × 8 credits / 1M',
      );
      expect(await chat.getAttribute('data-status')).toBe('accepted');
      expect(await chat.locator('[data-credits]').getAttribute('data-credits')).toBe('0.52');
      const render = page.getByTestId('records').locator('tr', { hasText: 'render-42' });
      expect(await render.textContent()).toContain('2 × 15 credits a unit');
      await screenshot(page, 'portal-usage-rated-1280.png');
      await page.setViewportSize({ width: 390, height: 900 });
      await screenshot(page, 'portal-usage-rated-390.png');
    } finally {
      await browser.close();
      server.close();
      await engine.close();
    }
  });
});
