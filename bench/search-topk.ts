/**
 * Top-k keyword ranking on an existing SQLite database copy, every path in
 * the same run on the same queries (1–3 consecutive words of sampled titles,
 * the mix of bench/backends.ts):
 *
 *   postings        ranking from the search postings (search-postings-topk.ts)
 *   block-max       block-max pruning over FTS5 (search-topk.ts), postings off
 *   exhaustive      every match ranked by FTS5 (the reference)
 *   raw FTS5        `MATCH … ORDER BY bm25 LIMIT 60`
 *
 * and the whole default search (`searchPapers`, limit 20, what the API runs)
 * with the postings and without. Checks that the postings' top 60 equals the
 * exhaustive ranking's (it must, every time).
 *
 *   npx tsx bench/search-topk.ts DB_COPY [--queries 200] [--build]
 *
 * --build (re)builds the postings and maxima first (they are built when
 * missing). Times are CPU milliseconds of this process per query (robust to
 * a loaded machine), with wall-clock p50/p99 beside them.
 */
import { loadavg } from 'node:os';
import { parseQuery } from '../src/query/parse.ts';
import { searchPapers } from '../src/rank/search.ts';
import { TOPK_FROM, type SqliteSearch } from '../src/store/sqlite/search.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { mulberry32 } from '../src/text/random.ts';
import { flag, opt } from './lib/args.ts';

const path = process.argv[2];
if (!path || path.startsWith('--')) {
  console.error('usage: bench/search-topk.ts DB_COPY [--queries 200] [--build]');
  process.exit(2);
}
const N = Number(opt('queries', '200'));
const log = (s: string) => process.stderr.write(`${s}\n`);
const store = new SqliteStore(path);
const search = store.search as SqliteSearch;
const built = store.db.prepare("SELECT 1 FROM kv_state WHERE key = 'search_postings'").get();
if (flag('build') || !built) {
  const t = performance.now();
  const r = await search.refreshRankIndex({ force: true });
  log(`postings and block maxima: ${r.terms ?? 0} words in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').split(' ').filter((w) => w.length > 2 && !['the', 'and', 'for', 'with', 'from', 'via', 'are'].includes(w));
const rand = mulberry32(42);
const papers = await store.papers.getPapersByPk(await store.profiles.samplePaperPks(N * 2, 7));
const queries = papers
  .map((p) => words(p.title))
  .filter((w) => w.length)
  .slice(0, N)
  .map((w, i) => {
    const k = 1 + (i % 3);
    const s = Math.floor(rand() * Math.max(1, w.length - k + 1));
    return w.slice(s, s + k).join(' ');
  });

const run = (q: string, budget: number) => search.searchKeyword({ query: parseQuery(q).query, sort: 'relevance', limit: 60, offset: 0, match: 'all', budget });
const raw = store.db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 5, 1, 2, 0) LIMIT 60');
const deps = { store };
async function measure<T>(f: () => Promise<T> | T): Promise<{ r: T; cpu: number; wall: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  const u = process.cpuUsage(c);
  return { r, cpu: (u.user + u.system) / 1000, wall: performance.now() - t };
}
const mode = (postings: boolean, topKFrom = TOPK_FROM) => {
  search.usePostings = postings;
  search.topKFrom = topKFrom;
};

for (const q of queries.slice(0, 30)) {
  mode(true);
  await run(q, 10_000); // lists, lengths, document frequencies and page cache
  mode(false);
  await run(q, 10_000);
}
const series: Record<string, Record<string, { cpu: number[]; wall: number[] }>> = { all: {}, broad: {} };
const add = (group: string, name: string, m: { cpu: number; wall: number }) => {
  const s = (series[group][name] ??= { cpu: [], wall: [] });
  s.cpu.push(m.cpu);
  s.wall.push(m.wall);
};
let broad = 0;
let answered = 0;
let mismatches = 0;
const load0 = loadavg()[0];
for (const q of queries) {
  mode(true);
  const before = search.postingsAnswered;
  const a = await measure(() => run(q, 10_000));
  const used = search.postingsAnswered > before;
  const e = await measure(() => searchPapers(deps, q, { limit: 20, suggest: false }));
  mode(false);
  const b = await measure(() => run(q, 10_000));
  const f = await measure(() => searchPapers(deps, q, { limit: 20, suggest: false }));
  mode(false, 1e9);
  const c = await measure(() => run(q, 1_000_000));
  mode(true);
  const d = await measure(() => raw.all(q.split(' ').map((w) => `"${w}"`).join(' ')));
  const isBroad = c.r.total >= TOPK_FROM;
  if (isBroad) broad++;
  if (used) answered++;
  if (used && JSON.stringify(a.r.hits) !== JSON.stringify(c.r.hits)) {
    mismatches++;
    log(`differs from the exhaustive ranking: "${q}"`);
  }
  for (const g of isBroad ? ['all', 'broad'] : ['all']) {
    add(g, 'postings top-k', a);
    add(g, 'block-max top-k (postings off)', b);
    add(g, 'exhaustive ranking', c);
    add(g, 'raw FTS5 ORDER BY bm25 LIMIT 60', d);
    add(g, 'searchPapers default, postings', e);
    add(g, 'searchPapers default, block-max', f);
  }
}
await store.close();
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
console.log(
  `${queries.length} queries, ${broad} matching ≥ ${TOPK_FROM} papers; answered from the postings: ${answered}, of which top 60 differing from the exhaustive ranking: ${mismatches}; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${process.env.NPROC ?? '2'} cores`,
);
for (const [group, rows] of Object.entries(series)) {
  console.log(`${group === 'all' ? 'all queries' : `broad queries (≥ ${TOPK_FROM} matches)`}    CPU ms mean   p50     p99   | wall ms p50    p99`);
  for (const [name, s] of Object.entries(rows)) {
    const f = (x: number) => x.toFixed(1).padStart(7);
    console.log(`  ${name.padEnd(34)} ${f(mean(s.cpu))} ${f(pct(s.cpu, 0.5))} ${f(pct(s.cpu, 0.99))}   | ${f(pct(s.wall, 0.5))} ${f(pct(s.wall, 0.99))}`);
  }
}
