/**
 * Where a similar-papers API call spends its time, stage by stage, and how
 * far the dense index's neighbours are from the exact ones, on an existing
 * database (never written: pass a copy).
 *
 *   npx tsx bench/similar-breakdown.ts --db /tmp/copy.db [--queries 200] [--ef 96,200,400] [--json]
 *
 * For each of `--queries` sampled papers it runs, in one process:
 *  - the whole API call, `GET /api/papers/:id/similar` through the real app (Fastify inject);
 *  - the same steps called directly with a stage trace (paper lookup, query
 *    vectors, dense candidates, their sparse vectors, fusion, result rows,
 *    presenting and JSON);
 *  - the dense index's top 10 against an exact scan of every stored vector
 *    (the baseline, timed in the same run), at each `--ef`;
 *  - the similar list with the index's candidates against the list with exact candidates.
 */
import { appContext } from '../src/app/context.ts';
import { publicPaper } from '../src/app/present.ts';
import { similarForPage } from '../src/app/similar.ts';
import { buildServer, buildServices } from '../src/cli/http-app.ts';
import { similarToPaper, type SimilarStage } from '../src/rank/similar.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { loadavg } from 'node:os';
import { HnswIndex, type VectorIndex } from '../src/vectors/ann.ts';
import { SparseQuery } from '../src/vectors/sparse-query.ts';
import { exactScanOf } from './lib/exact-scan.ts';
import { flag, opt } from './lib/args.ts';
import { latency, recallAt } from './lib/recall.ts';

const DB = opt('db');
if (!DB) throw new Error('usage: bench/similar-breakdown.ts --db PATH [--queries 200] [--ef 96,200,400] [--json]');
const N = Number(opt('queries', '200'));
const EFS = opt('ef', 'auto,96,200,400').split(',').map((x) => (x === 'auto' ? x : Number(x)));
const log = (s: string) => process.stderr.write(`${s}\n`);

const store = new SqliteStore(DB);
const services = await buildServices({ store });
const server = await buildServer({ store, services, runJobs: false, log });
const ctx = appContext({ store, services });
const t0 = performance.now();
const r = await services.retrieval!();
const openMs = performance.now() - t0;
const index = r.dense!.index;
log(`${DB}: ${r.papers} papers, ${index.kind} index of ${index.size} × ${index.dims}, opened in ${Math.round(openMs)} ms; load ${loadavg()[0].toFixed(1)}`);

const pks = await store.profiles.samplePaperPks(N + 20, 42);
const papers = (await store.papers.getPapersByPk(pks)).filter((p) => p.title);
const warm = papers.slice(0, 20);
const sample = papers.slice(20, 20 + N);

for (const p of warm) await server.app.inject({ url: `/api/papers/${encodeURIComponent(p.id)}/similar` });

