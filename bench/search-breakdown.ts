/**
 * Where a default search's time goes: the query mix of bench/backends.ts
 * (1–3 consecutive words of sampled titles) through `searchPapers`, with the
 * keyword store's steps timed one by one (counting, the ranking path taken,
 * title tier, proximity, relaxation) and the paper fetch for the results
 * list. Prints the slowest queries with their steps, and totals per step.
 *
 *   npx tsx bench/search-breakdown.ts DB [--queries 200] [--slowest 15] [--bm25] [--no-postings]
 *
 * --bm25: keyword search only (a database with vector indexes otherwise runs
 * hybrid); --no-postings: rank as before the search postings.
 *
 * Read-only on DB (opened through the store, which migrates: pass a copy).
 * Times are CPU milliseconds of this process.
 */
import { searchPapers } from '../src/rank/search.ts';
import { searchDepsFor } from '../src/rank/search-deps.ts';
import type { SqliteSearch } from '../src/store/sqlite/search.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { mulberry32 } from '../src/text/random.ts';
import { opt } from './lib/args.ts';

const path = process.argv[2];
if (!path || path.startsWith('--')) {
  console.error('usage: bench/search-breakdown.ts DB [--queries 200] [--slowest 15]');
  process.exit(2);
}
const N = Number(opt('queries', '200'));
const SLOWEST = Number(opt('slowest', '15'));
const store = new SqliteStore(path);
const search = store.search as SqliteSearch;

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let steps: Record<string, number> = {};
const add = (name: string, ms: number) => (steps[name] = (steps[name] ?? 0) + ms);
/** Wraps a method of `obj` so its CPU time adds to `name` (nested wraps count in both). */
function timeMethod(obj: any, method: string, name = method): void {
  const orig = obj[method];
  obj[method] = function (...args: unknown[]) {
    const t = cpu();
    const r = orig.apply(this, args);
    if (r instanceof Promise) return r.finally(() => add(name, cpu() - t));
    add(name, cpu() - t);
    return r;
  };
}
const s = search as any;
timeMethod(s.stats, 'count', 'count');
for (const m of ['topK', 'fromPostings', 'rank', 'mergeTitleTier', 'proximity', 'relaxed', 'sorted']) if (typeof s[m] === 'function') timeMethod(s, m);
timeMethod(store.papers, 'getPapersByPk', 'fetch papers');
timeMethod(search, 'searchKeyword', 'searchKeyword');

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 2 && !['the', 'and', 'for', 'with', 'from', 'via', 'are'].includes(w));
const rand = mulberry32(42);
const sample = async (n: number) => (await store.papers.getPapersByPk(await store.profiles.samplePaperPks(n, Math.floor(rand() * 1e9)))).filter((p) => p.title);
const titles = (await sample(N * 2)).map((p) => words(p.title)).filter((w) => w.length);
const queries = titles.slice(0, N).map((w, i) => {
  const k = 1 + (i % 3);
  const start = Math.floor(rand() * Math.max(1, w.length - k + 1));
  return w.slice(start, start + k).join(' ');
});
const mode = process.argv.includes('--bm25') ? ('bm25' as const) : undefined;
if (process.argv.includes('--no-postings')) search.usePostings = false;
const deps = await searchDepsFor(store, undefined, { mode });
for (const q of queries.slice(0, 20)) await searchPapers(deps, q, { limit: 20, suggest: false, mode });

interface One {
  q: string;
  cpu: number;
  wall: number;
  steps: Record<string, number>;
  total: number;
  path: string;
}
const out: One[] = [];
for (const q of queries) {
  steps = {};
  const answered = search.postingsAnswered;
  const c = cpu();
  const t = performance.now();
  const r = await searchPapers(deps, q, { limit: 20, suggest: false, mode });
  const wall = performance.now() - t;
  const path = search.postingsAnswered > answered ? 'postings' : r.query.relaxed ? 'relaxed' : r.query.bounded ? 'bounded' : steps.topK && r.query.mode === 'bm25' && !r.totalExact ? 'block-max' : r.totalExact ? 'exhaustive' : 'other';
  out.push({ q, cpu: cpu() - c, wall, steps, total: r.total, path });
}
await store.close();

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const f = (x: number) => x.toFixed(1).padStart(7);
console.log(`${out.length} queries; CPU ms p50 ${f(pct(out.map((o) => o.cpu), 0.5))} p99 ${f(pct(out.map((o) => o.cpu), 0.99))} max ${f(Math.max(...out.map((o) => o.cpu)))} | wall p50 ${f(pct(out.map((o) => o.wall), 0.5))} p99 ${f(pct(out.map((o) => o.wall), 0.99))}`);
const byPath = new Map<string, number[]>();
for (const o of out) byPath.set(o.path, [...(byPath.get(o.path) ?? []), o.cpu]);
for (const [p, xs] of byPath) console.log(`  path ${p.padEnd(10)} ${String(xs.length).padStart(4)} queries, CPU p50 ${f(pct(xs, 0.5))} p99 ${f(pct(xs, 0.99))}`);
const names = [...new Set(out.flatMap((o) => Object.keys(o.steps)))];
console.log(`  step totals (CPU ms over all queries): ${names.map((n) => `${n} ${out.reduce((a, o) => a + (o.steps[n] ?? 0), 0).toFixed(0)}`).join(', ')}`);
console.log(`slowest ${SLOWEST}:`);
for (const o of [...out].sort((a, b) => b.cpu - a.cpu).slice(0, SLOWEST)) {
  console.log(`  ${f(o.cpu)} ms  ${o.path.padEnd(10)} ${String(o.total).padStart(8)} matches  "${o.q}"  ${Object.entries(o.steps).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
}
