/**
 * Search benchmark: index build time and search latency (p50/p99) at several
 * corpus sizes, beside raw SQLite FTS5 (`MATCH … ORDER BY bm25 LIMIT 20`)
 * measured in the same run on the same database.
 *
 *   npx tsx bench/search.ts [--sizes 10000,100000,1000000] [--queries 300] [--cache DIR] [--json]
 *
 * Corpus: the real arXiv-daily papers (../shared/data/arxiv-daily, 74,728)
 * first, then synthetic papers whose text comes from a word-bigram model of
 * the real titles and abstracts (bench/lib/search-corpus.ts). Databases are
 * built once into the cache dir (default: the OS temp dir) and reused; they
 * are never part of the repository.
 *
 * Query mix (seeded, same for every size): topical words and phrases taken
 * from real titles, common-word queries ("large language models"), pasted
 * titles, prefixes, exclusions, author/category/year filters, date and upvote
 * sorts. Each query runs through `searchPapers` (parse, rank, load the page,
 * snippets: what the API does) after one warm-up pass.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseQuery } from '../src/query/parse.ts';
import { searchPapers, type SearchOptions } from '../src/rank/search.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { readArxivDaily, type RealPaper } from './lib/search-corpus.ts';
import { mulberry32 } from '../src/text/random.ts';
import { ensureBenchDb } from './lib/search-db.ts';
import { flag, opt, sizes } from './lib/args.ts';

const SIZES = sizes(opt('sizes', '10000,100000,1000000'));
const N_QUERIES = Number(opt('queries') ?? 300);
const CACHE = resolve(opt('cache') ?? join(tmpdir(), 'radar-search-bench'));
const JSON_OUT = flag('json');
const DAILY = resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'arxiv-daily', 'papers.jsonl.gz');

const log = (s: string) => process.stderr.write(`${s}\n`);

interface BenchQuery {
  text: string;
  kind: string;
  opts: SearchOptions;
}

const COMMON = [
  'large language models', 'diffusion models', 'reinforcement learning', 'neural networks', 'deep learning', 'transformer',
  'graph neural networks', 'vision language models', 'image segmentation', 'contrastive learning', 'reasoning', 'benchmark',
  'model', 'learning', 'language model evaluation', 'federated learning',
];
const STOP = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'in', 'on', 'with', 'to', 'via', 'from', 'by', 'is', 'are', 'at', 'as', 'or', 'its', 'we']);

/** A realistic, seeded query mix drawn from real titles, authors and categories. */
function queryMix(real: RealPaper[], n: number): BenchQuery[] {
  const rand = mulberry32(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const titleWords = () => {
    const words = pick(real).title.replace(/[^\p{L}\p{N}\s-]/gu, ' ').split(/\s+/).filter((w) => w.length > 2 && !STOP.has(w.toLowerCase()));
    return words.length ? words : ['learning'];
  };
  const run = (k: number) => {
    const w = titleWords();
    const i = Math.floor(rand() * Math.max(1, w.length - k + 1));
    return w.slice(i, i + k).join(' ').toLowerCase();
  };
  const surname = () => (pick(pick(real).authors) ?? 'smith').split(/\s+/).pop()!.toLowerCase();
  const out: BenchQuery[] = [];
  while (out.length < n) {
    const r = rand();
    if (r < 0.3) out.push({ kind: 'topic words', text: run(1 + Math.floor(rand() * 3)), opts: {} });
    else if (r < 0.42) out.push({ kind: 'common words', text: pick(COMMON), opts: {} });
    else if (r < 0.5) out.push({ kind: 'phrase', text: `"${run(2)}"`, opts: {} });
    else if (r < 0.56) out.push({ kind: 'pasted title', text: pick(real).title, opts: {} });
    else if (r < 0.62) out.push({ kind: 'prefix', text: `${titleWords()[0].toLowerCase().slice(0, 5)}*`, opts: {} });
    else if (r < 0.67) out.push({ kind: 'exclusion', text: `${run(2)} -survey`, opts: {} });
    else if (r < 0.74) out.push({ kind: 'category filter', text: `${run(1 + Math.floor(rand() * 2))} cat:${pick(pick(real).categories)}`, opts: {} });
    else if (r < 0.8) out.push({ kind: 'year filter', text: `${run(1 + Math.floor(rand() * 2))} year:${2015 + Math.floor(rand() * 11)}`, opts: {} });
    else if (r < 0.85) out.push({ kind: 'author', text: `author:${surname()}`, opts: {} });
    else if (r < 0.88) out.push({ kind: 'author + words', text: `${run(1)} author:${surname()}`, opts: {} });
    else if (r < 0.95) out.push({ kind: 'sort by date', text: run(1 + Math.floor(rand() * 2)), opts: { sort: 'date' } });
    else out.push({ kind: 'sort by upvotes', text: run(1 + Math.floor(rand() * 2)), opts: { sort: 'upvotes' } });
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** The raw baseline's MATCH text: the query's words, quoted (so it cannot fail), implicitly ANDed or ORed. */
function rawMatch(text: string, op: 'AND' | 'OR'): string | undefined {
  const q = parseQuery(text).query;
  const words = q.clauses.flatMap((c) => (c.kind === 'any' ? c.atoms : [c])).flatMap((a) => (a.kind === 'term' ? [a.word] : a.words));
  if (!words.length) return undefined;
  return words.map((w) => `"${w}"`).join(op === 'AND' ? ' ' : ' OR ');
}

interface IndexBuild {
  papers: number;
  ftsRebuildSeconds: number;
  optimizeSeconds: number;
  importPapersPerSecond?: number;
  measuredAt: string;
}

/** Full rebuild of both search indexes from the stored papers (what migration 3 does), then a merge: measured once per cached database. */
function indexBuild(dbPath: string, papers: number, importSeconds?: number, migratedSeconds?: number): IndexBuild {
  const side = `${dbPath}.index-build.json`;
  if (existsSync(side)) return JSON.parse(readFileSync(side, 'utf8')) as IndexBuild;
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  let t = performance.now();
  let ftsRebuildSeconds = migratedSeconds ?? 0;
  if (migratedSeconds === undefined) {
    log(`  measuring a full search-index rebuild over ${papers.toLocaleString('en')} papers …`);
    db.exec("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild'); INSERT INTO papers_title_fts(papers_title_fts) VALUES ('rebuild');");
    ftsRebuildSeconds = (performance.now() - t) / 1000;
  }
  t = performance.now();
  db.exec("INSERT INTO papers_fts(papers_fts) VALUES ('optimize'); INSERT INTO papers_title_fts(papers_title_fts) VALUES ('optimize');");
  const optimizeSeconds = (performance.now() - t) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const out: IndexBuild = {
    papers,
    ftsRebuildSeconds,
    optimizeSeconds,
    ...(importSeconds ? { importPapersPerSecond: papers / importSeconds } : {}),
    measuredAt: new Date().toISOString(),
  };
  writeFileSync(side, JSON.stringify(out, null, 2));
  return out;
}

async function benchSize(n: number, real: RealPaper[], queries: BenchQuery[]) {
  const info = await ensureBenchDb(n, { cacheDir: CACHE, real: async () => real, log });
  // Opening applies pending migrations (e.g. the search migration on an older cached file).
  let t = performance.now();
  const before = new Database(info.path, { readonly: true });
  const hadSearchMigration = !!before.prepare("SELECT 1 FROM sqlite_master WHERE name = 'papers_title_fts'").get();
  before.close();
  const opened = new SqliteStore(info.path);
  const native = opened.search.native;
  await opened.close();
  const migrateSeconds = (performance.now() - t) / 1000;
  if (!hadSearchMigration) log(`  applied the search migration (full rebuild of both indexes) in ${migrateSeconds.toFixed(1)} s`);
  const build = indexBuild(info.path, n, info.buildSeconds, hadSearchMigration ? undefined : migrateSeconds);

  const store = new SqliteStore(info.path);
  store.db.pragma('cache_size = -262144');
  const raw = new Database(info.path, { readonly: true });
  raw.pragma('cache_size = -262144');
  const rawAnd = raw.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts) LIMIT 20');

  // Warm-up: page cache and the document-frequency cache, as in a running server.
  for (const q of queries) await searchPapers({ store }, q.text, q.opts);

  const ours: number[] = [];
  const storeOnly: number[] = [];
  const rawTimes: number[] = [];
  const rawOrTimes: number[] = [];
  const byKind = new Map<string, number[]>();
  let bounded = 0;
  for (const q of queries) {
    t = performance.now();
    const r = await searchPapers({ store }, q.text, q.opts);
    const ms = performance.now() - t;
    ours.push(ms);
    if (r.query.bounded) bounded++;
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
    t = performance.now();
    await store.search.searchKeyword({ query: parseQuery(q.text).query, sort: q.opts.sort ?? parseQuery(q.text).query.sort ?? 'relevance', limit: 20, offset: 0 });
    storeOnly.push(performance.now() - t);
    const and = rawMatch(q.text, 'AND');
    if (and) {
      t = performance.now();
      rawAnd.all(and);
      rawTimes.push(performance.now() - t);
      const or = rawMatch(q.text, 'OR')!;
      t = performance.now();
      rawAnd.all(or);
      rawOrTimes.push(performance.now() - t);
    }
  }
  raw.close();
  await store.close();
  return {
    papers: n,
    real: info.real,
    synthetic: info.synthetic,
    build,
    migrateSeconds,
    native: native.loaded,
    queries: queries.length,
    bounded,
    ours: { p50: pct(ours, 50), p99: pct(ours, 99), max: Math.max(...ours) },
    storeOnly: { p50: pct(storeOnly, 50), p99: pct(storeOnly, 99) },
    rawAnd: { p50: pct(rawTimes, 50), p99: pct(rawTimes, 99), n: rawTimes.length },
    rawOr: { p50: pct(rawOrTimes, 50), p99: pct(rawOrTimes, 99) },
    byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, { n: v.length, p50: pct(v, 50), p99: pct(v, 99) }])),
  };
}

