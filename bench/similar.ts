/**
 * Similar-papers benchmark: index build time (index maintenance from scratch:
 * sparse counts, built-in model fit, embedding, vector index), opening time
 * (snapshot + catch-up vs rebuilding the index from stored vectors), and
 * latency p50/p99 of `similarToPaper` (what `radar similar` and the paper page
 * run) at several corpus sizes — beside an exact brute-force baseline measured
 * in the same run on the same vectors: a flat scan of every dense vector, and
 * `similarToPaper` fed with exact candidates, so the ANN's recall and the
 * similar list's agreement with its exact counterpart are measured too.
 *
 *   npx tsx bench/similar.ts [--sizes 10000,100000,1000000] [--queries 300] [--cache DIR] [--rebuild] [--json]
 *
 * Corpus: the real arXiv-daily papers (../shared/data/arxiv-daily, 74,728)
 * first, then SYNTHETIC papers whose text is sampled from a word-bigram model
 * of the real titles and abstracts (bench/lib/search-corpus.ts, shared with the
 * search bench). Databases and their indexes are built once into the cache dir
 * (default: the OS temp dir) and reused; `--rebuild` rebuilds the indexes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { similarToPaper } from '../src/rank/similar.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { buildIndex, DEFAULT_EXACT_MAX } from '../src/vectors/ann-store.ts';
import { ExactIndex } from '../src/vectors/ann.ts';
import { decodeDense } from '../src/vectors/quantize.ts';
import { readDenseState, refreshIndexes, type RefreshProgress } from '../src/vectors/refresh.ts';
import { openRetrieval } from '../src/vectors/retrieval.ts';
import { TERMS_MODEL } from '../src/vectors/sparse-index.ts';
import { readArxivDaily } from './lib/search-corpus.ts';
import { mulberry32 } from '../src/text/random.ts';
import { ensureBenchDb } from './lib/search-db.ts';
import { flag, opt, sizes } from './lib/args.ts';

const SIZES = sizes(opt('sizes', '10000,100000,1000000'));
const N_QUERIES = Number(opt('queries') ?? 300);
const CACHE = resolve(opt('cache') ?? join(tmpdir(), 'radar-similar-bench'));
mkdirSync(CACHE, { recursive: true });
const SEARCH_CACHE = join(tmpdir(), 'radar-search-bench');
const JSON_OUT = flag('json');
const REBUILD = flag('rebuild');
const DAILY = resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'arxiv-daily', 'papers.jsonl.gz');

const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => Math.round(x * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

interface BuildTimes {
  sparseS: number;
  fitS: number;
  embedS: number;
  indexS: number;
  totalS: number;
  termsBytes: number;
  denseBytes: number;
  snapshotBytes: number;
}

async function buildIndexes(path: string): Promise<BuildTimes> {
  const marker = `${path}.similar-build.json`;
  if (!REBUILD && existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as BuildTimes;
  const store = new SqliteStore(path);
  const stageStart = new Map<string, number>();
  const stageEnd = new Map<string, number>();
  let last = 0;
  const t0 = performance.now();
  await refreshIndexes(store, {
    forceRefit: REBUILD,
    progress: (p: RefreshProgress) => {
      const now = performance.now();
      if (!stageStart.has(p.stage)) stageStart.set(p.stage, now);
      stageEnd.set(p.stage, now);
      if (p.message || now - last > 5000) {
        last = now;
        log(`    ${p.stage} ${p.done}${p.total ? `/${p.total}` : ''} ${p.message ?? ''}`);
      }
    },
  });
  const total = (performance.now() - t0) / 1000;
  const span = (a: string, b?: string) => ((stageEnd.get(b ?? a) ?? 0) - (stageStart.get(a) ?? 0)) / 1000;
  const state = (await readDenseState(store))!;
  const size = (sql: string) => (store.db.prepare(sql).get() as { n: number | null }).n ?? 0;
  const times: BuildTimes = {
    sparseS: span('sparse'),
    fitS: Math.max(0, ((stageStart.get('embed') ?? 0) - (stageStart.get('fit') ?? 0)) / 1000),
    embedS: span('embed'),
    indexS: stageStart.has('index') ? total - ((stageStart.get('index') ?? 0) - t0) / 1000 : 0,
    totalS: total,
    termsBytes: size(`SELECT sum(length(vector)) AS n FROM paper_vectors WHERE model = '${TERMS_MODEL}'`),
    denseBytes: size(`SELECT sum(length(vector)) AS n FROM paper_vectors WHERE model = '${state.vectors}'`),
    snapshotBytes: size(`SELECT sum(length(data)) AS n FROM models WHERE name LIKE 'ann:%'`),
  };
  await store.close();
  writeFileSync(marker, JSON.stringify(times));
  return times;
}

async function benchSize(n: number, real: Awaited<ReturnType<typeof readArxivDaily>>) {
  const path = join(CACHE, `papers-${n}.db`);
  if (!existsSync(path) && existsSync(join(SEARCH_CACHE, `papers-${n}.db`))) {
    log(`  copying the search bench's ${n}-paper database`);
    copyFileSync(join(SEARCH_CACHE, `papers-${n}.db`), path);
  }
  const info = await ensureBenchDb(n, { cacheDir: CACHE, real: async () => real, log });
  log(`  ${n.toLocaleString('en')} papers (${info.real} real, ${info.synthetic} synthetic): building indexes`);
  const build = await buildIndexes(info.path);

  const store = new SqliteStore(info.path);
  const state = (await readDenseState(store))!;
  // Opening: snapshot + catch-up (what a server does) vs building the index from the stored vectors.
  let t = performance.now();
  const r = await openRetrieval(store);
  const openS = (performance.now() - t) / 1000;
  let rebuildS: number | undefined;
  if (n <= 200_000 || flag('measure-rebuild')) {
    t = performance.now();
    await buildIndex(store, state.vectors, state.dims);
    rebuildS = (performance.now() - t) / 1000;
  }

  // Exact baseline: every vector in one flat float32 matrix.
  const exact = new ExactIndex(state.dims, n);
  for await (const rows of store.vectors.scanVectors(state.vectors, 10_000)) for (const row of rows) exact.upsert(row.pk, decodeDense(row.vector));
  const pks = exact.pks();
  const rand = mulberry32(7);
  const sample = Array.from({ length: N_QUERIES }, () => pks[Math.floor(rand() * pks.length)]);
  const queryVec = await r.denseVectors(sample);

  const lat = { similar: [] as number[], exactSimilar: [] as number[], ann: [] as number[], flat: [] as number[] };
  let annRecall = 0;
  let agree = 0;
  const index = r.dense!.index;
  // Warm-up pass (page cache, JIT), then the measured pass.
  for (const pk of sample.slice(0, 30)) await similarToPaper(r, pk, { limit: 10 });
  for (const pk of sample) {
    const q = queryVec.get(pk)!;
    let s = performance.now();
    const annHits = index.search(q, 11);
    lat.ann.push(performance.now() - s);
    s = performance.now();
    const flatHits = exact.search(q, 11);
    lat.flat.push(performance.now() - s);
    const truth = new Set(flatHits.filter((h) => h.pk !== pk).slice(0, 10).map((h) => h.pk));
    annRecall += annHits.filter((h) => h.pk !== pk).slice(0, 10).filter((h) => truth.has(h.pk)).length / Math.max(1, truth.size);

    s = performance.now();
    const sim = await similarToPaper(r, pk, { limit: 10 });
    lat.similar.push(performance.now() - s);
    // The same scoring over exact candidates (swap the index for the flat one).
    const dense = r.dense!;
    const saved = dense.index;
    dense.index = exact;
    s = performance.now();
    const simExact = await similarToPaper(r, pk, { limit: 10 });
    lat.exactSimilar.push(performance.now() - s);
    dense.index = saved;
    const ex = new Set(simExact.map((h) => h.pk));
    agree += sim.filter((h) => ex.has(h.pk)).length / Math.max(1, ex.size);
  }
  const rss = process.resourceUsage().maxRSS * 1024;
  await store.close();
  return {
    papers: n,
    real: info.real,
    synthetic: info.synthetic,
    index: index.kind,
    dims: state.dims,
    build,
    openS: ms(openS),
    rebuildFromVectorsS: rebuildS === undefined ? null : ms(rebuildS),
    similar: { p50: ms(pct(lat.similar, 50)), p99: ms(pct(lat.similar, 99)) },
    similarExactCandidates: { p50: ms(pct(lat.exactSimilar, 50)), p99: ms(pct(lat.exactSimilar, 99)) },
    annTop10: { p50: ms(pct(lat.ann, 50)), p99: ms(pct(lat.ann, 99)), recallAt10: ms(annRecall / sample.length) },
    flatTop10: { p50: ms(pct(lat.flat, 50)), p99: ms(pct(lat.flat, 99)) },
    similarAgreementAt10: ms(agree / sample.length),
    peakRssMb: mb(rss),
  };
}

const real = await readArxivDaily(DAILY);
if (!real.length) log(`note: ${DAILY} not found; every paper is synthetic from a tiny model`);
log(`similar-papers benchmark (corpus: real arXiv-daily papers, then SYNTHETIC text from their bigram statistics); cache ${CACHE}`);
log(`exact index up to ${DEFAULT_EXACT_MAX} vectors, HNSW beyond`);
const results = [];
for (const n of SIZES) {
  const res = await benchSize(n, real);
  results.push(res);
  log(
    `${n.toLocaleString('en').padStart(9)} papers [${res.index}, ${res.dims}d]: similar p50 ${res.similar.p50} ms p99 ${res.similar.p99} ms | ` +
      `same with exact candidates p50 ${res.similarExactCandidates.p50} p99 ${res.similarExactCandidates.p99} | ` +
      `ANN top-10 p50 ${res.annTop10.p50} p99 ${res.annTop10.p99} recall ${res.annTop10.recallAt10} vs flat scan p50 ${res.flatTop10.p50} p99 ${res.flatTop10.p99} | ` +
      `agreement@10 ${res.similarAgreementAt10} | build ${res.build.totalS.toFixed(0)} s (sparse ${res.build.sparseS.toFixed(0)}, fit ${res.build.fitS.toFixed(0)}, embed ${res.build.embedS.toFixed(0)}, index ${res.build.indexS.toFixed(0)}) | ` +
      `open ${res.openS} s, rebuild ${res.rebuildFromVectorsS ?? '-'} s | terms ${mb(res.build.termsBytes)} MB, vectors ${mb(res.build.denseBytes)} MB, snapshot ${mb(res.build.snapshotBytes)} MB | peak RSS ${res.peakRssMb} MB`,
  );
}
if (JSON_OUT) process.stdout.write(`${JSON.stringify({ corpus: 'real arXiv-daily + SYNTHETIC', results }, null, 2)}\n`);
