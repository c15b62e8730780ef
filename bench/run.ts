/**
 * `npm run bench`: sizes metering on this machine. Every figure stands beside a baseline measured
 * in the same run, with the ratio, because absolute times drift on shared machines.
 * BENCH_SCALE=0.1 runs a quick, smaller version; BENCH_ONLY=<section> runs one section.
 * Each section (`bench/sections/`) returns its rows; this file runs them in order and writes the report.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type BenchContext, ROOT, type Row } from './lib.ts';
import * as billing from './sections/billing.ts';
import * as http from './sections/http.ts';
import * as postgres from './sections/postgres.ts';
import * as pricing from './sections/pricing.ts';
import * as storage from './sections/storage.ts';

/** In the order they run: PostgreSQL sets its figures beside rows of storage and http. */
const SECTIONS: [string, (ctx: BenchContext) => Promise<Row[]>][] = [
  ['storage', storage.run],
  ['billing', billing.run],
  ['http', http.run],
  ['postgres', postgres.run],
  ['pricing', pricing.run],
];

/** The report of record: one table row per figure, its same-run baseline and ratio beside it. */
function markdown(rows: Row[], scale: number, seconds: number): string {
  return [
    `# tollgate benchmark`,
    '',
    `${new Date().toISOString()} · ${cpus().length} x ${cpus()[0]?.model} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · scale ${scale} · ${seconds} s`,
    '',
    'Durability: usage events commit with synchronous=NORMAL (WAL); purchases, holds and billing with FULL.',
    '',
    '| measure | value | baseline (same run) | ratio | target | |',
    '| --- | ---: | --- | ---: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.value.toLocaleString('en')} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${r.baseline.value.toLocaleString('en')}` : ''} | ${r.baseline ? (r.value / r.baseline.value).toFixed(2) : ''} | ${r.target ?? ''} | ${r.target ? (r.met ? 'met' : '**missed**') : ''} |`,
    ),
    '',
  ].join('\n');
}

async function main() {
  const started = performance.now();
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const only = process.env.BENCH_ONLY;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(`# tollgate benchmark — ${new Date().toISOString()}`);
  log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; scale ${scale}`,
  );
  log('durability: usage ingest commits with synchronous=NORMAL (WAL); money moves with FULL');
  const tmp = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const n = (x: number) => Math.max(1000, Math.round((x * scale) / 1000) * 1000);
  const rows: Row[] = [];
  for (const [name, run] of SECTIONS) {
    if (!only || only === name) rows.push(...(await run({ n, tmp, log, earlier: [...rows] })));
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  const md = markdown(rows, scale, seconds);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  // Only a full run replaces the report of record; a partial or scaled-down one is written beside it.
  const name = !only && scale === 1 ? 'latest' : 'partial';
  writeFileSync(join(ROOT, `bench/results/${name}.md`), md);
  writeFileSync(
    join(ROOT, `bench/results/${name}.json`),
    JSON.stringify(
      { at: new Date().toISOString(), scale, seconds, cpus: cpus().length, node: process.version, rows },
      null,
      2,
    ),
  );
  log(`\n${md}`);
}

await main();
