/**
 * The standalone server: `npm start`. Embedded SQLite under TOLLGATE_DATA_DIR, the operator token
 * from TOLLGATE_ADMIN_TOKEN or generated once, hourly billing by node-cron.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import cron from 'node-cron';
import { stripeProvider } from './adapters/payments/stripe-provider.ts';
import { ConfigError, readSettings, type ServerSettings } from './config.ts';
import { createApp, createTollgate } from './index.ts';

/** The operator token: from the environment, or generated at first start and kept 0600 in the data folder. */
function adminToken(settings: ServerSettings): { token: string; source: string } {
  if (settings.adminToken) return { token: settings.adminToken, source: 'TOLLGATE_ADMIN_TOKEN' };
  const file = join(settings.dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: resolve(file) };
  const token = `tga_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  process.stdout.write(`Generated the operator token (shown once; kept in ${resolve(file)}):\n  ${token}\n`);
  return { token, source: resolve(file) };
}

export async function main(): Promise<void> {
  let settings: ServerSettings;
  try {
    settings = readSettings();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tollgate: invalid configuration: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  mkdirSync(settings.dataDir, { recursive: true });
  const { token, source } = adminToken(settings);
  const dbPath = join(settings.dataDir, 'tollgate.db');
  const payments = settings.stripe
    ? [
        stripeProvider({
          secretKey: settings.stripe.secretKey,
          webhookSecret: settings.stripe.webhookSecret,
          successUrl: `${settings.stripe.publicUrl}/portal/billing?paid=1`,
          cancelUrl: `${settings.stripe.publicUrl}/portal/billing`,
        }),
      ]
    : [];
  const engine = await createTollgate({ database: dbPath, config: settings.config, payments });
  const app = createApp(engine, {
    adminToken: token,
    bodyLimitBytes: settings.bodyLimitBytes,
    log: (line) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`),
  });

  // Catch up every closed hour not yet billed, then bill a few minutes past each hour.
  const caughtUp = await engine.billing.run();
  const billing = cron.schedule('5 * * * *', () => void engine.billing.run(), { timezone: 'Etc/UTC' });
  // Webhook deliveries: pending ones (including those of a previous run that crashed) go out every second.
  const webhooks = setInterval(() => void engine.webhooks.dispatch(), 1000);
  const sweeper = setInterval(() => {
    void engine.holds.expire();
    void engine.credits.expireLots();
  }, 30_000);

  const server = serve({ fetch: app.fetch, port: settings.port, hostname: settings.host }, (info) => {
    process.stdout.write(
      `tollgate listening on http://${settings.host}:${info.port} (SQLite ${resolve(dbPath)})\n` +
        `operator token: ${source}\n` +
        `billing: caught up ${caughtUp.hours} hour(s); next run at 5 minutes past the hour (UTC)\n`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), msg: `${signal}: shutting down` })}\n`,
    );
    billing.stop();
    clearInterval(sweeper);
    clearInterval(webhooks);
    server.close(async () => {
      await engine.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
