/**
 * Where a PostgreSQL search spends its time, statement by statement, on an
 * existing database (only read): every query the store sends through its pool
 * is timed and grouped by the statement's first words, for the default
 * (hybrid) search, keyword-only search and the raw `@@ … ts_rank` query of
 * bench/backends.ts, all in one run. Also prints the top-20 overlap of the
 * default search with `--compare` (another store, e.g. the SQLite file the
 * PostgreSQL database was migrated from) for the same queries.
 *
 *   npx tsx bench/pg-search-breakdown.ts --db postgres://… [--queries 200] [--compare FILE.db] [--json]
 */
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { searchDepsFor } from '../src/rank/search-deps.ts';
import { searchPapers } from '../src/rank/search.ts';
import { openStore } from '../src/store/open.ts';
import type { PostgresStore } from '../src/store/postgres/store.ts';
import { mulberry32 } from '../src/text/random.ts';
import { flag, opt } from './lib/args.ts';
import { latency } from './lib/recall.ts';

const DB = opt('db');
if (!DB?.startsWith('postgres')) throw new Error('usage: bench/pg-search-breakdown.ts --db postgres://… [--queries 200] [--compare FILE.db] [--json]');
const N = Number(opt('queries', '200'));
const log = (s: string) => process.stderr.write(`${s}\n`);

const store = (await openStore(DB)) as PostgresStore;
const stats = await store.papers.stats();

/** Statement time by kind, while `on`. */
const bySql = new Map<string, { n: number; ms: number }>();
let on = false;
function trace(pool: Pool): void {
  const query = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...a: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
    const t = performance.now();
    try {
      return await query(...args);
    } finally {
      if (on) {
        const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
        const key = text.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 90);
        const e = bySql.get(key) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t;
        bySql.set(key, e);
      }
    }
  };
}
trace(store.pool);

const rand = mulberry32(42);
const titles = (await store.papers.getPapersByPk(await store.profiles.samplePaperPks(N * 2, 7))).filter((p) => p.title);
const words = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 2 && !['the', 'and', 'for', 'with', 'from', 'via', 'are'].includes(w));
const queries = titles
  .map((p) => words(p.title))
  .filter((w) => w.length)
  .slice(0, N)
  .map((w, i) => {
    const k = 1 + (i % 3);
    const start = Math.floor(rand() * Math.max(1, w.length - k + 1));
    return w.slice(start, start + k).join(' ');
  });

const deps = await searchDepsFor(store);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function run(name: string, fn: (q: string) => Promise<unknown>) {
  for (const q of queries.slice(0, 10)) await fn(q);
  bySql.clear();
  on = true;
  const ms: number[] = [];
  const c0 = cpu();
  for (const q of queries) {
    const t = performance.now();
    await fn(q);
    ms.push(performance.now() - t);
  }
  on = false;
  const total = ms.reduce((a, b) => a + b, 0);
  const statements = [...bySql.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([sql, e]) => ({ sql, perQuery: +(e.n / queries.length).toFixed(2), msPerQuery: +(e.ms / queries.length).toFixed(2) }));
  const dbMs = statements.reduce((a, s) => a + s.msPerQuery, 0);
  return { name, ...latency(ms), meanMs: +(total / queries.length).toFixed(2), nodeCpuMsPerQuery: +((cpu() - c0) / queries.length).toFixed(2), dbMsPerQuery: +dbMs.toFixed(2), statements };
}

const raw = (q: string) =>
  store.pool.query(`SELECT pk FROM papers, plainto_tsquery('radar_english', $1) q WHERE fts @@ q ORDER BY ts_rank('{0, 0.4, 0.2, 1}', fts, q) DESC LIMIT 20`, [q]);
const results = [
  await run('default (hybrid)', (q) => searchPapers(deps, q, { limit: 20, suggest: false })),
  await run('keyword only', (q) => searchPapers(deps, q, { limit: 20, mode: 'bm25', suggest: false })),
  await run('raw @@ ts_rank', raw),
];

let overlap: number | undefined;
const other = opt('compare');
if (other) {
  const o = await openStore(other);
  const odeps = await searchDepsFor(o);
  let sum = 0;
  for (const q of queries) {
    const a = (await searchPapers(deps, q, { limit: 20, suggest: false })).hits.map((h) => h.id);
    const b = new Set((await searchPapers(odeps, q, { limit: 20, suggest: false })).hits.map((h) => h.id));
    sum += b.size ? a.filter((id) => b.has(id)).length / Math.max(a.length, b.size) : a.length ? 0 : 1;
  }
  overlap = +(sum / queries.length).toFixed(3);
  await o.close();
}
await store.close();

if (flag('json')) console.log(JSON.stringify({ papers: stats.papers, queries: queries.length, results, overlap }, null, 2));
log(`PostgreSQL search breakdown: ${stats.papers.toLocaleString('en')} papers, ${queries.length} queries (1–3 title words), load ${loadavg()[0].toFixed(1)}`);
for (const r of results) {
  log(`\n${r.name}: p50 ${r.p50} ms, p99 ${r.p99} ms, mean ${r.meanMs} ms (in statements ${r.dbMsPerQuery} ms, node CPU ${r.nodeCpuMsPerQuery} ms per query)`);
  for (const s of r.statements.slice(0, 12)) log(`  ${String(s.msPerQuery).padStart(8)} ms  ×${String(s.perQuery).padEnd(5)} ${s.sql}`);
}
if (overlap !== undefined) log(`\ntop-20 overlap of the default search with ${other}: ${overlap}`);
