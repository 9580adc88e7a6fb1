/**
 * The phases of bench/backends.ts, each run in its own process (so its peak
 * RSS is its own) against one store location — an SQLite file or a
 * postgres:// URL. Prints one JSON line of figures on stdout.
 *
 *   npx tsx bench/lib/backend-phases.ts import FILE LOCATION
 *   npx tsx bench/lib/backend-phases.ts index LOCATION
 *   npx tsx bench/lib/backend-phases.ts query LOCATION QUERIES SIMILAR RUNS
 */
import Database from 'better-sqlite3';
import { importInputs } from '../../src/ingest/import.ts';
import { buildFeed } from '../../src/profile/feed.ts';
import { openProfileDeps } from '../../src/profile/deps.ts';
import { importForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { searchDepsFor } from '../../src/rank/search-deps.ts';
import { searchPapers } from '../../src/rank/search.ts';
import { similarPapers } from '../../src/rank/similar.ts';
import { openStore } from '../../src/store/open.ts';
import type { PostgresStore } from '../../src/store/postgres/store.ts';
import type { Store } from '../../src/store/types.ts';
import { refreshIndexes } from '../../src/vectors/refresh.ts';
import { openRetrieval } from '../../src/vectors/retrieval.ts';
import { SEED_LIST } from './run-phase.ts';
import { mulberry32 } from '../../src/text/random.ts';

const log = (s: string) => process.stderr.write(`  [${process.argv[2]}] ${s}\n`);

function figures(extra: Record<string, unknown>): void {
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ ...extra, peakRssMB: Math.round(usage.maxRSS / 1024), cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
}

export interface Latency {
  p50: number;
  p99: number;
  n: number;
}

function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: round(at(0.5)), p99: round(at(0.99)), n: s.length };
}
const round = (x: number) => Math.round(x * 10) / 10;

async function timed(xs: number[], fn: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await fn();
  xs.push(performance.now() - t);
}

