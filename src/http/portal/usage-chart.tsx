import { raw } from 'hono/html';
import type { SummaryBucket } from '../../core/usage/index.ts';

export const COLORS = ['#2453d6', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#0ba5ec', '#667085'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 25" of a UTC instant. */
export const dayLabel = (ms: number) => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
};
const hourLabel = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)}`;

/** The top of the y axis and its step: 4 steps of 1, 2, 2.5 or 5 times a power of ten. */
function axis(max: number): { step: number; top: number } {
  if (max <= 0) return { step: 1, top: 4 };
  const raw4 = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw4));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s * 4 >= max) ?? 10 * power;
  return { step, top: step * 4 };
}

const short = (n: number) =>
  n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${+(n / 1e3).toFixed(1)}k` : `${+n.toFixed(2)}`;

export interface ChartProps {
  /** Every bucket of the range, in order, those without usage too. */
  starts: number[];
  granularity: 'hour' | 'day';
  buckets: SummaryBucket[];
  /** The group of a bucket row (a model, or a key's nickname). */
  groupOf: (b: SummaryBucket) => string;
  groups: string[];
  credits: (m: bigint) => string;
  /** Where a click on a bar goes: that bucket's records. */
  href: (startMs: number) => string;
}

/**
 * Stacked bars of credits per bucket, one color per model or key, drawn on the server over the
 * full time axis (empty buckets keep their place), with credits on the y axis and a tooltip per
 * bar. Drawn twice: wide, and narrow for a phone (CSS shows one).
 */
export function Chart(p: ChartProps) {
  return (
    <figure style="margin:0">
      <div class="chart-wide">
        <Bars {...p} width={960} height={260} maxLabels={12} testId="chart" />
      </div>
      <div class="chart-narrow">
        <Bars {...p} width={380} height={220} maxLabels={4} />
      </div>
      <figcaption class="muted" style="margin-top:6px">
        {p.groups.map((g, gi) => (
          <span style="margin-right:14px;white-space:nowrap">
            <span
              style={`display:inline-block;width:10px;height:10px;border-radius:2px;background:${COLORS[gi % COLORS.length]}`}
            />{' '}
            {g}
          </span>
        ))}
      </figcaption>
      <script>{raw(TIP_SCRIPT)}</script>
    </figure>
  );
}

/** A tooltip that follows the pointer over a bar, from its data-tip (the SVG title is the fallback). */
const TIP_SCRIPT = `
(() => {
  const tip = document.createElement('div'); tip.className = 'tip'; tip.hidden = true; document.body.append(tip);
  for (const a of document.querySelectorAll('[data-tip]')) {
    a.addEventListener('mousemove', (e) => { tip.textContent = a.dataset.tip; tip.hidden = false;
      tip.style.left = Math.min(e.clientX + 12, innerWidth - tip.offsetWidth - 8) + 'px'; tip.style.top = (e.clientY + 14) + 'px'; });
    a.addEventListener('mouseleave', () => { tip.hidden = true; });
    a.addEventListener('focus', () => { const r = a.getBoundingClientRect(); tip.textContent = a.dataset.tip; tip.hidden = false;
      tip.style.left = Math.min(r.left, innerWidth - tip.offsetWidth - 8) + 'px'; tip.style.top = (r.bottom + 6) + 'px'; });
    a.addEventListener('blur', () => { tip.hidden = true; });
  }
})();`;

function Bars(p: ChartProps & { width: number; height: number; maxLabels: number; testId?: string }) {
  const left = 52;
  const right = 8;
  const top = 10;
  const bottom = 34;
  const plotW = p.width - left - right;
  const plotH = p.height - top - bottom;
  const n = Math.max(1, p.starts.length);
  const slot = plotW / n;
  const bar = Math.max(1, Math.min(slot * 0.72, 44));
  const byStart = new Map<number, SummaryBucket[]>();
  for (const b of p.buckets) {
    const ms = Date.parse(b.start);
    byStart.set(ms, [...(byStart.get(ms) ?? []), b]);
  }
  const amount = (m: bigint) => Number(p.credits(m));
  const totals = p.starts.map((s) => (byStart.get(s) ?? []).reduce((t, b) => t + amount(b.creditsMinor), 0));
  const { step, top: yTop } = axis(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / yTop) * plotH;
  const every = Math.max(1, Math.ceil(n / p.maxLabels));
  const when = (ms: number) =>
    p.granularity === 'day' ? `${dayLabel(ms)} (UTC)` : `${dayLabel(ms)}, ${hourLabel(ms)} UTC`;
  return (
    <svg
      viewBox={`0 0 ${p.width} ${p.height}`}
      width="100%"
      role="img"
      aria-label={`Credits per ${p.granularity}`}
      {...(p.testId ? { 'data-testid': p.testId } : {})}
    >
      {[0, 1, 2, 3, 4].map((k) => (
        <g>
          <line
            x1={left}
            x2={p.width - right}
            y1={y(k * step)}
            y2={y(k * step)}
            stroke={k === 0 ? '#98a2b3' : '#eaecf0'}
          />
          <text x={left - 6} y={y(k * step) + 4} text-anchor="end">
            {short(k * step)}
          </text>
        </g>
      ))}
      {p.starts.map((s, i) => {
        const x = left + i * slot + (slot - bar) / 2;
        const rows = byStart.get(s) ?? [];
        const label =
          i % every === 0 ? (
            <text x={left + i * slot + slot / 2} y={p.height - bottom + 16} text-anchor="middle">
              {p.granularity === 'day' ? dayLabel(s) : hourLabel(s)}
            </text>
          ) : null;
        const dayMark =
          p.granularity === 'hour' && i % every === 0 && new Date(s).getUTCHours() < every ? (
            <text x={left + i * slot + slot / 2} y={p.height - bottom + 30} text-anchor="middle">
              {dayLabel(s)}
            </text>
          ) : null;
        if (rows.length === 0 || totals[i] === 0)
          return (
            <>
              {label}
              {dayMark}
            </>
          );
        const events = rows.reduce((t, b) => t + b.events, 0n);
        const tip = [
          when(s),
          `Total: ${+totals[i]!.toFixed(6)} credits, ${events} event${events === 1n ? '' : 's'}`,
          ...p.groups
            .map((g) => [g, rows.filter((b) => p.groupOf(b) === g)] as const)
            .filter(([, bs]) => bs.length > 0)
            .map(([g, bs]) => `${g}: ${p.credits(bs.reduce((t, b) => t + b.creditsMinor, 0n))} credits`),
        ].join('\n');
        let yAt = top + plotH;
        return (
          <>
            <a href={p.href(s)} aria-label={`Records of ${when(s)}`} data-tip={tip}>
              <title>{tip}</title>
              <rect x={left + i * slot} y={top} width={slot} height={plotH} fill="transparent" />
              {p.groups.map((g, gi) => {
                const v = rows
                  .filter((b) => p.groupOf(b) === g)
                  .reduce((t, b) => t + amount(b.creditsMinor), 0);
                if (v === 0) return null;
                const h = Math.max(1, (v / yTop) * plotH);
                yAt -= h;
                return <rect x={x} y={yAt} width={bar} height={h} fill={COLORS[gi % COLORS.length]} rx={1} />;
              })}
            </a>
            {label}
            {dayMark}
          </>
        );
      })}
    </svg>
  );
}
