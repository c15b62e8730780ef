import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ARTIFACTS, browserSuite, launchChromium, screenshot } from './browser.ts';
import { pdfText } from './pdf-text.ts';
import { client, startServer } from './server-process.ts';

const ADMIN = 'browser-test-admin-token-of-32-chars-or-more';

browserSuite('the customer portal in a real browser', () => {
  it('opening a link, keys, billing with an operator confirmation, usage chart and table, invoice PDF, sign out', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-portal-'));
    const server = await startServer({
      TOLLGATE_DATA_DIR: dataDir,
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_SUPPORT_EMAIL: 'help@videogen.test',
    });
    const api = client(server.url, ADMIN);
    const browser = await launchChromium();
    try {
      const acc = (await api('POST', '/v1/accounts', { name: 'Acme Films', email: 'ops@acme.test' })).body;
      const other = (await api('POST', '/v1/accounts', { name: 'Other' })).body;
      const link = (await api('POST', `/v1/accounts/${acc.id}/portal_sessions`)).body;
      expect(link.url).toContain('/portal/session/');
      const context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1100, height: 900 },
      });
      const page = await context.newPage();
      // The link only asks: no session until the customer presses the (focused) button.
      await page.goto(link.url);
      expect(new URL(page.url()).pathname).toBe(new URL(link.url).pathname);
      expect(await page.getByTestId('link-account').textContent()).toBe('Acme Films');
      expect((await context.cookies()).some((c) => c.name === 'tollgate_portal')).toBe(false);
      await screenshot(page, 'portal-open-link.png');
      expect((await page.locator(':focus').textContent())?.trim()).toBe('Open the dashboard');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/portal\/keys$/);
      const cookie = (await context.cookies()).find((c) => c.name === 'tollgate_portal')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(await page.textContent('footer')).toContain('help@videogen.test');
      expect(await page.getByTestId('account').textContent()).toContain('Acme Films');
      // The link opened once: following it again ends on the expired page.
      const again = await context.newPage();
      expect((await again.goto(link.url))?.status()).toBe(404);
      await again.close();

      // API Keys: create, read the secret once, suspend, delete.
      await page.getByLabel('Nickname (required)').fill('render farm');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = (await page.getByTestId('new-secret').textContent())!.trim();
      expect(secret).toMatch(/^tg_/);
      expect(await page.textContent('main')).toContain('shown only this once');
      await screenshot(page, 'portal-keys-new-secret.png');
      await page.goto(`${server.url}/portal/keys`);
      expect(await page.content()).not.toContain(secret);
      expect((await api('POST', '/v1/api_keys/verify', { key: secret })).body).toEqual({
        valid: false,
        code: 'insufficient_credits',
      });
      await page.getByRole('button', { name: 'Suspend render farm' }).click();
      expect((await api('POST', '/v1/api_keys/verify', { key: secret })).body).toEqual({
        valid: false,
        code: 'suspended',
      });
      await page.getByRole('button', { name: 'Delete render farm' }).click();
      expect(await page.textContent('tbody')).toContain('No keys yet');
      await screenshot(page, 'portal-keys.png');

      // Billing: the total as the customer types, the range, the purchase, the operator's confirmation.
      await page.getByRole('link', { name: 'Billing' }).click();
      await page.getByLabel('Credits you need').fill('5');
      await expect
        .poll(() => page.getByTestId('total').textContent())
        .toContain('Buy 1,000 to 1,000,000 credits at a time (one payment is $10.00 to $10,000.00)');
      await page.getByLabel('Credits you need').fill('1500');
      await expect.poll(() => page.getByTestId('total').textContent()).toContain('Total: $15.00');
      await screenshot(page, 'portal-billing-add-credits.png');
      await page.getByRole('button', { name: 'Buy credits' }).click();
      expect(await page.getByTestId('billing-message').textContent()).toContain('received');
      const purchases = (await api('GET', `/v1/accounts/${acc.id}/credit_purchases`)).body.data;
      expect(purchases).toHaveLength(1);
      expect(purchases[0]).toMatchObject({ status: 'pending', credits: '1500', total: '15.00' });
      await api('POST', `/v1/credit_purchases/${purchases[0].id}/confirm`);
      await page.reload();
      expect(await page.getByTestId('available').textContent()).toBe('1500');
      expect(await page.getByTestId('balance').textContent()).toContain('1500');
      const invoice = (await api('GET', `/v1/accounts/${acc.id}/invoices`)).body.data[0];
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: new RegExp(`PDF.*${invoice.number}`) }).click(),
      ]);
      const pdfPath = join(ARTIFACTS, `${invoice.number}.pdf`);
      await download.saveAs(pdfPath);
      const text = await pdfText(new Uint8Array(readFileSync(pdfPath)));
      expect(text).toContain(invoice.number);
      expect(text).toContain('15.00');
      await screenshot(page, 'portal-billing.png');

      // Usage posted through the API shows in the chart and the table.
      const key = (await api('POST', `/v1/accounts/${acc.id}/api_keys`, { nickname: 'api' })).body;
      const now = Date.now();
      const events = Array.from({ length: 30 }, (_, i) => ({
        id: `evt_${i}`,
        api_key_id: key.id,
        model: i % 3 ? 'video-4s-720p' : 'image-1024',
        quantity: '1',
        timestamp: new Date(now - (i % 5) * 3_600_000 - 60_000).toISOString(),
      }));
      expect(
        (await api('POST', '/v1/usage_events', { events })).body.results.every(
          (r: { status: string }) => r.status === 'accepted',
        ),
      ).toBe(true);
      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByLabel('Per', { exact: true }).selectOption('hour');
      await page.getByRole('button', { name: 'Show' }).click();
      expect(await page.locator('[data-testid=chart] rect').count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator('[data-testid=records] tbody tr').count()).toBe(30);
      expect(await page.textContent('main')).toContain('UTC');
      await screenshot(page, 'portal-usage.png');
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV' }).click(),
      ]);
      const csvPath = join(ARTIFACTS, 'usage.csv');
      await csv.saveAs(csvPath);
      expect(readFileSync(csvPath, 'utf8').trim().split('\n')).toHaveLength(31);

      // The session reaches this account only, and changes need the form's token.
      const otherPurchase = (
        await api(
          'POST',
          `/v1/accounts/${other.id}/credit_purchases`,
          { credits: '1000', provider: 'manual' },
          { 'idempotency-key': 'o' },
        )
      ).body;
      const otherInvoice = (await api('POST', `/v1/credit_purchases/${otherPurchase.id}/confirm`)).body
        .invoice_id;
      const jar = `tollgate_portal=${cookie.value}`;
      expect(
        (await fetch(`${server.url}/portal/invoices/${otherInvoice}/pdf`, { headers: { cookie: jar } }))
          .status,
      ).toBe(404);
      const forged = await fetch(`${server.url}/portal/keys`, {
        method: 'POST',
        headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'nickname=evil',
      });
      expect(forged.status).toBe(403);
      const crossSite = await fetch(`${server.url}/portal/keys`, {
        method: 'POST',
        headers: {
          cookie: jar,
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'nickname=evil&_csrf=x',
      });
      expect(crossSite.status).toBe(403);
      expect((await fetch(`${server.url}/portal/keys`)).status).toBe(401);
      // A phone-sized screen still reads.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${server.url}/portal/billing`);
      await screenshot(page, 'portal-billing-phone.png');

      // Sign out: the cookie goes, and the dashboard asks to sign in again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/portal\/signed-out$/);
      expect((await context.cookies()).some((c) => c.name === 'tollgate_portal')).toBe(false);
      expect((await page.goto(`${server.url}/portal`))?.status()).toBe(401);
      expect(await page.textContent('main')).toContain('Open the dashboard again from your account');
      expect((await fetch(`${server.url}/portal/keys`, { headers: { cookie: jar } })).status).toBe(401);
    } finally {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120_000);
});
