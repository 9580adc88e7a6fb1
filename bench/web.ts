/**
 * Web server time on the real corpus: the 74,728 arXiv-daily papers
 * (../shared/data/arxiv-daily) imported with `importInputs` (once; the
 * database is kept for the next run), then, through the real app
 * (`app.inject`: the whole Fastify request path without the socket):
 *   - the daily listing, paging back through real days (day, week and month views),
 *   - the paper page of random papers,
 *   - the search page (when search is available),
 *   - a profile's feed page and "for me" listing.
 * Prints p50/p90/p99/max per page type. Target: every page < 300 ms.
 *
 *   npx tsx bench/web.ts [--db tmp/bench-web.db] [--days 60] [--papers 200]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importInputs } from '../src/ingest/import.ts';
import { buildServer } from '../src/cli/http-app.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { refreshIndexesHook } from '../src/vectors/hook.ts';
import { refreshIndexes } from '../src/vectors/refresh.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'tmp/bench-web.db' },
    days: { type: 'string', default: '60' },
    papers: { type: 'string', default: '200' },
    queries: { type: 'string', default: '100' },
  },
});
const DATA = resolve('../shared/data/arxiv-daily/papers.jsonl.gz');
const dbPath = resolve(args.db!);

function stats(name: string, ms: number[]): void {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const f = (x: number) => x.toFixed(1).padStart(7);
  console.log(`${name.padEnd(28)} n=${String(s.length).padStart(4)}  p50 ${f(q(0.5))} ms  p90 ${f(q(0.9))} ms  p99 ${f(q(0.99))} ms  max ${f(s[s.length - 1])} ms`);
}

async function main() {
  mkdirSync(dirname(dbPath), { recursive: true });
  const fresh = !existsSync(dbPath);
  const store = new SqliteStore(dbPath);
  if (fresh || (await store.papers.stats()).papers < 70_000) {
    if (!existsSync(DATA)) throw new Error(`${DATA} not found: the benchmark needs ../shared/data/arxiv-daily`);
    const t = performance.now();
    let last = 0;
    const r = await importInputs(store, [{ path: DATA }], {
      now: () => new Date(),
      afterImport: [refreshIndexesHook()],
      onProgress: (p) => {
        if (p.records - last >= 10_000) {
          last = p.records;
          process.stderr.write(`  importing: ${p.records} records\n`);
        }
      },
    });
    console.log(`imported ${r.totals.records} records (${r.totals.added} added) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  {
    // Index maintenance (incremental: a no-op when the indexes are current). Imports run it too; a database
    // imported before it existed needs it once.
    const t = performance.now();
    await refreshIndexes(store, { progress: (p) => process.stderr.write(`  indexes: ${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}\r`) });
    console.log(`index maintenance: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const st = await store.papers.stats();
  console.log(`database: ${dbPath}: ${st.papers} papers, days ${st.firstDay} … ${st.lastDay}`);

  const server = await buildServer({ store, log: (l) => console.error(l) });
  const app = server.app;
  const get = async (url: string) => {
    const t = performance.now();
    const r = await app.inject({ url });
    const ms = performance.now() - t;
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    return { ms, body: r.body };
  };
  // Warm-up: first requests compile templates and fill SQLite's cache.
  for (let i = 0; i < 5; i++) await get('/');

  // Daily listing: follow "previous" links back through real days.
  for (const view of ['day', 'week', 'month'] as const) {
    const times: number[] = [];
    let url = view === 'day' ? '/' : `/?view=${view}`;
    const n = view === 'day' ? Number(args.days) : view === 'week' ? 20 : 12;
    const sizes: number[] = [];
    for (let i = 0; i < n && url; i++) {
      const { ms, body } = await get(url);
      times.push(ms);
      sizes.push((body.match(/<li class="card"/g) ?? []).length);
      const prev = /<a class="btn" href="([^"]+)" rel="prev"/.exec(body)?.[1];
      url = prev ? prev.replace(/&amp;/g, '&') : '';
    }
    stats(`listing /?view=${view}`, times);
  }
  {
    const times: number[] = [];
    for (const sort of ['date', 'upvotes']) for (let i = 0; i < 10; i++) times.push((await get(`/?sort=${sort}&offset=${i * 30}`)).ms);
    stats('listing sorts + paging', times);
  }

  // Paper pages of random papers.
  const pks = await store.profiles.samplePaperPks(Number(args.papers), 42);
  const papers = await store.papers.getPapersByPk(pks);
  {
    // The first paper page opens the retrieval service (loads the indexes): report it apart.
    const first = await get(`/paper/${encodeURIComponent(papers[0].id).replace(/%3A/g, ':')}`);
    console.log(`paper page, first (opens the retrieval service): ${first.ms.toFixed(0)} ms`);
    const times: number[] = [];
    let withSimilar = 0;
    for (const p of papers) {
      const r = await get(`/paper/${encodeURIComponent(p.id).replace(/%3A/g, ':')}`);
      times.push(r.ms);
      if (/aria-labelledby="similar-h"[\s\S]*?<li class="card"/.test(r.body)) withSimilar++;
    }
    stats(`paper page (${withSimilar}/${papers.length} with similar)`, times);
    const sorted: number[] = [];
    for (const p of papers.slice(0, 50)) sorted.push((await get(`/paper/${encodeURIComponent(p.id).replace(/%3A/g, ':')}?similar=recent`)).ms);
    stats('paper page ?similar=recent', sorted);
  }
  {
    const times: number[] = [];
    for (const p of papers.slice(0, 50)) times.push((await get(`/api/papers/${encodeURIComponent(p.id)}`)).ms);
    stats('GET /api/papers/:id', times);
  }

  // Search page, when search is available (queries: word pairs from random titles).
  const probe = await app.inject({ url: '/search?q=neural' });
  if (probe.statusCode === 200) {
    const times: number[] = [];
    const words = papers.map((p) => p.title.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 4));
    for (let i = 0; i < Number(args.queries); i++) {
      const w = words[i % words.length];
      const q = w.slice(0, 2).join(' ') || 'learning';
      times.push((await get(`/search?q=${encodeURIComponent(q)}`)).ms);
    }
    stats('search page', times);
  } else {
    console.log(`search page: not measured (/search answered ${probe.statusCode})`);
  }

  // A profile's feed (the first paper pages' papers as its positives).
  const name = 'bench-web';
  if (!(await store.profiles.getProfile(name))) {
    const prof = await store.profiles.createProfile(name, {}, new Date().toISOString());
    await store.profiles.addProfilePapers(prof.profileId, papers.slice(0, 5).map((p) => ({ pk: p.pk, origin: 'manual' })), new Date().toISOString());
  }
  {
    const t = performance.now();
    await get(`/feed?profile=${name}&since=7d`);
    console.log(`feed page, first (builds features for ${st.papers} papers): ${(performance.now() - t).toFixed(0)} ms`);
    // Each window's first request fits the profile's model; repeats come from the server's feed cache.
    const miss: number[] = [];
    const hit: number[] = [];
    for (const since of ['1d', '3d', '7d', '30d']) for (let i = 0; i < 5; i++) (i === 0 ? miss : hit).push((await get(`/feed?profile=${name}&since=${since}`)).ms);
    stats('feed page, model fit', miss);
    stats('feed page, cached', hit);
    const why: number[] = [];
    for (const p of papers.slice(10, 20)) why.push((await get(`/paper/${encodeURIComponent(p.id).replace(/%3A/g, ':')}/why?profile=${name}&partial=1`)).ms);
    stats('why recommended (fragment)', why);
    const fm: number[] = [];
    let url = `/?sort=forme&profile=${name}`;
    for (let i = 0; i < 10 && url; i++) {
      const { ms, body } = await get(url);
      fm.push(ms);
      const prev = /<a class="btn" href="([^"]+)" rel="prev"/.exec(body)?.[1];
      url = prev ? prev.replace(/&amp;/g, '&') : '';
    }
    stats('listing sort=forme (day)', fm);
  }
  await server.close();
  await store.close();
}

await main();
