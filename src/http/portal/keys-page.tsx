import type { Context } from 'hono';
import { type KeyView, NICKNAME_MAX_CHARS } from '../../core/access/index.ts';
import type { Result } from '../../core/kernel/errors.ts';
import type { AppType } from '../routes/common.ts';
import { type Flash, formNumber, type Portal } from './kit.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';
import { LimitForm, spentText } from './spend-forms.tsx';

/** The API Keys page: create a key (its secret shown once), suspend, activate, delete, limit its spending. */
export function keysRoutes(app: AppType, p: Portal): void {
  const { engine } = p;
  const back = '/portal/keys';
  app.get(back, p.guard, async (c) => {
    const f = await p.frame(c);
    const flash = p.takeFlash(c);
    const keys = await engine.keys.list(f.accountId);
    return c.html(
      <KeysPage
        {...f}
        flash={flash}
        keys={keys.ok ? keys.value : []}
        maxActive={engine.config.maxActiveKeys}
      />,
    );
  });
  app.post(
    back,
    p.guard,
    p.change('create key', async (c) => {
      const { accountId } = await p.frame(c);
      const nickname = String(p.form(c).nickname ?? '');
      const r = await engine.keys.create(accountId, nickname);
      if (!r.ok) return p.redirect(c, back, { kind: 'error', text: r.message, draft: { nickname } });
      // The secret rides the one-time flash to the page the redirect opens, and is gone on reload.
      return p.redirect(c, back, {
        kind: 'notice',
        text: `Key "${r.value.key.nickname}" created.`,
        secret: { nickname: r.value.key.nickname, value: r.value.secret },
      });
    }),
  );
  /** A change to one of this account's keys, then back to the page (a reload sends nothing again). */
  const onKey = (
    path: string,
    action: string,
    done: (nickname: string) => string,
    apply: (c: Context, keyId: string) => Promise<Result<unknown>>,
  ) =>
    app.post(
      `/portal/keys/:id/${path}`,
      p.guard,
      p.change(action, async (c) => {
        const { accountId } = await p.frame(c);
        const key = await engine.keys.get(c.req.param('id') ?? '');
        if (!key.ok || key.value.accountId !== accountId)
          return p.redirect(c, back, { kind: 'error', text: 'No such key.' });
        const r = await apply(c, key.value.id);
        if (!r.ok)
          return p.redirect(c, back, {
            kind: 'error',
            text: p.refusalText(r, { 'spend_budget.credits': 'The limit' }),
          });
        return p.redirect(c, back, { kind: 'notice', text: done(key.value.nickname) });
      }),
    );
  onKey(
    'suspend',
    'suspend key',
    (n) => `Key "${n}" suspended: it stops working at once.`,
    (_c, id) => engine.keys.suspend(id),
  );
  onKey(
    'activate',
    'activate key',
    (n) => `Key "${n}" is active again.`,
    (_c, id) => engine.keys.activate(id),
  );
  onKey(
    'delete',
    'delete key',
    (n) => `Key "${n}" deleted.`,
    (_c, id) => engine.keys.delete(id),
  );
  onKey(
    'limit',
    'set key spend limit',
    (n) => `The spend limit of "${n}" is saved.`,
    (c, id) => {
      const f = p.form(c);
      // The customer's own budget for the key; the operator's cap is not theirs to change.
      return engine.keys.update(id, {
        spendBudget: { credits: formNumber(String(f.credits ?? '')), period: String(f.period ?? '') },
      });
    },
  );
  onKey(
    'limit/remove',
    'remove key spend limit',
    (n) => `"${n}" has no spend limit now.`,
    (_c, id) => engine.keys.update(id, { spendBudget: null }),
  );
}

