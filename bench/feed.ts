/**
 * Feed build time and model training time over real arrivals.
 *
 *   npx tsx bench/feed.ts [--corpus ../shared/data/arxiv-daily/papers.jsonl.gz] [--db /tmp/x.db] [--runs 5]
 *
 * Imports the corpus into a SQLite database (kept with --db, reused when it
 * already holds papers), creates a profile from the seed publication list
 * (../shared/seeds/000_…) and times, over repeated runs (median and max):
 * training the profile's model, and building its feed over the last day and
 * the last week of arrivals. A database of 1M papers is used when --db points
 * at one (e.g. built by the scale benchmarks); none is synthesised here.
 * Figures are provisional on a shared 2-core machine.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProfileDeps } from '../src/profile/deps.ts';
import { buildFeed } from '../src/profile/feed.ts';
import { importForProfile } from '../src/profile/import.ts';
import { trainProfile } from '../src/profile/model.ts';
import { createProfile } from '../src/profile/profiles.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const corpus = arg('corpus', '../shared/data/arxiv-daily/papers.jsonl.gz')!;
const dbPath = arg('db', join(mkdtempSync(join(tmpdir(), 'radar-bench-feed-')), 'radar.db'))!;
const runs = Number(arg('runs', '5'));
const seed = '../shared/seeds/000_ce7cc7f2da94cefb.txt';

const store = new SqliteStore(dbPath);
let papers = (await store.papers.stats()).papers;
if (papers === 0) {
  if (!existsSync(corpus)) throw new Error(`${corpus} not found`);
  const t = performance.now();
  await importForProfile(store, [{ path: corpus }], new Date());
  papers = (await store.papers.stats()).papers;
  console.error(`imported ${papers} papers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const stats = await store.papers.stats();
const lastDay = stats.lastDay!;
const now = new Date(`${lastDay}T12:00:00Z`);
if (!(await store.profiles.getProfile('bench'))) await createProfile({ store, now, importFiles: importForProfile }, 'bench', { files: [seed] });

let t0 = performance.now();
const deps = await openProfileDeps(store);
const depsMs = performance.now() - t0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn: () => Promise<unknown>) => {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return { median: median(xs), max: Math.max(...xs) };
};
const profile = (await store.profiles.getProfile('bench'))!;
const train = await time(() => trainProfile(deps, profile, now));
const dayFeed = await buildFeed(deps, 'bench', { from: lastDay, to: lastDay, now, limit: 20 });
const day = await time(() => buildFeed(deps, 'bench', { from: lastDay, to: lastDay, now, limit: 20 }));
const weekFrom = new Date(now.getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
const weekFeed = await buildFeed(deps, 'bench', { from: weekFrom, to: lastDay, now, limit: 20 });
const week = await time(() => buildFeed(deps, 'bench', { from: weekFrom, to: lastDay, now, limit: 20 }));

const f = (x: { median: number; max: number }) => `median ${x.median.toFixed(0)} ms, max ${x.max.toFixed(0)} ms`;
console.log(`feed benchmark: ${papers} papers in ${dbPath}; profile from the seed publication list (3 papers); ${runs} runs each`);
console.log(`  representations ready (openProfileDeps)  ${depsMs.toFixed(0)} ms (once per process)`);
console.log(`  model training (2000 background + profile)  ${f(train)}`);
console.log(`  feed, 1 day  (${dayFeed.stats.candidates} arrivals → ${dayFeed.items.length} items, ${dayFeed.stats.belowCutoff} below cut-off)  ${f(day)}`);
console.log(`  feed, 7 days (${weekFeed.stats.candidates} arrivals → ${weekFeed.items.length} items, ${weekFeed.stats.belowCutoff} below cut-off)  ${f(week)}`);
await store.close();
