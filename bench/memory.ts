/**
 * Where a querying process's memory goes: process.memoryUsage() (after a
 * full GC) once the store is open and after loading each index in the order
 * a server does (sparse TF-IDF table, the built-in dense model, the vector
 * index: exact or HNSW), then after running searches, similar-paper calls
 * and a feed, with each step's growth and a linear projection to --project
 * papers.
 *
 *   node --expose-gc --import tsx bench/memory.ts DB [--project 1000000] [--queries 50]
 *
 * Read-only on DB apart from the profile the feed step creates; run it on a copy.
 */
import { openStore } from '../src/store/open.ts';
import { searchDepsFor } from '../src/rank/search-deps.ts';
import { searchPapers } from '../src/rank/search.ts';
import { similarPapers } from '../src/rank/similar.ts';
import { openIndex } from '../src/vectors/ann-store.ts';
import { loadBuiltin, readDenseState } from '../src/vectors/refresh.ts';
import { openRetrieval } from '../src/vectors/retrieval.ts';
import { SparseIndex } from '../src/vectors/sparse-index.ts';
import { opt } from './lib/args.ts';

const db = process.argv[2];
if (!db) {
  console.error('usage: node --expose-gc --import tsx bench/memory.ts DB [--project N] [--queries N]');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.error('note: run with node --expose-gc for settled figures');

interface Mem {
  step: string;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
const MB = (n: number) => Math.round(n / 1e6);
const rows: Mem[] = [];
function measure(step: string): void {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  rows.push({ step, rss: MB(m.rss), heapUsed: MB(m.heapUsed), external: MB(m.external), arrayBuffers: MB(m.arrayBuffers) });
}

measure('node + modules');
const store = await openStore(db);
const papers = (await store.papers.stats()).papers;
measure('store open (SQLite page cache empty)');

// The same loads openRetrieval does, one at a time, so each one's share shows.
const sparse = await SparseIndex.load(store.models);
measure('sparse TF-IDF table (SparseIndex.load)');
const state = await readDenseState(store);
const keep: unknown[] = [sparse];
if (state && sparse) {
  keep.push(await loadBuiltin(store, state, sparse));
  measure(`dense model (${state.model ? 'built-in LSA' : 'external'}, ${state.dims} dims)`);
  const opened = await openIndex(store, state.vectors, state.dims, state.seq, {});
  keep.push(opened);
  measure(`vector index (${opened.index.constructor.name}, ${opened.index.size ?? '?'} vectors)`);
}
keep.length = 0;
measure('the above released');

const r = await openRetrieval(store);
measure('openRetrieval (what a server holds)');
const deps = await searchDepsFor(store, r);
const sample = await store.papers.getPapersByPk(await store.profiles.samplePaperPks(Number(opt('queries', '50')), 7));
for (const p of sample) await searchPapers(deps, p.title.split(/\s+/).slice(0, 3).join(' '), { limit: 20, suggest: false });
measure(`after ${sample.length} searches`);
for (const p of sample) await similarPapers(store, r, p.id, { limit: 10 });
measure(`after ${sample.length} similar-paper calls`);
await store.close();

const project = Number(opt('project', '1000000'));
const scale = project / papers;
console.log(`memory of a querying process over ${papers.toLocaleString('en')} papers (MB; after GC), growth per step, and ×${scale.toFixed(1)} projected to ${project.toLocaleString('en')} papers`);
console.log(`${'step'.padEnd(52)} ${'rss'.padStart(6)} ${'heap'.padStart(6)} ${'ext'.padStart(6)} ${'arrbuf'.padStart(6)} | ${'Δrss'.padStart(6)} ${'Δheap'.padStart(6)} ${'Δext'.padStart(6)} | ${'Δrss@N'.padStart(7)}`);
rows.forEach((m, i) => {
  const p = rows[i - 1] ?? m;
  const d = (k: keyof Omit<Mem, 'step'>) => String(m[k] - p[k]).padStart(6);
  console.log(
    `${m.step.padEnd(52)} ${String(m.rss).padStart(6)} ${String(m.heapUsed).padStart(6)} ${String(m.external).padStart(6)} ${String(m.arrayBuffers).padStart(6)} | ${d('rss')} ${d('heapUsed')} ${d('external')} | ${String(Math.round((m.rss - p.rss) * scale)).padStart(7)}`,
  );
});
console.log(`peak RSS ${MB(process.resourceUsage().maxRSS * 1024)} MB`);
