import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.ts';
import { ADMIN, HOUR, ManualClock, makeEngine, must, portalClient } from './helpers.ts';

/** The text of an HTML fragment, tags dropped and spaces folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe("the portal's Pricing page and the rating of each record", () => {
  it("shows the account's prices with its contract, the next version and its date, and how a record was rated", async () => {
    const clock = new ManualClock();
    const { engine } = await makeEngine({ clock });
    const app = createApp(engine, { adminToken: ADMIN });
    const account = must(await engine.accounts.create({ name: 'Acme Films' })).id;
    must(await engine.credits.grant(account, { credits: '100', reason: 'start' }));
    must(await engine.contracts.create(account, { discount_percent: '10' }));
    const nextAt = new Date(clock.nowMs() + 48 * HOUR).toISOString();
    must(
      await engine.prices.createVersion({
        effective_at: nextAt,
        models: [
          {
            model: 'chat-large',
            dimensions: [{ name: 'input_tokens', credits: '3', per: '1000000', whole: true }],
          },
        ],
      }),
    );
    const results = await engine.usage.ingest([
      {
        id: 'chat-1',
        account_id: account,
        model: 'chat-large',
        quantities: { input_tokens: '1200', output_tokens: '350' },
        timestamp: new Date(clock.nowMs()).toISOString(),
      },
    ]);
    expect(results).toEqual([{ id: 'chat-1', status: 'accepted' }]);

    const b = portalClient(app);
    const link = must(await engine.portal.createLink(account));
    expect((await b(`/portal/session/${link.token}`, {})).status).toBe(303);
    const pricing = await b('/portal/pricing');
    expect(pricing.status).toBe(200);
    const page = await pricing.text();
    const now = text(/data-testid="prices"[\s\S]*?<\/table>/.exec(page)![0]);
    // 10 % off the card: 2.5 -> 2.25 per million input tokens, images 2 -> 1.8 each.
    expect(now).toContain('chat-large input tokens 2.25 credits per 1,000,000');
    expect(now).toContain('output tokens 9 credits per 1,000,000');
    expect(now).toContain('image-1024 each use 1.8 credits each');
    expect(text(page)).toContain('10 % off the list price');
    const next = text(/data-testid="next-prices"[\s\S]*?<\/section>/.exec(page)![0]);
    expect(next).toContain('From 2026-11-27 13:30');
    expect(next).toContain('chat-large input tokens 2.7 credits per 1,000,000');
    expect(next).not.toContain('image-1024');

    const usage = await (await b('/portal/usage')).text();
    const rating = text(/data-testid="rating"[\s\S]*?<\/span>/.exec(usage)![0]);
    // 1,200 x 2.25/1M + 350 x 9/1M = 0.0027 + 0.00315 = 0.00585 credits
    expect(rating).toContain('1,200 input tokens × 2.25 credits / 1M + 350 output tokens × 9 credits / 1M');
    expect(usage).toContain('data-credits="0.00585"');
  });
});
