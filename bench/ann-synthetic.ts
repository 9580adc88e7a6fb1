/**
 * The dense index at sizes no stored corpus here reaches: SYNTHETIC unit
 * vectors, HNSW recall@10 and latency at several efSearch values beside the
 * exact scans measured in the same run (float32, and int8 as stored), for
 * recall and latency only (no database, no similar-papers call).
 *
 *   npx tsx bench/ann-synthetic.ts [--n 1000000] [--dims 128] [--kind mixed|clustered|uniform]
 *        [--from DB] [--m 16] [--efc 100] [--ef 96,200,400,800] [--queries 200] [--json]
 *
 * Kinds: `clustered`, each vector near one centre (papers of one topic);
 * `mixed`, a blend of three centres (what the bigram-sampled synthetic papers of
 * bench/similar.ts look like to a model: their text mixes topics); `uniform`,
 * random on the sphere (the worst case: no structure at all). Centres are the
 * stored dense vectors of `--from` (a database copy, read only) when given,
 * else random. Queries are vectors of the set itself, as for similar papers.
 */
import { loadavg } from 'node:os';
import { ExactIndex, HnswIndex } from '../src/vectors/ann.ts';
import { Int8Matrix } from '../src/vectors/int8-matrix.ts';
import { readDenseState } from '../src/vectors/refresh.ts';
import { decodeDense, encodeDense, normalize } from '../src/vectors/quantize.ts';
import { mulberry32 } from '../src/text/random.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { flag, opt } from './lib/args.ts';
import { latency, recallAt } from './lib/recall.ts';

const N = Number(opt('n', '1000000').replace(/_/g, ''));
const KIND = opt('kind', 'mixed');
const M = Number(opt('m', '16'));
const EFC = Number(opt('efc', '100'));
const EFS = opt('ef', '96,200,400,800').split(',').map(Number);
const Q = Number(opt('queries', '200'));
const log = (s: string) => process.stderr.write(`${s}\n`);
const rand = mulberry32(11);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

async function centres(dims: number): Promise<Float32Array[]> {
  const from = opt('from');
  if (!from) return Array.from({ length: 2000 }, () => normalize(Float32Array.from({ length: dims }, gauss)));
  const store = new SqliteStore(from);
  const state = (await readDenseState(store))!;
  const out: Float32Array[] = [];
  for await (const rows of store.vectors.scanVectors(state.vectors, 10_000)) for (const r of rows) out.push(decodeDense(r.vector));
  await store.close();
  return out;
}

const base = await centres(Number(opt('dims', '128')));
const D = base[0].length;
const vector = (): Float32Array => {
  const v = new Float32Array(D);
  const add = (c: Float32Array, w: number) => {
    for (let i = 0; i < D; i++) v[i] += w * c[i];
  };
  if (KIND === 'uniform') for (let i = 0; i < D; i++) v[i] = gauss();
  else if (KIND === 'clustered') add(base[Math.floor(rand() * base.length)], 1);
  else for (let j = 0; j < 3; j++) add(base[Math.floor(rand() * base.length)], 0.5 + rand());
  // Per-paper variation around the centre(s): a noise vector of norm ≈ 0.5.
  if (KIND !== 'uniform') for (let i = 0; i < D; i++) v[i] += (0.5 * gauss()) / Math.sqrt(D);
  // As stored: int8 and re-normalised, so every index here holds the same vectors.
  return decodeDense(encodeDense(normalize(v)));
};

log(`${N.toLocaleString('en')} SYNTHETIC ${KIND} vectors × ${D} (${opt('from') ? `centres from ${opt('from')}` : 'random centres'}); HNSW m ${M} efConstruction ${EFC}; load ${loadavg()[0].toFixed(1)}`);
const exact = new ExactIndex(D, N);
const int8 = new Int8Matrix(D, N);
const hnsw = new HnswIndex(D, { m: M, efConstruction: EFC, efSearch: EFS[0] }, N);
let t = performance.now();
for (let pk = 1; pk <= N; pk++) {
  const v = vector();
  exact.upsert(pk, v);
  int8.upsert(pk, v);
}
const genS = (performance.now() - t) / 1000;
t = performance.now();
let cpu = process.cpuUsage();
for (let pk = 1; pk <= N; pk++) {
  hnsw.upsert(pk, exact.vectorOf(pk)!);
  if (pk % 100_000 === 0) log(`  hnsw: ${pk.toLocaleString('en')} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
const buildS = (performance.now() - t) / 1000;
const buildCpuS = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;

const queries = Array.from({ length: Q }, () => 1 + Math.floor(rand() * N));
const exactMs: number[] = [];
const int8Ms: number[] = [];
const truth = new Map<number, number[]>();
let int8Recall = 0;
for (const pk of queries) {
  const q = exact.vectorOf(pk)!;
  t = performance.now();
  const hits = exact.search(q, 11);
  exactMs.push(performance.now() - t);
  const want = hits.filter((h) => h.pk !== pk).map((h) => h.pk).slice(0, 10);
  truth.set(pk, want);
  t = performance.now();
  const approx = int8.search(q, 11);
  int8Ms.push(performance.now() - t);
  int8Recall += recallAt(10, want, approx.filter((h) => h.pk !== pk).map((h) => h.pk));
}
const rows = [];
for (const ef of EFS) {
  hnsw.params.efSearch = ef;
  const ms: number[] = [];
  let recall = 0;
  cpu = process.cpuUsage();
  for (const pk of queries) {
    const q = exact.vectorOf(pk)!;
    t = performance.now();
    const hits = hnsw.search(q, 11);
    ms.push(performance.now() - t);
    recall += recallAt(10, truth.get(pk)!, hits.filter((h) => h.pk !== pk).map((h) => h.pk));
  }
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000 / Q;
  rows.push({ ef, recallAt10: Math.round((recall / Q) * 1000) / 1000, cpuMsPerQuery: Math.round(cpuMs * 100) / 100, ...latency(ms) });
}
const result = {
  n: N,
  dims: D,
  kind: KIND,
  m: M,
  efConstruction: EFC,
  generateS: Math.round(genS),
  buildS: Math.round(buildS),
  buildCpuS: Math.round(buildCpuS),
  exactFloatScan: latency(exactMs),
  exactInt8Scan: { ...latency(int8Ms), recallAt10: Math.round((int8Recall / Q) * 1000) / 1000 },
  hnsw: rows,
  load: loadavg()[0],
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
log(`build ${result.buildS} s (${result.buildCpuS} CPU-s); exact float32 scan p50 ${result.exactFloatScan.p50} p99 ${result.exactFloatScan.p99} ms; int8 scan p50 ${result.exactInt8Scan.p50} p99 ${result.exactInt8Scan.p99} ms recall@10 ${result.exactInt8Scan.recallAt10}`);
for (const r of rows) log(`  ef ${String(r.ef).padStart(4)}: recall@10 ${r.recallAt10.toFixed(3)}  p50 ${r.p50} ms  p99 ${r.p99} ms  (${r.cpuMsPerQuery} CPU-ms/query; ${(result.exactFloatScan.p50 / r.p50).toFixed(0)}× faster than the float scan at p50)`);
log(`load ${result.load.toFixed(1)}, peak RSS ${result.peakRssMB} MB`);
if (flag('json')) console.log(JSON.stringify(result, null, 2));