async function main() {
  if (!existsSync(DAILY)) {
    log(`skipped: ${DAILY} not found (../shared is absent): the synthetic text model needs the real abstracts`);
    return;
  }
  log(`reading ${DAILY} …`);
  const real = await readArxivDaily(DAILY);
  const queries = queryMix(real, N_QUERIES);
  const results = [];
  for (const n of SIZES) {
    log(`\n== ${n.toLocaleString('en')} papers ==`);
    const r = await benchSize(n, real, queries);
    results.push(r);
    const f = (x: number) => x.toFixed(1).padStart(7);
    log(`corpus: ${r.real.toLocaleString('en')} real arXiv-daily papers + ${r.synthetic.toLocaleString('en')} synthetic (bigram text from the real ones)`);
    if (!r.native) log('NOTE: native ranking functions not loaded: FTS5 bm25 fallback measured');
    if (r.build.importPapersPerSecond) log(`database build (bulk inserts, indexes kept by triggers): ${Math.round(r.build.importPapersPerSecond).toLocaleString('en')} papers/s`);
    log(`index build: full rebuild of the search indexes ${r.build.ftsRebuildSeconds.toFixed(1)} s (${Math.round(n / r.build.ftsRebuildSeconds).toLocaleString('en')} papers/s) + merge ${r.build.optimizeSeconds.toFixed(1)} s`);
    log(`search (${r.queries} queries, after a warm-up pass; ms):      p50 ${f(r.ours.p50)}   p99 ${f(r.ours.p99)}   max ${f(r.ours.max)}   (${r.bounded} bounded)`);
    log(`  store.searchKeyword only:                       p50 ${f(r.storeOnly.p50)}   p99 ${f(r.storeOnly.p99)}`);
    log(`  raw FTS5 MATCH words ORDER BY bm25 LIMIT 20:    p50 ${f(r.rawAnd.p50)}   p99 ${f(r.rawAnd.p99)}   ratio ours/raw p50 ${(r.ours.p50 / r.rawAnd.p50).toFixed(2)}  p99 ${(r.ours.p99 / r.rawAnd.p99).toFixed(2)}`);
    log(`  raw FTS5, words ORed (the naive baseline):      p50 ${f(r.rawOr.p50)}   p99 ${f(r.rawOr.p99)}   ratio ours/raw p50 ${(r.ours.p50 / r.rawOr.p50).toFixed(2)}  p99 ${(r.ours.p99 / r.rawOr.p99).toFixed(2)}`);
    for (const [k, v] of Object.entries(r.byKind)) log(`    ${k.padEnd(18)} n=${String(v.n).padStart(3)}  p50 ${f(v.p50)}  p99 ${f(v.p99)}`);
  }
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
