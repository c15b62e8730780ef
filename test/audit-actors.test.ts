import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, createTollgate } from '../src/index.ts';
import { must, portalClient } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');
const ADMIN = 'audit-test-admin-token-of-32-chars-or-more';

const tollgate = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bin/tollgate.mjs', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      TOLLGATE_DATABASE_URL: '',
      TOLLGATE_DATABASE_SCHEMA: '',
      TOLLGATE_DATA_DIR: dataDir,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });

interface Line {
  actor: { kind: string; token_id: string | null; name: string };
  action: string;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
}

describe('the audit log names who changed what through the portal and the CLI', () => {
  it('portal changes as portal:<account id> with target, request id and ip; CLI commands as cli:<user>', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-audit-'));
    const created = tollgate(['accounts', 'create', 'Acme'], dataDir);
    expect(created.status, created.stderr).toBe(0);
    const accountId = created.stdout.trim();
    const cliKey = tollgate(['keys', 'create', accountId, 'cli key'], dataDir);
    expect(cliKey.status, cliKey.stderr).toBe(0);
    const cliKeyId = cliKey.stdout.split('\n')[0]!;

    const engine = await createTollgate({ database: join(dataDir, 'tollgate.db') });
    try {
      const app = createApp(engine, { adminToken: ADMIN });
      // What the Node adapter hands the app: the connection the request came on.
      const env = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
      const send = portalClient(app, env);
      const link = await engine.portal.createLink(accountId);
      if (!link.ok) throw new Error(link.message);
      expect((await send(`/portal/session/${link.value.token}`, {})).status).toBe(303);
      const page = await (await send('/portal/keys')).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

      // Every portal form answers a redirect (Post/Redirect/Get), a refusal too.
      const made = await send('/portal/keys', { _csrf: csrf, nickname: 'portal key' });
      expect(made.status).toBe(303);
      const keyId = must(await engine.keys.list(accountId)).find((k) => k.nickname === 'portal key')!.id;
      expect(
        (await send(`/portal/keys/${keyId}/limit`, { _csrf: csrf, credits: '100', period: 'day' })).status,
      ).toBe(303);
      // Refused changes change nothing, and leave no line.
      expect(
        (await send(`/portal/keys/${keyId}/limit`, { _csrf: csrf, credits: '0', period: 'day' })).status,
      ).toBe(303);
      expect((await send(`/portal/keys/${keyId}/suspend`, { _csrf: csrf })).status).toBe(303);
      expect(
        (
          await send('/portal/billing/auto_top_up', {
            _csrf: csrf,
            threshold: '100',
            top_up_credits: '1000',
            monthly_max_total: '30',
          })
        ).status,
      ).toBe(303);
      expect(
        (
          await send('/portal/billing/purchase', {
            _csrf: csrf,
            credits: '1500',
            idempotency_key: 'portal_1',
          })
        ).status,
      ).toBe(303);
      expect((await send('/portal/logout', { _csrf: csrf })).status).toBe(303);

      const log = await app.request('/v1/audit_log?limit=100', {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(log.status).toBe(200);
      const lines = ((await log.json()) as { data: Line[] }).data;
      const cli = { kind: 'cli', token_id: null, name: `cli:${userInfo().username}` };
      const portal = { kind: 'portal', token_id: null, name: `portal:${accountId}` };
      const [purchase] = must(await engine.credits.listPurchases(accountId));
      expect(lines.map(({ actor, action, target_id }) => ({ actor, action, target_id }))).toEqual([
        { actor: cli, action: 'cli: accounts create', target_id: accountId },
        { actor: cli, action: 'cli: keys create', target_id: cliKeyId },
        { actor: portal, action: 'portal: create key', target_id: keyId },
        { actor: portal, action: 'portal: set key spend limit', target_id: keyId },
        { actor: portal, action: 'portal: suspend key', target_id: keyId },
        { actor: portal, action: 'portal: set auto top-up', target_id: accountId },
        { actor: portal, action: 'portal: buy credits', target_id: purchase!.id },
      ]);
      for (const line of lines.filter((l) => l.actor.kind === 'portal')) {
        expect(line.request_id).toMatch(/.+/);
        expect(line.ip).toBe('203.0.113.9');
      }
      for (const line of lines.filter((l) => l.actor.kind === 'cli')) expect(line.ip).toBeNull();
    } finally {
      await engine.close();
    }
  }, 120_000);
});