async function importPhase(file: string, location: string): Promise<void> {
  const store = await openStore(location);
  const t0 = performance.now();
  let last = t0;
  const report = await importInputs(store, [{ path: file }], {
    now: () => new Date(),
    onProgress: (p) => {
      const now = performance.now();
      if (now - last < 30_000) return;
      last = now;
      log(`${p.records.toLocaleString('en')} records, ${Math.round(p.records / ((now - t0) / 1000))}/s`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const papers = (await store.papers.stats()).papers;
  await store.close();
  figures({ records: report.totals.records, papers, seconds, perSecond: Math.round(report.totals.records / seconds) });
}

async function indexPhase(location: string): Promise<void> {
  const store = await openStore(location);
  const t0 = performance.now();
  let last = 0;
  await refreshIndexes(store, {
    progress: (p) => {
      if (Date.now() - last < 30_000) return;
      last = Date.now();
      log(p.message ?? `${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  figures({ seconds });
}

/** Query words of a title (letters and digits), for the query mix and the raw baselines. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 2 && !['the', 'and', 'for', 'with', 'from', 'via', 'are'].includes(w));
}

/** The database's own top-20 ranked full-text query, without Paper Radar around it. */
function rawSearch(store: Store): (terms: string[]) => Promise<unknown> {
  if (store.kind === 'sqlite') {
    const db = new Database(store.location, { readonly: true });
    const stmt = db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 5, 1, 2, 0) LIMIT 20');
    return async (terms) => stmt.all(terms.map((t) => `"${t}"`).join(' '));
  }
  const pool = (store as PostgresStore).pool;
  return (terms) =>
    pool.query(
      `SELECT pk FROM papers, plainto_tsquery('radar_english', $1) q WHERE fts @@ q ORDER BY ts_rank('{0, 0.4, 0.2, 1}', fts, q) DESC LIMIT 20`,
      [terms.join(' ')],
    );
}

async function queryPhase(location: string, nQueries: number, nSimilar: number, runs: number): Promise<void> {
  const store = await openStore(location);
  const stats = await store.papers.stats();
  const rand = mulberry32(42);
  // Sample papers by pk range probing (pks are dense) for titles (queries) and similar-paper targets.
  const sample = async (n: number) => (await store.papers.getPapersByPk(await store.profiles.samplePaperPks(n, Math.floor(rand() * 1e9)))).filter((p) => p.title);
  const titles = (await sample(nQueries * 2)).map((p) => words(p.title)).filter((w) => w.length);
  const queries = titles.slice(0, nQueries).map((w, i) => {
    const k = 1 + (i % 3);
    const start = Math.floor(rand() * Math.max(1, w.length - k + 1));
    return w.slice(start, start + k);
  });
  const t0 = performance.now();
  const deps = await searchDepsFor(store);
  const openMs = performance.now() - t0;
  const raw = rawSearch(store);
  const radarMs: number[] = [];
  const rawMs: number[] = [];
  for (const q of queries.slice(0, 20)) await searchPapers(deps, q.join(' '), { limit: 20, suggest: false }); // warm-up
  for (const q of queries) {
    await timed(radarMs, () => searchPapers(deps, q.join(' '), { limit: 20, suggest: false }));
    await timed(rawMs, () => raw(q));
  }
  const keywordMs: number[] = [];
  for (const q of queries) await timed(keywordMs, () => searchPapers(deps, q.join(' '), { limit: 20, mode: 'bm25', suggest: false }));

  const r = await openRetrieval(store);
  const targets = (await sample(nSimilar)).slice(0, nSimilar);
  const similarMs: number[] = [];
  const rawVectorMs: number[] = [];
  const vectorsName = r.dense?.state.vectors;
  for (const p of targets.slice(0, 10)) await similarPapers(store, r, p.id, { limit: 10 });
  for (const p of targets) {
    await timed(similarMs, () => similarPapers(store, r, p.id, { limit: 10 }));
    await timed(rawVectorMs, () => (vectorsName ? store.vectors.getVectors(vectorsName, [p.pk]) : store.papers.getPapersByPk([p.pk])));
  }

  // Feed: a profile from the seed publication list, over the last 7 listing days.
  const now = new Date(`${stats.lastDay}T12:00:00Z`);
  if (!(await store.profiles.getProfile('bench'))) await createProfile({ store, now, importFiles: importForProfile }, 'bench', { files: [SEED_LIST] });
  const profileDeps = await openProfileDeps(store);
  const from = new Date(now.getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
  const feedMs: number[] = [];
  const listMs: number[] = [];
  let arrivals = 0;
  await buildFeed(profileDeps, 'bench', { from, to: stats.lastDay, now, limit: 20 });
  for (let i = 0; i < runs; i++) {
    await timed(feedMs, async () => {
      arrivals = (await buildFeed(profileDeps, 'bench', { from, to: stats.lastDay, now, limit: 20 })).stats.candidates;
    });
    await timed(listMs, () => store.papers.listPapers({ from, to: stats.lastDay, limit: 2000 }));
  }
  await store.close();
  figures({
    papers: stats.papers,
    searchOpenMs: round(openMs),
    search: latency(radarMs),
    searchKeyword: latency(keywordMs),
    searchRaw: latency(rawMs),
    similar: latency(similarMs),
    similarRawVectorFetch: latency(rawVectorMs),
    feed: latency(feedMs),
    feedArrivals: arrivals,
    feedRawListing: latency(listMs),
  });
}

const [phase, ...rest] = process.argv.slice(2);
if (phase === 'import') await importPhase(rest[0], rest[1]);
else if (phase === 'index') await indexPhase(rest[0]);
else if (phase === 'query') await queryPhase(rest[0], Number(rest[1] ?? 200), Number(rest[2] ?? 100), Number(rest[3] ?? 5));
else {
  console.error('usage: backend-phases.ts import FILE LOCATION | index LOCATION | query LOCATION [QUERIES SIMILAR RUNS]');
  process.exit(2);
}

