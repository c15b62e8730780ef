import { expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot, serve } from './browser.ts';

browserSuite('billing details in the customer portal (Chromium)', () => {
  it('the customer fills them in, a wrong VAT number is named, the saved details show on the next invoice', async () => {
    const engine = await createTollgate({
      config: {
        taxRate: '0.2',
        seller: {
          name: 'Studio Lumière SAS',
          address: '12 rue de la Paix; 75002 Paris',
          taxId: 'FR40123456789',
          country: 'FR',
        },
      },
    });
    const app = createApp(engine, {
      adminToken: 'admin-token-of-at-least-32-characters',
      portal: { supportEmail: 'help@example.test' },
    });
    const { base, server } = await serve(app);
    const browser = await launchChromium();
    try {
      const acc = await engine.accounts.create({ name: 'Bildwerk' });
      if (!acc.ok) throw new Error(acc.message);
      const link = await engine.portal.createLink(acc.value.id);
      if (!link.ok) throw new Error(link.message);
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${base}/portal/session/${link.value.token}`);
      await page.getByRole('button', { name: 'Open the dashboard' }).click();
      await page.goto(`${base}/portal/billing`);
      await page.getByLabel('Legal name').fill('Bildwerk Medien GmbH');
      await page.getByLabel('Address', { exact: true }).fill('Torstraße 140');
      await page.getByLabel('Postal code').fill('10119');
      await page.getByLabel('City').fill('Berlin');
      await page.getByLabel(/^Country/).fill('DE');
      await page.getByLabel(/^VAT number/).fill('DE 12345');
      await page.getByRole('button', { name: 'Save billing details' }).click();
      await page.waitForLoadState();
      expect(await page.getByTestId('billing-message').textContent()).toContain(
        'The VAT number must be a VAT number of DE, like DE123456789.',
      );
      await page.getByLabel(/^VAT number/).fill('DE123456789');
      await page.getByRole('button', { name: 'Save billing details' }).click();
      await page.waitForURL(/saved=details/);
      expect(await page.getByTestId('billing-details-summary').textContent()).toContain(
        'Bildwerk Medien GmbH, Berlin (DE), VAT number DE123456789',
      );
      await page.getByRole('heading', { name: 'Billing details' }).scrollIntoViewIfNeeded();
      await screenshot(page, 'portal-billing-details-1280.png');
      await page.setViewportSize({ width: 390, height: 900 });
      await screenshot(page, 'portal-billing-details-390.png');
      const account = await engine.accounts.get(acc.value.id);
      expect(account.ok && account.value.billingDetails).toMatchObject({
        country: 'DE',
        taxId: 'DE123456789',
      });
    } finally {
      await browser.close();
      server.close();
      await engine.close();
    }
  }, 60_000);
});
