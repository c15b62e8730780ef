/** HTTP: the server in its own process under autocannon, beside Hono hello-world routes. */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_TOKEN,
  type BenchContext,
  type LoadResult,
  load,
  loadVerify,
  medianRun,
  type Row,
  rowsOf,
  seedOverHttp,
  startChild,
} from '../lib.ts';
import { engineWithKey, libraryIngest } from '../workloads.ts';

/** The row the PostgreSQL section sets its HTTP verification beside. */
export const BASELINE_B = 'Baseline B: Hono hello-world, 64 connections';

const ROUNDS = 5;

export async function run(ctx: BenchContext): Promise<Row[]> {
  const { rows, add } = rowsOf(ctx);
  ctx.log('\n## HTTP (autocannon in this process; each server in its own process)');
  ctx.log(
    `  ${ROUNDS} interleaved rounds (hello-world, verification, single-event ingest), 4 s each; medians`,
  );
  const hello = await startChild('bench/hello-server.ts');
  const dataDir = join(ctx.tmp, 'http');
  mkdirSync(dataDir);
  const server = await startChild('src/server.ts', {
    TOLLGATE_DATA_DIR: dataDir,
    TOLLGATE_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const { headers, keyId, secret } = await seedOverHttp(server.url, '100000000');
  // Baseline R answers what tollgate answers (a real verification answer, byte for byte).
  const verifyAnswer = await (
    await fetch(`${server.url}/v1/api_keys/verify`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ key: secret }),
    })
  ).text();
  const raw = await startChild('bench/raw-http-server.ts', { RAW_ANSWER: verifyAnswer });

  const helloRun = (duration: number) =>
    load({ url: `${hello.url}/hello`, method: 'POST', connections: 64, duration });
  const verifyRun = (duration: number) => loadVerify(server.url, headers, secret, duration);
  const singleRunOn = (url: string, path: string) => (duration: number) =>
    load({
      url,
      connections: 64,
      duration,
      requests: [
        {
          method: 'POST',
          path,
          headers,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              events: [
                {
                  id: randomUUID(),
                  api_key_id: keyId,
                  model: 'image-1024',
                  quantity: '1',
                  timestamp: new Date().toISOString(),
                },
              ],
            }),
          }),
        },
      ],
    });
  const singleRun = singleRunOn(server.url, '/v1/usage_events');
  // Warm-up of every route, then the rounds.
  await helloRun(2);
  await verifyRun(2);
  await singleRun(2);
  // Baseline R: raw node:http reading and parsing the same requests (the same headers, and for
  // ingest the same fresh event a request, made by the same client code) and answering the same bytes.
  const rawVerifyRun = (duration: number) =>
    load({
      url: `${raw.url}/`,
      method: 'POST',
      headers,
      body: JSON.stringify({ key: secret }),
      connections: 64,
      duration,
    });
  const rawIngestRun = singleRunOn(raw.url, '/');
  await rawVerifyRun(2);
  const runs = {
    b: [] as LoadResult[],
    verify: [] as LoadResult[],
    single: [] as LoadResult[],
    rawVerify: [] as LoadResult[],
    rawIngest: [] as LoadResult[],
  };
  for (let r = 0; r < ROUNDS; r++) {
    runs.b.push(await helloRun(4));
    runs.rawVerify.push(await rawVerifyRun(4));
    runs.verify.push(await verifyRun(4));
    runs.rawIngest.push(await rawIngestRun(4));
    runs.single.push(await singleRun(4));
  }
  await raw.stop();
  const baseB2 = await load({
    url: `${hello.url}/echo`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: 'tg_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG' }),
    connections: 64,
    duration: 4,
  });
  await hello.stop();
  const baseB = medianRun(runs.b);
  const verify = medianRun(runs.verify);
  const single = medianRun(runs.single);
  const rawVerify = medianRun(runs.rawVerify);
  const rawIngest = medianRun(runs.rawIngest);
  const spread = (xs: LoadResult[]) => xs.map((x) => x.rps.toLocaleString('en')).join(' / ');
  // Each round's figure over its own baseline, run just before it: on a shared machine whose
  // speed drifts between rounds, the median of these paired ratios is the one to judge by.
  const paired = (xs: LoadResult[], base: LoadResult[]) => {
    const ratios = xs.map((x, i) => x.rps / base[i]!.rps).sort((a, b) => a - b);
    return {
      median: ratios[Math.floor(ratios.length / 2)]!,
      all: ratios.map((r) => r.toFixed(2)).join(' / '),
    };
  };
  const singleVsRaw = paired(runs.single, runs.rawIngest);
  const verifyVsRaw = paired(runs.verify, runs.rawVerify);
  add({
    name: BASELINE_B,
    value: baseB.rps,
    unit: 'req/s',
    note: `p50 ${baseB.p50} ms, p99 ${baseB.p99} ms; rounds ${spread(runs.b)}`,
  });
  add({
    name: 'Baseline B2: Hono route that reads and parses a small JSON body, 64 connections',
    value: baseB2.rps,
    unit: 'req/s',
    baseline: { name: 'B', value: baseB.rps },
    note: `p50 ${baseB2.p50} ms, p99 ${baseB2.p99} ms`,
  });
  add({
    name: 'Baseline R: raw node:http, reads and parses the same verification requests and answers the same bytes, 64 connections',
    value: rawVerify.rps,
    unit: 'req/s',
    note: `p50 ${rawVerify.p50} ms, p99 ${rawVerify.p99} ms; rounds ${spread(runs.rawVerify)}`,
  });
  add({
    name: 'Baseline R-ingest: raw node:http, the same one-event ingest requests, answered with their results, 64 connections',
    value: rawIngest.rps,
    unit: 'req/s',
    note: `p50 ${rawIngest.p50} ms, p99 ${rawIngest.p99} ms; rounds ${spread(runs.rawIngest)}`,
  });
  add({
    name: 'HTTP ingest, one event per request, 64 connections (group commit)',
    value: single.rps,
    unit: 'req/s',
    baseline: { name: 'R-ingest', value: rawIngest.rps },
    target: '>= 0.8 x R-ingest, p99 < 10 ms',
    met: singleVsRaw.median >= 0.8 && single.p99 < 10 && runs.single.every((x) => x.non2xx === 0),
    note: `p50 ${single.p50} ms, p99 ${single.p99} ms, non-2xx ${runs.single.reduce((t, x) => t + x.non2xx, 0)}; rounds ${spread(runs.single)}; paired ratios to R-ingest ${singleVsRaw.all}, median ${singleVsRaw.median.toFixed(2)}; ${(single.rps / baseB.rps).toFixed(2)} x B`,
  });
  add({
    name: 'HTTP key verification, 64 connections',
    value: verify.rps,
    unit: 'req/s',
    baseline: { name: 'R', value: rawVerify.rps },
    target: '>= 0.9 x R, p99 < 10 ms',
    met: verifyVsRaw.median >= 0.9 && verify.p99 < 10 && runs.verify.every((x) => x.non2xx === 0),
    note: `p50 ${verify.p50} ms, p99 ${verify.p99} ms; rounds ${spread(runs.verify)}; paired ratios to R ${verifyVsRaw.all}, median ${verifyVsRaw.median.toFixed(2)}; ${(verify.rps / baseB.rps).toFixed(2)} x B`,
  });

  let seq = 0;
  const batch = await load({
    url: server.url,
    connections: 8,
    requests: [
      {
        method: 'POST',
        path: '/v1/usage_events',
        headers,
        setupRequest: (req) => {
          const ts = new Date().toISOString();
          const events = [];
          for (let i = 0; i < 1000; i++)
            events.push({
              id: `b${seq++}-${randomUUID()}`,
              api_key_id: keyId,
              model: 'image-1024',
              quantity: '1',
              timestamp: ts,
            });
          return { ...req, body: JSON.stringify({ events }) };
        },
      },
    ],
  });
  add({
    name: 'Peak memory (RSS) of the tollgate server process during the HTTP runs',
    value: server.peakRssMb(),
    unit: 'MB',
  });
  await server.stop();
  // Baseline: the same batches through the library in this process, no HTTP.
  const lib = await engineWithKey('bench', join(ctx.tmp, 'http-baseline.db'));
  const inProcess = await libraryIngest(lib.engine, lib.key.id, ctx.n(100_000));
  await lib.engine.close();
  add({
    name: 'HTTP ingest, 1000 events per request, 8 connections',
    value: batch.rps * 1000,
    unit: 'events/s',
    baseline: { name: 'the same batches through the library in process', value: inProcess },
    target: '>= 0.9 x in process',
    met: batch.rps * 1000 >= 0.9 * inProcess && batch.non2xx === 0,
    note: `p50 ${batch.p50} ms, p99 ${batch.p99} ms`,
  });
  return rows;
}
