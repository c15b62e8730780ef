import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** What every page of a signed-in customer shows around its content. */
export interface Frame {
  supportEmail: string;
  /** The operator's product name, at the top of every page. */
  brandName: string;
  /** The account's name and email: whose dashboard this is. */
  account: string;
  email: string | null;
  csrf: string;
  available: string;
  time: (ms: number | null) => string;
  credits: (m: bigint) => string;
}

export interface LayoutProps {
  title: string;
  tab: 'keys' | 'billing' | 'usage' | 'pricing' | null;
  supportEmail: string;
  /** The product name (a signed-in page takes it from `frame`). */
  brandName?: string;
  /** Present when signed in: the account, its balance and Sign out. */
  frame?: Frame;
  children?: Child;
}

const CSS = `
:root { color-scheme: light; --ink:#1b1f24; --muted:#5b6470; --line:#d8dde3; --accent:#2453d6; --bad:#b42318; --ok:#067647; --warn:#b54708; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:#f6f7f9; }
.top { background:#fff; border-bottom:1px solid var(--line); }
.top > div, main, footer { max-width: 1040px; margin: 0 auto; padding: 0 20px; }
.bar { display:flex; flex-wrap:wrap; align-items:center; justify-content:space-between; gap:8px 16px; padding-top:12px !important; padding-bottom:10px !important; }
.brand { display:flex; align-items:center; gap:8px; font-weight:700; font-size:18px; color:var(--ink); text-decoration:none; }
.account { display:flex; flex-wrap:wrap; align-items:center; gap:6px 16px; font-size:14px; color:var(--muted); }
.account p { margin: 0; } .account strong { color: var(--ink); }
.who { display:flex; flex-direction:column; line-height:1.3; }
.account button { padding: 4px 10px; font-size:14px; }
nav { display:flex; gap:4px; overflow-x:auto; }
nav a { padding: 8px 10px; color: var(--muted); text-decoration:none; border-bottom: 2px solid transparent; white-space:nowrap; }
nav a[aria-current=page] { color: var(--ink); border-color: var(--accent); font-weight:600; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; margin:16px 0; }
section > :first-child, section > form > :first-child { margin-top:0; } section > :last-child, section > form > :last-child { margin-bottom:0; }
h1 { font-size: 24px; margin: 20px 0 0; } h2 { font-size: 18px; margin: 0 0 12px; }
table { width:100%; border-collapse: collapse; font-size: 14px; } th, td { text-align:left; padding:8px 6px; border-bottom:1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x:auto; }
/* A table reads one card a row on a phone, each cell named by its column. */
@media (max-width: 640px) {
  table.stack thead { display:none; }
  table.stack tr { display:block; padding:10px 0; border-bottom:1px solid var(--line); }
  table.stack td { display:flex; justify-content:space-between; gap:12px; border:0; padding:2px 0; text-align:right; }
  table.stack td > * { text-align:right; }
  table.stack td[data-label]::before { content: attr(data-label); color: var(--muted); text-align:left; }
  table.stack td.lead { display:block; text-align:left; font-weight:600; }
  table.stack td.actions { justify-content:flex-start; flex-wrap:wrap; padding-top:6px; }
  table.stack td.block { display:block; text-align:left; }
  table.stack td.block::before { display:block; }
  .hide-narrow { display:none; }
  /* A usage record in three short lines: when and what it cost, model and key, the event. */
  table.records tr { display:grid; grid-template-columns: 1fr auto; grid-template-areas: "time credits" "model key" "event qty" "act act"; column-gap:12px; }
  table.records td { display:block; text-align:left; }
  table.records td::before { content: none !important; }
  table.records .r-time { grid-area: time; } table.records .r-credits { grid-area: credits; text-align:right; font-weight:600; }
  table.records .r-model { grid-area: model; } table.records .r-key { grid-area: key; text-align:right; color: var(--muted); }
  table.records .r-event { grid-area: event; color: var(--muted); font-size:13px; } table.records .r-qty { grid-area: qty; text-align:right; color: var(--muted); font-size:13px; }
  table.records .r-act { grid-area: act; }
  .top > div, main, footer { padding: 0 12px; }
  section { padding: 12px; }
}
label { display:block; font-weight:600; margin-bottom:4px; }
input, select { font: inherit; padding: 8px; border:1px solid var(--line); border-radius:6px; min-width: 0; max-width:100%; }
input[aria-invalid=true] { border-color: var(--bad); outline-color: var(--bad); }
button { font: inherit; padding: 8px 14px; border-radius:6px; border:1px solid var(--accent); background: var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color: var(--accent); }
button.chip { background:#fff; color: var(--ink); border-color: var(--line); padding: 4px 10px; font-size:14px; border-radius:999px; }
button.danger { background: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .5; cursor: not-allowed; }
:focus-visible { outline: 3px solid #f5b400; outline-offset: 2px; }
.row { display:flex; flex-wrap:wrap; gap:12px; align-items:flex-end; }
.notice { padding:12px; border-radius:6px; background:#eef4ff; border:1px solid #c7d7fe; }
.warn { background:#fff6ed; border-color:#f9dbaf; } .error { background:#fef3f2; border-color:#fecdca; color: var(--bad); }
.notice.ok { background:#ecfdf3; border-color:#abefc6; color: var(--ok); }
p.error-text { color: var(--bad); font-weight:600; }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:13px; font-weight:600; background:#f2f4f7; color:var(--muted); }
.badge.paid, .badge.active { background:#ecfdf3; color:var(--ok); } .badge.pending { background:#fffaeb; color:var(--warn); }
.badge.failed, .badge.suspended { background:#fef3f2; color:var(--bad); }
.documents { display:flex; flex-direction:column; gap:4px; } .downloads a { white-space:nowrap; }
.stats { display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap:12px; margin: 0 0 8px; }
.stat { border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.stat span { display:block; font-size:13px; color: var(--muted); } .stat strong { font-size:22px; font-variant-numeric: tabular-nums; }
@media (max-width: 640px) { .stats { grid-template-columns: repeat(3, 1fr); gap:8px; } .stat { padding:8px; } .stat strong { font-size:18px; } }
code.secret { display:block; word-break: break-all; padding: 8px; background:#f2f4f7; border-radius:6px; font-size: 15px; }
.muted { color: var(--muted); font-size: 14px; }
.r-billed { display:block; font-size:12px; font-weight:400; white-space:nowrap; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
footer { padding: 24px 20px; color: var(--muted); font-size: 14px; }
svg text { font-size: 11px; fill: var(--muted); }
.chart-narrow { display:none; }
@media (max-width: 640px) { .chart-wide { display:none; } .chart-narrow { display:block; } }
.tip { position:fixed; pointer-events:none; background:#1b1f24; color:#fff; font-size:13px; padding:6px 8px; border-radius:6px; white-space:pre; z-index:10; }
`;