const whole: number[] = [];
const wholeCpu: number[] = [];
const lookup: number[] = [];
const stages: Record<string, number[]> = {};
const stagesCpu: Record<string, number[]> = {};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const order = ['paper', 'catch-up + query', 'ann', 'candidates', 'score', 'rows', 'present + JSON'];
for (const p of sample) {
  let t = performance.now();
  let c = cpuMs();
  const res = await server.app.inject({ url: `/api/papers/${encodeURIComponent(p.id)}/similar` });
  whole.push(performance.now() - t);
  wholeCpu.push(cpuMs() - c);
  if (res.statusCode !== 200) throw new Error(`${p.id}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
  // The API plumbing's share: the same app answering the plain paper lookup.
  t = performance.now();
  await server.app.inject({ url: `/api/papers/${encodeURIComponent(p.id)}` });
  lookup.push(performance.now() - t);

  // The route's steps, traced: each stage's time is from the previous mark (wall, and this process's CPU).
  t = performance.now();
  c = cpuMs();
  const mark = (stage: string) => {
    const now = performance.now();
    const cnow = cpuMs();
    (stages[stage] ??= []).push(now - t);
    (stagesCpu[stage] ??= []).push(cnow - c);
    t = now;
    c = cnow;
  };
  const paper = (await store.papers.getPaper(p.id))!;
  mark('paper');
  const out = await similarForPage(ctx, paper, 'similarity', 10, (s: SimilarStage) => mark(s === 'query' ? 'catch-up + query' : s));
  if ('unavailable' in out) continue;
  JSON.stringify({ paper: { id: paper.id, title: paper.title }, sort: out.sort, results: out.items.map(({ paper: q, score }) => ({ ...publicPaper(q), score })) });
  mark('present + JSON');
}

// Scoring the 300 candidates' TF-IDF: building their vectors (the path before) against scoring the stored bytes.
const viaVectors: number[] = [];
const viaBytes: number[] = [];
for (const p of sample.slice(0, 100)) {
  const q = (await r.sparseVectors([p.pk])).get(p.pk);
  const d = (await r.denseVectors([p.pk])).get(p.pk);
  if (!q || !d) continue;
  const pool = index.search(d, 300).map((h) => h.pk);
  let t = performance.now();
  const sq = new SparseQuery(q);
  for (const v of (await r.sparseVectors(pool)).values()) sq.dot(v);
  viaVectors.push(performance.now() - t);
  t = performance.now();
  await r.sparseCosines(q, pool);
  viaBytes.push(performance.now() - t);
}

// The dense index against the exact scan (the baseline), on the sampled papers' own vectors.
const queries = [...(await r.denseVectors(sample.map((p) => p.pk))).entries()];
const exact = await exactScanOf(store, r.dense!.state.vectors, r.dense!.state.dims);
const exactMs: number[] = [];
const truth = new Map<number, number[]>();
for (const [pk, q] of queries) {
  const t = performance.now();
  const hits = exact.search(q, 11);
  exactMs.push(performance.now() - t);
  truth.set(pk, hits.filter((h) => h.pk !== pk).map((h) => h.pk).slice(0, 10));
}
const annRows: { ef: number | 'auto'; recallAt10: number; p50: number; p99: number }[] = [];
const efs: (number | 'auto')[] = index instanceof HnswIndex ? EFS : [0];
for (const ef of efs) {
  const efSearch = index instanceof HnswIndex ? index.params.efSearch : 0;
  if (index instanceof HnswIndex) index.params.efSearch = ef;
  const ms: number[] = [];
  let recall = 0;
  for (const [pk, q] of queries) {
    const t = performance.now();
    const hits = index.search(q, 11);
    ms.push(performance.now() - t);
    recall += recallAt(10, truth.get(pk)!, hits.filter((h) => h.pk !== pk).map((h) => h.pk));
  }
  annRows.push({ ef, recallAt10: recall / queries.length, ...latency(ms) });
  if (index instanceof HnswIndex) index.params.efSearch = efSearch;
}

// The similar list with the index's candidates against the list with exact ones.
let agree = 0;
const dense = r.dense!;
for (const p of sample) {
  const got = await similarToPaper(r, p.pk, { limit: 10 });
  const saved: VectorIndex = dense.index;
  dense.index = exact;
  const want = await similarToPaper(r, p.pk, { limit: 10 });
  dense.index = saved;
  agree += recallAt(10, want.map((h) => h.pk), got.map((h) => h.pk));
}
await server.close();
await store.close();

const result = {
  db: DB,
  papers: r.papers,
  index: index.kind,
  dims: index.dims,
  queries: sample.length,
  load: loadavg()[0],
  wholeApiCall: { ...latency(whole), cpuMean: latency(wholeCpu).mean },
  paperLookupApiCall: latency(lookup),
  stages: Object.fromEntries(order.filter((s) => stages[s]).map((s) => [s, { ...latency(stages[s]), cpuMean: latency(stagesCpu[s]).mean }])),
  candidatesViaVectors: latency(viaVectors),
  candidatesViaBytes: latency(viaBytes),
  exactScanTop10: latency(exactMs),
  ann: annRows,
  similarAgreementAt10: agree / sample.length,
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
log(`whole API call      p50 ${result.wholeApiCall.p50} ms  p99 ${result.wholeApiCall.p99} ms  mean ${result.wholeApiCall.mean} (CPU ${result.wholeApiCall.cpuMean})  (${sample.length} papers)`);
log(`  baseline: GET /api/papers/:id  p50 ${result.paperLookupApiCall.p50} ms  p99 ${result.paperLookupApiCall.p99} ms`);
for (const [s, l] of Object.entries(result.stages)) log(`  ${s.padEnd(18)} p50 ${String(l.p50).padStart(7)}  p99 ${String(l.p99).padStart(7)}  mean ${String(l.mean).padStart(6)}  CPU mean ${l.cpuMean}`);
log(`300 candidates' TF-IDF: via vectors p50 ${result.candidatesViaVectors.p50} p99 ${result.candidatesViaVectors.p99} ms; from the stored bytes p50 ${result.candidatesViaBytes.p50} p99 ${result.candidatesViaBytes.p99} ms (${(result.candidatesViaVectors.mean / result.candidatesViaBytes.mean).toFixed(1)}× by the mean)`);
log(`exact scan top 10  p50 ${result.exactScanTop10.p50} ms  p99 ${result.exactScanTop10.p99} ms (baseline)`);
for (const a of annRows) log(`${index.kind} ${index.kind === 'hnsw' ? `ef ${a.ef === 'auto' ? `auto (${(index as HnswIndex).efSearch})` : a.ef}` : ''} top 10  p50 ${a.p50} ms  p99 ${a.p99} ms  recall@10 ${a.recallAt10.toFixed(3)}`);
log(`similar list agreement@10 with exact candidates: ${result.similarAgreementAt10.toFixed(3)}; peak RSS ${result.peakRssMB} MB`);
if (flag('json')) console.log(JSON.stringify(result, null, 2));
