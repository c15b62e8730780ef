import type { SummaryBucket } from '../../core/usage-views.ts';

const COLORS = ['#2453d6', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#0ba5ec', '#667085'];

/** Stacked bars of credits per bucket, one color per model or key, drawn on the server. */
export function Chart(p: {
  buckets: SummaryBucket[];
  groupBy: string;
  credits: (m: bigint) => string;
  /** Where a click on a bar goes: that bucket's records. */
  href: (start: string) => string;
}) {
  const starts = [...new Set(p.buckets.map((b) => b.start))].sort();
  const groups = [
    ...new Set(p.buckets.map((b) => (p.groupBy === 'api_key' ? (b.apiKeyId ?? 'no key') : (b.model ?? '')))),
  ];
  if (starts.length === 0) return <p class="muted">No usage in this range.</p>;
  const totals = starts.map((s) =>
    p.buckets.filter((b) => b.start === s).reduce((t, b) => t + Number(b.creditsMinor), 0),
  );
  const max = Math.max(...totals, 1);
  const width = 900;
  const height = 220;
  const bar = Math.max(2, Math.floor((width - 40) / starts.length) - 2);
  return (
    <figure style="margin:0">
      <div class="scroll">
        <svg
          viewBox={`0 0 ${width} ${height + 30}`}
          width="100%"
          role="img"
          aria-label={`Credits per bucket, by ${p.groupBy === 'api_key' ? 'API key' : 'model'}`}
          data-testid="chart"
        >
          {starts.map((s, i) => {
            let y = height;
            return (
              <a href={p.href(s)} aria-label={`Records of ${s}`}>
                {groups.map((g, gi) => {
                  const b = p.buckets.find(
                    (x) =>
                      x.start === s && (p.groupBy === 'api_key' ? (x.apiKeyId ?? 'no key') : x.model) === g,
                  );
                  if (!b) return null;
                  const h = Math.max(1, Math.round((Number(b.creditsMinor) / max) * (height - 10)));
                  y -= h;
                  return (
                    <rect
                      x={30 + i * (bar + 2)}
                      y={y}
                      width={bar}
                      height={h}
                      fill={COLORS[gi % COLORS.length]}
                    >
                      <title>{`${s} · ${g}: ${p.credits(b.creditsMinor)} credits`}</title>
                    </rect>
                  );
                })}
                {(i === 0 || i === starts.length - 1) && (
                  <text x={30 + i * (bar + 2)} y={height + 16}>
                    {s.replace('T', ' ').replace(':00:00Z', ':00 UTC')}
                  </text>
                )}
              </a>
            );
          })}
        </svg>
      </div>
      <figcaption class="muted">
        {groups.map((g, gi) => (
          <span style="margin-right:12px">
            <span
              style={`display:inline-block;width:10px;height:10px;background:${COLORS[gi % COLORS.length]}`}
            />{' '}
            {g}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
