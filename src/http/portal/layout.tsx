import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** What every page of a signed-in customer shows around its content. */
export interface Frame {
  supportEmail: string;
  /** The account's name: whose dashboard this is. */
  account: string;
  csrf: string;
  available: string;
  time: (ms: number | null) => string;
  credits: (m: bigint) => string;
}

export interface LayoutProps {
  title: string;
  tab: 'keys' | 'billing' | 'usage' | null;
  supportEmail: string;
  /** Present when signed in: the account, its balance and Sign out. */
  frame?: Frame;
  children?: Child;
}

const CSS = `
:root { color-scheme: light; --ink:#1b1f24; --muted:#5b6470; --line:#d8dde3; --accent:#2453d6; --bad:#b42318; --ok:#067647; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:#f6f7f9; }
header, main, footer { max-width: 960px; margin: 0 auto; padding: 0 16px; }
header { display:flex; flex-wrap:wrap; align-items:center; justify-content:space-between; gap:8px; padding-top:16px; }
nav a { margin-right: 12px; padding: 6px 2px; color: var(--muted); text-decoration:none; border-bottom: 2px solid transparent; }
nav a[aria-current=page] { color: var(--ink); border-color: var(--accent); font-weight:600; }
.balance { font-size: 14px; color: var(--muted); }
.balance strong { font-size: 20px; color: var(--ink); }
.account { display:flex; flex-wrap:wrap; align-items:center; gap:12px; font-size: 14px; color: var(--muted); }
.account p { margin: 0; } .account strong { color: var(--ink); }
.account button { padding: 4px 10px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; margin:16px 0; }
h1 { font-size: 22px; margin: 16px 0 0; } h2 { font-size: 18px; margin: 0 0 12px; }
table { width:100%; border-collapse: collapse; font-size: 14px; } th, td { text-align:left; padding:8px 6px; border-bottom:1px solid var(--line); vertical-align: top; }
.scroll { overflow-x:auto; }
/* A table of records read one card a row on a phone, each cell named by its column. */
@media (max-width: 640px) {
  table.stack thead { display:none; }
  table.stack tr { display:block; padding:8px 0; border-bottom:1px solid var(--line); }
  table.stack td { display:block; border:0; padding:2px 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
label { display:block; font-weight:600; margin-bottom:4px; }
input, select { font: inherit; padding: 8px; border:1px solid var(--line); border-radius:6px; min-width: 0; }
button { font: inherit; padding: 8px 14px; border-radius:6px; border:1px solid var(--accent); background: var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .5; cursor: not-allowed; }
:focus-visible { outline: 3px solid #f5b400; outline-offset: 2px; }
.row { display:flex; flex-wrap:wrap; gap:12px; align-items:flex-end; }
.notice { padding:12px; border-radius:6px; background:#eef4ff; border:1px solid #c7d7fe; }
.warn { background:#fff6ed; border-color:#f9dbaf; } .error { background:#fef3f2; border-color:#fecdca; color: var(--bad); }
code.secret { display:block; word-break: break-all; padding: 8px; background:#f2f4f7; border-radius:6px; font-size: 15px; }
.muted { color: var(--muted); font-size: 14px; }
footer { padding: 24px 16px; color: var(--muted); font-size: 14px; }
svg text { font-size: 11px; fill: var(--muted); }
`;

/** The frame of every portal page: tabs, the balance, and the support contact. */
export function Layout(props: LayoutProps) {
  const tab = (id: LayoutProps['tab'], href: string, label: string) => (
    <a href={href} aria-current={props.tab === id ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title} · Dashboard</title>
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <header>
            <nav aria-label="Dashboard">
              {tab('keys', '/portal/keys', 'API Keys')}
              {tab('billing', '/portal/billing', 'Billing')}
              {tab('usage', '/portal/usage', 'Usage')}
            </nav>
            {props.frame && (
              <div class="account">
                <p data-testid="account">
                  Account <strong>{props.frame.account}</strong>
                </p>
                <p class="balance" data-testid="balance">
                  Balance <strong>{props.frame.available}</strong> credits
                </p>
                <PostForm action="/portal/logout" csrf={props.frame.csrf} inline>
                  <button type="submit" class="secondary">
                    Sign out
                  </button>
                </PostForm>
              </div>
            )}
          </header>
          <main>
            <h1>{props.title}</h1>
            {props.children}
          </main>
          <footer>
            Need help? Contact <a href={`mailto:${props.supportEmail}`}>{props.supportEmail}</a>. All times
            are UTC.
          </footer>
        </body>
      </html>
    </>
  );
}

/** A form that posts with the session's CSRF token. */
export function PostForm(props: { action: string; csrf: string; children?: Child; inline?: boolean }) {
  return (
    <form method="post" action={props.action} style={props.inline ? 'display:inline' : undefined}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}
