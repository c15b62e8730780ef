import type { Context } from 'hono';
import type { Result } from '../../core/errors.ts';
import { type KeyView, NICKNAME_MAX_CHARS } from '../../core/keys.ts';
import { statusOf } from '../errors.ts';
import type { AppType } from '../routes/common.ts';
import type { Portal } from './common.tsx';
import { type Frame, Layout, PostForm } from './layout.tsx';
import { LimitForm, spentText } from './spend.tsx';

/** The API Keys page: create a key (its secret shown once), suspend, activate, delete, limit its spending. */
export function keysRoutes(app: AppType, p: Portal): void {
  const { engine } = p;
  const render = async (
    c: Context,
    extra: { secret?: { nickname: string; value: string }; error?: string } = {},
    status = 200,
  ) => {
    const f = await p.frame(c);
    const keys = await engine.keys.list(f.accountId);
    return c.html(
      <KeysPage {...f} {...extra} keys={keys.ok ? keys.value : []} maxActive={engine.config.maxActiveKeys} />,
      status as 200,
    );
  };
  app.get('/portal/keys', p.guard, (c) => render(c));
  app.post(
    '/portal/keys',
    p.guard,
    p.change('create key', async (c) => {
      const { accountId } = await p.frame(c);
      const r = await engine.keys.create(accountId, String(p.form(c).nickname ?? ''));
      if (!r.ok) return render(c, { error: r.message }, statusOf(r.code));
      p.target(c, r.value.key.id);
      // Rendered, not redirected: the secret exists in this one answer only.
      c.header('cache-control', 'no-store');
      return render(c, { secret: { nickname: r.value.key.nickname, value: r.value.secret } }, 201);
    }),
  );
  /** A change to one of this account's keys, then back to the page (a reload sends nothing again). */
  const onKey = (
    path: string,
    action: string,
    apply: (c: Context, keyId: string) => Promise<Result<unknown>>,
  ) =>
    app.post(
      `/portal/keys/:id/${path}`,
      p.guard,
      p.change(action, async (c) => {
        const { accountId } = await p.frame(c);
        const key = await engine.keys.get(c.req.param('id') ?? '');
        if (!key.ok || key.value.accountId !== accountId) return render(c, { error: 'No such key.' }, 404);
        const r = await apply(c, key.value.id);
        if (!r.ok)
          return render(
            c,
            { error: p.refusalText(r, { 'spend_limit.credits': 'The limit' }) },
            statusOf(r.code),
          );
        return c.redirect('/portal/keys', 303);
      }),
    );
  for (const action of ['suspend', 'activate', 'delete'] as const)
    onKey(action, `${action} key`, (_c, id) => engine.keys[action](id));
  onKey('limit', 'set key spend limit', (c, id) => {
    const f = p.form(c);
    return engine.keys.update(id, {
      spendLimit: { credits: String(f.credits ?? '').trim(), period: String(f.period ?? '') },
    });
  });
  onKey('limit/remove', 'remove key spend limit', (_c, id) => engine.keys.update(id, { spendLimit: null }));
}

function KeysPage(
  p: Frame & {
    keys: KeyView[];
    maxActive: number;
    secret?: { nickname: string; value: string };
    error?: string;
  },
) {
  const active = p.keys.filter((k) => k.status === 'active').length;
  const full = active >= p.maxActive;
  return (
    <Layout title="API Keys" tab="keys" supportEmail={p.supportEmail} frame={p}>
      {p.secret && (
        <section class="notice warn" aria-live="polite">
          <h2>Your new key "{p.secret.nickname}"</h2>
          <p>
            Copy it now: <strong>it is shown only this once</strong>. Never share it, and never put it in
            browser or mobile code; keep it on your server.
          </p>
          <code class="secret" id="new-secret" data-testid="new-secret">
            {p.secret.value}
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
      {p.error && (
        <p class="notice error" role="alert">
          {p.error}
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
                  <td>
                    <strong>{k.nickname}</strong>
                  </td>
                  <td data-label="Key">
                    <code>{k.hint}</code>
                  </td>
                  <td data-label="Status">{k.status}</td>
                  <td data-label="Created">{p.time(k.createdAtMs)}</td>
                  <td data-label="Last used">{k.lastUsedAtMs ? p.time(k.lastUsedAtMs) : 'never'}</td>
                  <td data-label="Spending">
                    <span data-testid="spent">{spentText(p.credits, k.spentMinor, k.spendLimit)}</span>
                    <details>
                      <summary>{k.spendLimit ? 'Change limit' : 'Set a limit'}</summary>
                      <LimitForm
                        action={`/portal/keys/${k.id}/limit`}
                        csrf={p.csrf}
                        id={`limit-${k.id}`}
                        subject={k.nickname}
                        limit={k.spendLimit}
                        credits={p.credits}
                      />
                    </details>
                  </td>
                  <td>
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