/** The portal's icon: a gate, in the accent color; also the favicon. */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2453d6"/><path d="M8 24V11l8-4 8 4v13" fill="none" stroke="#fff" stroke-width="3" stroke-linejoin="round"/><path d="M13 24v-7h6v7" fill="#fff"/></svg>';

/** The frame of every portal page: the product, whose account, the tabs, and the support contact. */
export function Layout(props: LayoutProps) {
  const brand = props.frame?.brandName ?? props.brandName ?? 'Tollgate';
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
          <title>
            {props.title} · {brand}
          </title>
          <link rel="icon" type="image/svg+xml" href="/portal/favicon.svg" />
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <header class="top">
            <div class="bar">
              <a class="brand" href="/portal" data-testid="brand">
                <span aria-hidden="true" style="display:inline-flex;width:26px;height:26px">
                  {raw(ICON_SVG)}
                </span>
                {brand}
              </a>
              {props.frame && (
                <div class="account">
                  <p class="who" data-testid="account">
                    <strong>{props.frame.account}</strong>
                    {props.frame.email && <span data-testid="account-email">{props.frame.email}</span>}
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
            </div>
            <div>
              {props.frame && (
                <nav aria-label="Dashboard">
                  {tab('keys', '/portal/keys', 'API Keys')}
                  {tab('billing', '/portal/billing', 'Billing')}
                  {tab('usage', '/portal/usage', 'Usage')}
                  {tab('pricing', '/portal/pricing', 'Pricing')}
                </nav>
              )}
            </div>
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
