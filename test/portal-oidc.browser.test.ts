import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import Provider from 'oidc-provider';
import { expect, it } from 'vitest';
import { createApp, createTollgate, oidcSignIn } from '../src/index.ts';
import { browserSuite, launchChromium, screenshot } from './browser.ts';

/** An HTTP server on a free loopback port whose handler is bound later (the port must be known first). */
async function listen(): Promise<{
  server: Server;
  port: number;
  handle: (h: (req: IncomingMessage, res: ServerResponse) => void) => void;
}> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, handle: (h) => (handler = h) };
}

browserSuite('standalone portal sign-in with OpenID Connect', () => {
  it('registers the account at the first sign-in with a verified email, and opens the same portal the next time', async () => {
    const tollgate = await listen();
    const idp = await listen();
    const issuer = `http://127.0.0.1:${idp.port}`;
    // A real OpenID provider on loopback (never the internet), with its development login form.
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'tollgate',
          client_secret: 'tollgate-secret',
          redirect_uris: [`http://127.0.0.1:${tollgate.port}/portal/callback`],
        },
      ],
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => ({
          sub,
          email: `${sub}@example.test`,
          email_verified: true,
          name: 'Ada Lovelace',
        }),
      }),
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['test-cookie-key'] },
    } as never);
    idp.handle(provider.callback() as never);
    const engine = await createTollgate({
      signIn: oidcSignIn({ issuer, clientId: 'tollgate', clientSecret: 'tollgate-secret' }),
    });
    const app = createApp(engine, { adminToken: 'admin', portal: { supportEmail: 'help@example.test' } });
    tollgate.handle(getRequestListener(app.fetch));
    const browser = await launchChromium();
    try {
      const signInOnce = async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${tollgate.port}/portal/login`);
        await page.locator('input[name=login]').fill('ada');
        await page.locator('input[name=password]').fill('anything');
        await page.locator('button[type=submit]').click();
        // The consent screen, on the first sign-in of this browser.
        if (page.url().startsWith(issuer)) await page.locator('button[type=submit]').click();
        await page.waitForURL(/\/portal\/keys$/, { timeout: 5000 }).catch(async (e) => {
          throw new Error(
            `stuck at ${page.url()}: ${(await page.textContent('body'))?.slice(0, 300)} (${e})`,
          );
        });
        await screenshot(page, 'portal-oidc-signed-in.png');
        const text = await page.textContent('main');
        await context.close();
        return text;
      };
      const registered = () =>
        engine.storage.transaction((tx) => tx.accounts.findByExternalId(`oidc:${issuer}:ada`), {
          readOnly: true,
        });
      expect(await registered()).toBeUndefined();
      expect(await signInOnce()).toContain('Create a key');
      const first = await registered();
      expect(first).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test' });
      // The second sign-in opens the same account's portal: nothing new is registered.
      expect(await signInOnce()).toContain('Create a key');
      expect((await registered())?.id).toBe(first!.id);
    } finally {
      await browser.close();
      tollgate.server.close();
      idp.server.close();
    }
  }, 60_000);
});