function KeysPage(
  p: Frame & {
    keys: KeyView[];
    maxActive: number;
    flash: Flash | null;
  },
) {
  const secret = p.flash?.secret;
  const active = p.keys.filter((k) => k.status === 'active').length;
  const full = active >= p.maxActive;
  return (
    <Layout title="API Keys" tab="keys" supportEmail={p.supportEmail} frame={p}>
      {secret && (
        <section class="notice warn" aria-live="polite">
          <h2>Your new key "{secret.nickname}"</h2>
          <p>
            Copy it now: <strong>it is shown only this once</strong>. Never share it, and never put it in
            browser or mobile code; keep it on your server.
          </p>
          <code class="secret" id="new-secret" data-testid="new-secret">
            {secret.value}
          </code>
          <p>
            <button
              type="button"
              class="secondary"
              id="copy-secret"
              onclick="navigator.clipboard.writeText(document.getElementById('new-secret').textContent.trim()).then(()=>{this.textContent='Copied'})"
            >
              Copy key
            </button>
          </p>
        </section>
      )}
      {p.flash && !secret && (
        <p
          class={`notice ${p.flash.kind === 'error' ? 'error' : 'ok'}`}
          role={p.flash.kind === 'error' ? 'alert' : 'status'}
          data-testid="keys-message"
        >
          {p.flash.text}
        </p>
      )}
      <section>
        <h2>Create a key</h2>
        {full ? (
          <p class="notice" data-testid="limit">
            You have {active} active keys, the most an account may have ({p.maxActive}). Suspend a key you no
            longer use to create another.
          </p>
        ) : (
          <PostForm action="/portal/keys" csrf={p.csrf}>
            <div class="row">
              <div>
                <label for="nickname">Nickname (required)</label>
                <input
                  id="nickname"
                  name="nickname"
                  value={p.flash?.draft?.nickname ?? ''}
                  aria-invalid={p.flash?.draft ? 'true' : undefined}
                  required
                  maxlength={NICKNAME_MAX_CHARS}
                  placeholder="production server"
                />
              </div>
              <button type="submit">Create key</button>
            </div>
          </PostForm>
        )}
      </section>
      <section>
        <h2>Your keys</h2>
        <div class="scroll">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Nickname</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">Spending</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {p.keys.map((k) => (
                <tr data-key={k.id}>
                  <td class="lead">
                    <strong>{k.nickname}</strong>
                  </td>
                  <td data-label="Key">
                    <code>{k.hint}</code>
                  </td>
                  <td data-label="Status">
                    <span class={`badge ${k.status}`}>{k.status}</span>
                  </td>
                  <td data-label="Created">{p.time(k.createdAtMs)}</td>
                  <td data-label="Last used">{k.lastUsedAtMs ? p.time(k.lastUsedAtMs) : 'never'}</td>
                  <td data-label="Spending" class="block">
                    <span data-testid="spent">
                      {spentText(p.credits, k.spentMinor, k.spendBudget ?? k.spendLimit)}
                    </span>
                    <details>
                      <summary>{k.spendBudget ? 'Change limit' : 'Set a limit'}</summary>
                      <LimitForm
                        action={`/portal/keys/${k.id}/limit`}
                        csrf={p.csrf}
                        id={`limit-${k.id}`}
                        subject={k.nickname}
                        limit={k.spendBudget ?? null}
                        cap={k.spendLimit}
                        credits={p.credits}
                      />
                    </details>
                  </td>
                  <td class="actions">
                    {k.status === 'active' ? (
                      <PostForm action={`/portal/keys/${k.id}/suspend`} csrf={p.csrf} inline>
                        <button type="submit" class="secondary" aria-label={`Suspend ${k.nickname}`}>
                          Suspend
                        </button>
                      </PostForm>
                    ) : (
                      <>
                        <PostForm action={`/portal/keys/${k.id}/activate`} csrf={p.csrf} inline>
                          <button
                            type="submit"
                            class="secondary"
                            aria-label={`Activate ${k.nickname}`}
                            disabled={full}
                          >
                            Activate
                          </button>
                        </PostForm>{' '}
                        <PostForm action={`/portal/keys/${k.id}/delete`} csrf={p.csrf} inline>
                          <button type="submit" class="danger" aria-label={`Delete ${k.nickname}`}>
                            Delete
                          </button>
                        </PostForm>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {p.keys.length === 0 && (
                <tr>
                  <td colspan={7} class="muted">
                    No keys yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <p class="muted">
          Only suspended keys can be deleted. A suspended key stops working at once. A key that reaches its
          spend limit is refused until the next UTC day or month begins.
        </p>
      </section>
    </Layout>
  );
}
