import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './server-process.ts';

const ADMIN = 'brand-test-admin-token-of-32-chars-or-more';

describe('the operator names the product customers see', () => {
  it('warns at start about each placeholder still shown to customers, and not once they are set', async () => {
    const bare = await startServer({
      TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tollgate-brand-')),
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_BRAND_NAME: '',
      TOLLGATE_SUPPORT_EMAIL: '',
      TOLLGATE_SELLER_NAME: '',
    });
    try {
      await expect.poll(() => bare.output()).toContain('TOLLGATE_SELLER_NAME is not set');
      const out = bare.output();
      expect(out).toContain('TOLLGATE_BRAND_NAME is not set: every portal page shows \\"Tollgate\\"');
      expect(out).toContain(
        'TOLLGATE_SUPPORT_EMAIL is not set: every portal page shows \\"support@example.com\\"',
      );
      expect(out).toContain('TOLLGATE_SELLER_NAME is not set: every invoice and credit note shows');
    } finally {
      bare.child.kill('SIGTERM');
      await bare.exited;
    }

    const named = await startServer({
      TOLLGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tollgate-brand-')),
      TOLLGATE_ADMIN_TOKEN: ADMIN,
      TOLLGATE_BRAND_NAME: 'VideoGen',
      TOLLGATE_SUPPORT_EMAIL: 'help@videogen.test',
      TOLLGATE_SELLER_NAME: 'VideoGen Ltd',
    });
    try {
      const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
      const acc = (await (
        await fetch(`${named.url}/v1/accounts`, { method: 'POST', headers, body: '{"name":"Acme Films"}' })
      ).json()) as { id: string };
      const link = (await (
        await fetch(`${named.url}/v1/accounts/${acc.id}/portal_sessions`, { method: 'POST', headers })
      ).json()) as { url: string };
      // The page that opens the dashboard already wears the operator's brand.
      const page = await (await fetch(link.url)).text();
      expect(page).toContain('<title>Open your dashboard · VideoGen</title>');
      expect(page).toContain('help@videogen.test');
      expect(named.output()).not.toContain('is not set');
    } finally {
      named.child.kill('SIGTERM');
      await named.exited;
    }
  }, 120_000);
});
