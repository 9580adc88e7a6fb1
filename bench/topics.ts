/**
 * Topic build benchmark: time and memory of a full topic build (sample,
 * k-means, UMAP, assignment + placement of every paper, labels) on an indexed
 * database, the figures projected to a million papers from how each stage
 * scales, and what came out: example labels, rising topics and terms, and the
 * size of the map's payload.
 *
 *   npx tsx bench/topics.ts [--db PATH] [--cache DIR] [--json]
 *
 * Without --db, the 74,728 arXiv-daily papers are loaded into a database in
 * the cache dir (default: the OS temp dir) and indexed once (sparse + dense,
 * topics left out), then reused.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { readDenseState, refreshIndexes } from '../src/vectors/refresh.ts';
import { SparseIndex } from '../src/vectors/sparse-index.ts';
import { topicCount } from '../src/vectors/topics/kmeans.ts';
import { readTopicsMeta } from '../src/vectors/topics/model.ts';
import { mapPoints, risingTerms, summarise } from '../src/vectors/topics/read.ts';
import { refreshTopics } from '../src/vectors/topics/refresh.ts';
import { readArxivDaily } from './lib/search-corpus.ts';
import { ensureBenchDb } from './lib/search-db.ts';
import { flag, opt } from './lib/args.ts';

const CACHE = resolve(opt('cache') ?? join(tmpdir(), 'radar-topics-bench'));
const JSON_OUT = flag('json');
const log = (s: string) => process.stderr.write(`${s}\n`);

async function database(): Promise<string> {
  const given = opt('db');
  if (given) return resolve(given);
  mkdirSync(CACHE, { recursive: true });
  const info = await ensureBenchDb(74_728, { cacheDir: CACHE, real: () => readArxivDaily(resolve('../shared/data/arxiv-daily/papers.jsonl.gz')), log });
  const store = new SqliteStore(info.path);
  if (!(await readDenseState(store))) {
    log('indexing (sparse + dense) once…');
    await refreshIndexes(store, { topics: false, progress: (p) => p.message && log(`  ${p.message}`) });
  }
  await store.close();
  return info.path;
}

const mb = (b: number) => Math.round(b / 1e6);

async function main() {
  const path = await database();
  if (!existsSync(path)) throw new Error(`${path}: no such database`);
  const store = new SqliteStore(path);
  const dense = await readDenseState(store);
  const sparse = await SparseIndex.load(store.models);
  if (!dense || !sparse) throw new Error(`${path}: no indexes (import papers first)`);

  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await refreshTopics(store, dense, sparse, { force: true, progress: (m) => (m.includes('placed') ? undefined : log(m)) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const meta = (await readTopicsMeta(store.models))!;
  const n = meta.builtOn;

  // Projection to 1M: the scans and the assignment grow with n (assignment also with k, capped at 150);
  // the k-means fit, UMAP and labels work on bounded samples (k-means and labels grow with k).
  const t = meta.timings ?? {};
  const N = 1_000_000;
  const kN = topicCount(N);
  const scale = N / n;
  // From CPU time: on a shared machine wall time measures the neighbours.
  const projected = {
    sample: (t.sampleCpu ?? 0) * scale,
    kmeans: (t.kmeansCpu ?? 0) * (kN / meta.k),
    umap: t.umapCpu ?? 0,
    assign: (t.assignCpu ?? 0) * scale * (kN / meta.k),
    labels: (t.labelsCpu ?? 0) * (kN / meta.k),
  };
  const projectedSeconds = Object.values(projected).reduce((a, b) => a + b, 0) / 1000;

  // The map payload as GET /api/map sends it: id, x, y, topic per paper.
  let points = 0;
  let bytes = 0;
  const tm = performance.now();
  for await (const page of mapPoints(store, meta)) {
    const briefs = new Map((await store.papers.paperBriefs(page.map((p) => p.pk))).map((b) => [b.pk, b.id]));
    for (const p of page) bytes += JSON.stringify({ id: briefs.get(p.pk), x: +p.x.toFixed(4), y: +p.y.toFixed(4), topic: p.topic }).length + 1;
    points += page.length;
  }
  const mapMs = performance.now() - tm;

  const view = summarise(meta);
  const terms = await risingTerms(store, meta, sparse, { limit: 10 });
  const out = {
    papers: n,
    topics: meta.k,
    buildSeconds: Math.round(seconds * 10) / 10,
    buildCpuSeconds: Math.round(cpuSeconds * 10) / 10,
    stagesMs: t,
    rssBeforeMb: mb(rss0),
    rssPeakMb: mb(peak),
    rssGrowthMb: mb(peak - rss0),
    projected1M: { topics: kN, seconds: Math.round(projectedSeconds), stagesMs: Object.fromEntries(Object.entries(projected).map(([k, v]) => [k, Math.round(v)])) },
    map: { points, payloadMb: Math.round((bytes / 1e6) * 10) / 10, readMs: Math.round(mapMs) },
    lastWeek: view.lastWeek,
    exampleLabels: [...meta.topics].sort((a, b) => b.size - a.size).slice(0, 12).map((x) => `${x.label} (${x.size})`),
    rising: view.topics.filter((x) => x.rising).slice(0, 10).map((x) => `${x.label}: ×${x.growth} (${x.before} → ${x.recent} papers, q=${x.q.toExponential(1)})`),
    risingTerms: terms.map((x) => `${x.term}: ×${x.growth} (${x.before} → ${x.recent}, q=${x.q.toExponential(1)})`),
    report,
  };
  await store.close();
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  log(`topic build on ${n.toLocaleString('en')} papers: ${out.buildSeconds} s wall, ${out.buildCpuSeconds} s CPU, ${meta.k} topics`);
  log(`  stages (ms wall, ms CPU, MB resident after): ${JSON.stringify(t)}`);
  log(`memory: rss ${out.rssBeforeMb} MB before, peak ${out.rssPeakMb} MB (+${out.rssGrowthMb} MB)`);
  log(`projected to 1,000,000 papers (${kN} topics), from CPU time: ~${out.projected1M.seconds} s; stages (ms) ${JSON.stringify(out.projected1M.stagesMs)}`);
  log(`map payload: ${points} points, ${out.map.payloadMb} MB of JSON, read in ${out.map.readMs} ms`);
  log(`trends to the week of ${view.lastWeek}`);
  log('largest topics:');
  for (const l of out.exampleLabels) log(`  ${l}`);
  log('rising topics (significant at 5 % FDR):');
  for (const l of out.rising) log(`  ${l}`);
  log('rising terms:');
  for (const l of out.risingTerms) log(`  ${l}`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
