/**
 * Both store backends side by side: import rate, index build, search and
 * similar-paper latency (p50/p99), feed build time and peak RSS, each beside
 * the raw database's own query measured in the same run:
 *   search   → SQLite `MATCH … ORDER BY bm25 LIMIT 20` / PostgreSQL `@@ plainto_tsquery … ORDER BY ts_rank LIMIT 20`
 *   similar  → fetching the query paper's stored vector (the database's share of a similar-papers call)
 *   feed     → listing the window's papers (`listPapers`)
 *
 *   npx tsx bench/backends.ts [--size 74728] [--backends sqlite,postgres] [--queries 200] [--similar 100]
 *                             [--runs 5] [--pg postgres://…] [--cache DIR] [--json]
 *
 * Corpus: the 74,728 real arXiv-daily papers (../shared/data/arxiv-daily);
 * with --size above that, followed by SYNTHETIC papers whose text is sampled
 * from a word-bigram model of the real titles and abstracts
 * (bench/lib/search-corpus.ts), written once as JSON Lines into the cache dir.
 * Every phase runs in its own process through the real code paths (importer
 * with merge planning, index maintenance, searchPapers, similarPapers,
 * buildFeed). PostgreSQL: a throwaway local cluster (durability off, as for
 * tests) unless --pg names a server. Figures are provisional on a shared
 * 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { destroyCluster, findPgBin, makeClusterDir, startCluster } from '../test/helpers/pg-cluster.ts';
import { DAILY, freshPgDatabase, runPhase as phase } from './lib/run-phase.ts';
import { readArxivDaily, syntheticRecord, syntheticSource } from './lib/search-corpus.ts';
import { flag, opt } from './lib/args.ts';

const REAL = 74_728;
const SIZE = Number(opt('size', String(REAL)).replace(/_/g, ''));
const BACKENDS = opt('backends', 'sqlite,postgres').split(',');
const CACHE = resolve(opt('cache', join(tmpdir(), 'radar-backends-bench')));
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The synthetic papers beyond the real ones, up to SIZE (none at the real size). */
async function corpus(): Promise<{ file: string; synthetic: number }> {
  if (SIZE <= REAL) return { file: '', synthetic: 0 };
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `synthetic-${SIZE - REAL}.jsonl`);
  if (!existsSync(file)) {
    log(`writing ${SIZE - REAL} synthetic papers (bigram model of the real ones) to ${file} …`);
    const src = syntheticSource(await readArxivDaily(DAILY));
    const out = createWriteStream(`${file}.tmp`);
    for (let i = 0; i < SIZE - REAL; i++) {
      const r = syntheticRecord(src, i);
      const line = JSON.stringify({ doi: r.doi, title: r.title, abstract: r.abstract, authors: r.authors, categories: r.categories, announced: r.announced, upvotes: r.signals?.upvotes });
      if (!out.write(`${line}\n`)) await new Promise<void>((ok) => out.once('drain', () => ok()));
    }
    await new Promise<void>((ok) => out.end(() => ok()));
    execFileSync('mv', [`${file}.tmp`, file]);
  }
  return { file, synthetic: SIZE - REAL };
}

const { file, synthetic } = await corpus();
const results: Record<string, Record<string, any>> = {};
let cluster: string | undefined;
try {
  for (const backend of BACKENDS) {
    let location: string;
    if (backend === 'sqlite') {
      const dir = join(CACHE, `sqlite-${SIZE}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      location = join(dir, 'radar.db');
    } else {
      let base = flag('pg') ? opt('pg', '') : undefined;
      if (!base) {
        const bin = findPgBin();
        if (!bin) throw new Error('PostgreSQL is not installed here; pass --pg URL or install postgresql');
        cluster = makeClusterDir('/tmp', 'radar-pg-bench-');
        const t = performance.now();
        base = (await startCluster(cluster, bin)).url('postgres');
        log(`postgres: throwaway cluster ready in ${Math.round(performance.now() - t)} ms`);
      }
      location = await freshPgDatabase(base, `radar_bench_${SIZE}`);
    }
    log(`${backend}: importing ${SIZE.toLocaleString('en')} papers …`);
    // The real papers first, then the synthetic remainder when the size asks for more.
    const parts = [phase('import', DAILY, location), ...(synthetic ? [phase('import', file, location)] : [])];
    const imp = {
      records: parts.reduce((n, x) => n + x.records, 0),
      seconds: parts.reduce((n, x) => n + x.seconds, 0),
      cpuSeconds: parts.reduce((n, x) => n + x.cpuSeconds, 0),
      peakRssMB: Math.max(...parts.map((x) => x.peakRssMB)),
      parts,
    };
    Object.assign(imp, { perSecond: Math.round(imp.records / imp.seconds) });
    log(`${backend}: building indexes …`);
    const idx = phase('index', location);
    log(`${backend}: queries …`);
    const q = phase('query', location, opt('queries', '200'), opt('similar', '100'), opt('runs', '5'));
    results[backend] = { import: imp, index: idx, query: q };
  }
} finally {
  if (cluster) await destroyCluster(cluster);
}

if (flag('json')) console.log(JSON.stringify({ size: SIZE, synthetic, results }, null, 2));
const f = (l: { p50: number; p99: number }) => `${String(l.p50).padStart(7)} ${String(l.p99).padStart(7)}`;
console.log(`Store backends at ${SIZE.toLocaleString('en')} papers (${synthetic ? `${REAL.toLocaleString('en')} real + ${synthetic.toLocaleString('en')} SYNTHETIC (bigram text)` : 'real arXiv-daily'}); ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; provisional`);
for (const [backend, r] of Object.entries(results)) {
  const imp = r.import;
  console.log(`\n${backend}`);
  console.log(`  import            ${imp.perSecond.toLocaleString('en')} papers/s (${imp.records.toLocaleString('en')} records in ${imp.seconds.toFixed(1)} s, ${imp.cpuSeconds.toFixed(0)} CPU-s in the importer), peak RSS ${imp.peakRssMB} MB`);
  console.log(`  index build       ${r.index.seconds.toFixed(1)} s, peak RSS ${r.index.peakRssMB} MB`);
  const q = r.query;
  console.log(`                         p50 ms  p99 ms`);
  console.log(`  search (default)  ${f(q.search)}   keyword only ${f(q.searchKeyword)}   raw database ${f(q.searchRaw)}   (${q.search.n} queries)`);
  console.log(`  similar papers    ${f(q.similar)}   raw vector fetch ${f(q.similarRawVectorFetch)}   (${q.similar.n} papers)`);
  console.log(`  feed, 7 days      ${f(q.feed)}   raw window listing ${f(q.feedRawListing)}   (${q.feedArrivals} arrivals)`);
  console.log(`  peak RSS (queries) ${q.peakRssMB} MB`);
}
