/**
 * Block-max top-k ranking on an existing SQLite database (a copy: it builds
 * the maxima into it): for title-word queries matching at least `TOPK_FROM`
 * papers, the keyword ranking's cost with the maxima, with the previous
 * bounded ranking (maxima hidden), exhaustively (every match ranked), and raw
 * FTS5 (`MATCH … ORDER BY bm25 LIMIT 60`), all in the same run; and whether
 * the pruned top 60 equals the exhaustive one (it must, every time).
 *
 *   npx tsx bench/search-topk.ts DB_COPY [--queries 200]
 *
 * Times are CPU milliseconds of this process per query (robust to a loaded
 * machine), with wall-clock p50/p99 beside them.
 */
import { parseQuery } from '../src/query/parse.ts';
import { TOPK_FROM, type SqliteSearch } from '../src/store/sqlite/search.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { mulberry32 } from '../src/text/random.ts';
import { opt } from './lib/args.ts';

const path = process.argv[2];
if (!path || path.startsWith('--')) {
  console.error('usage: bench/search-topk.ts DB_COPY [--queries 200]');
  process.exit(2);
}
const N = Number(opt('queries', '200'));
const log = (s: string) => process.stderr.write(`${s}\n`);
const store = new SqliteStore(path);
const search = store.search as SqliteSearch;
let t = performance.now();
const built = await search.refreshRankIndex({ force: true });
log(`block maxima: ${built.terms ?? 0} words in ${((performance.now() - t) / 1000).toFixed(1)} s`);

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

const hide = (on: boolean) =>
  store.db.prepare(`UPDATE kv_state SET key = ? WHERE key = ?`).run(...(on ? ['search_impacts_hidden', 'search_impacts'] : ['search_impacts', 'search_impacts_hidden']));
const run = (q: string, budget: number) => search.searchKeyword({ query: parseQuery(q).query, sort: 'relevance', limit: 60, offset: 0, match: 'all', budget });
const raw = store.db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts, 5, 1, 2, 0) LIMIT 60');
async function measure<T>(f: () => Promise<T> | T): Promise<{ r: T; cpu: number; wall: number }> {
  const c = process.cpuUsage();
  t = performance.now();
  const r = await f();
  const u = process.cpuUsage(c);
  return { r, cpu: (u.user + u.system) / 1000, wall: performance.now() - t };
}

for (const q of queries.slice(0, 30)) await run(q, 10_000); // document frequencies and page cache
const series: Record<string, { cpu: number[]; wall: number[] }> = {};
const add = (name: string, m: { cpu: number; wall: number }) => {
  const s = (series[name] ??= { cpu: [], wall: [] });
  s.cpu.push(m.cpu);
  s.wall.push(m.wall);
};
let broad = 0;
let mismatches = 0;
let fellBack = 0;
for (const q of queries) {
  const a = await measure(() => run(q, 10_000));
  if (a.r.totalExact) continue; // fewer than TOPK_FROM matches: ranked exhaustively either way
  broad++;
  hide(true);
  const b = await measure(() => run(q, 10_000));
  search.topKFrom = 1e9;
  const c = await measure(() => run(q, 1_000_000));
  search.topKFrom = TOPK_FROM;
  hide(false);
  const d = await measure(() => raw.all(q.split(' ').map((w) => `"${w}"`).join(' ')));
  add('block-max top-k', a);
  add('previous bounded ranking', b);
  add('exhaustive ranking', c);
  add('raw FTS5 ORDER BY bm25 LIMIT 60', d);
  // A ranking that gave up (too many ranges) fell back to the previous bounded one, which may differ.
  if (a.r.bounded) fellBack++;
  else if (JSON.stringify(a.r.hits) !== JSON.stringify(c.r.hits)) mismatches++;
}
await store.close();
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);
console.log(`${broad} of ${queries.length} queries match ≥ ${TOPK_FROM} papers; pruned: ${broad - fellBack}, of which top 60 differing from the exhaustive ranking: ${mismatches}; fell back to the bounded ranking: ${fellBack}`);
console.log('                                   CPU ms mean   p50     p99   | wall ms p50    p99');
for (const [name, s] of Object.entries(series)) {
  const f = (x: number) => x.toFixed(1).padStart(7);
  console.log(`  ${name.padEnd(32)} ${f(mean(s.cpu))} ${f(pct(s.cpu, 0.5))} ${f(pct(s.cpu, 0.99))}   | ${f(pct(s.wall, 0.5))} ${f(pct(s.wall, 0.99))}`);
}
