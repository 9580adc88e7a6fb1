/**
 * Long feed windows: how long a profile's feed over the last 7, 30, 90 and 365
 * days takes, with the window rule every surface shares (src/profile/window.ts:
 * counted back from the newest listing day), where the time goes, and whether
 * the counts add up.
 *
 *   npx tsx bench/feed-windows.ts --db /tmp/radar-74k.db [--corpus ../shared/data/arxiv-daily/papers.jsonl.gz]
 *       [--baseline /path/to/older/checkout] [--spans 7,30,90,365]
 *
 * Per window, as the web page asks for it (its 150 best, diversified):
 * - cold: nothing fitted or scored in this process yet (a fresh model cache),
 *   the strictest "first load";
 * - after 7d: first load of this window after the 7-day feed (the page's
 *   default), so the profile's model is fitted and the last week scored;
 * - again: the same window rebuilt (what a feed-cache miss costs).
 * The cold run's stages are printed with wall and CPU time (CPU time is the
 * steadier figure on a shared machine). `--baseline DIR` also times the
 * buildFeed of another copy of the sources (DIR/src, with node_modules
 * reachable from DIR, e.g. `git archive <commit> src | tar -x -C DIR`) cold in
 * the same run, over the same open indexes, and prints the ratio and whether
 * both list the same papers in the same order.
 *
 * Imports the corpus when the database is empty, creates the profile `bench`
 * from the seed publication list. Targets (issue: daily loop): on 75k papers
 * 90 days under 1 s and a year under 2 s on first load. Figures are from a
 * shared 2-core machine.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openProfileDeps } from '../src/profile/deps.ts';
import { buildFeed, type Feed } from '../src/profile/feed.ts';
import { importForProfile } from '../src/profile/import.ts';
import { TrainedCache } from '../src/profile/model-cache.ts';
import type { ProfileDeps } from '../src/profile/model.ts';
import { createProfile } from '../src/profile/profiles.ts';
import { listingWindow } from '../src/profile/window.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const corpus = arg('corpus', '../shared/data/arxiv-daily/papers.jsonl.gz')!;
const dbPath = arg('db', join(mkdtempSync(join(tmpdir(), 'radar-bench-windows-')), 'radar.db'))!;
const baselineDir = arg('baseline');
const spans = arg('spans', '7,30,90,365')!.split(',').map(Number);
const seed = '../shared/seeds/000_ce7cc7f2da94cefb.txt';

const store = new SqliteStore(dbPath);
if ((await store.papers.stats()).papers === 0) {
  if (!existsSync(corpus)) throw new Error(`${corpus} not found`);
  await importForProfile(store, [{ path: corpus }], new Date());
}
const stats = await store.papers.stats();
const now = new Date(`${stats.lastDay}T12:00:00Z`);
if (!(await store.profiles.getProfile('bench'))) await createProfile({ store, now, importFiles: importForProfile }, 'bench', { files: [seed] });

type Build = (deps: ProfileDeps, name: string, opts: Parameters<typeof buildFeed>[2]) => Promise<Feed>;
const baseline: Build | undefined = baselineDir
  ? ((await import(pathToFileURL(resolve(baselineDir, 'src/profile/feed.ts')).href)) as { buildFeed: Build }).buildFeed
  : undefined;

let t = performance.now();
const shared = await openProfileDeps(store);
console.log(`feed windows: ${stats.papers} papers in ${dbPath}; newest listing day ${stats.lastDay}; load average ${(await loadAverage()) ?? '?'}`);
console.log(`  representations ready (openProfileDeps, once per process)  ${(performance.now() - t).toFixed(0)} ms`);

/** Deps over the process's open indexes with an empty model cache: nothing fitted or scored yet. */
const fresh = (): ProfileDeps => ({ ...shared, models: new TrainedCache() });

async function timed(build: Build, deps: ProfileDeps, w: { from: string; to: string }, trace?: (stage: string, ms: number, cpuMs: number) => void) {
  const t0 = performance.now();
  const feed = await build(deps, 'bench', { from: w.from, to: w.to, now, limit: 150, trace });
  return { feed, ms: performance.now() - t0 };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
for (const span of spans) {
  const w = await listingWindow(store.papers, span, now);
  const stages: string[] = [];
  const cold = await timed(buildFeed, fresh(), w, (stage, wall, cpu) => stages.push(`${stage} ${wall.toFixed(0)}/${cpu.toFixed(0)}`));
  const warm = fresh();
  await buildFeed(warm, 'bench', { from: (await listingWindow(store.papers, 7, now)).from, to: w.to, now, limit: 150 });
  const after7 = await timed(buildFeed, warm, w);
  const again = await timed(buildFeed, warm, w);
  const s = cold.feed.stats;
  const sum = s.hidden + s.excludedByRules + s.belowCutoff + s.unrepresented + s.aboveCutoff;
  const same = [after7, again].every((r) => JSON.stringify(r.feed.items) === JSON.stringify(cold.feed.items));
  console.log(
    `  ${String(span).padStart(3)} days ${w.from}…${w.to}: cold ${ms(cold.ms)}, after 7d ${ms(after7.ms)}, again ${ms(again.ms)}${same ? '' : ' (ITEMS DIFFER between runs)'}; ` +
      `${s.candidates} papers: ${s.aboveCutoff} above the cut-off (${cold.feed.items.length} listed, ${s.cut} cut), ${s.belowCutoff} below, ${s.hidden} hidden, ` +
      `${s.excludedByRules} excluded, ${s.unrepresented} unindexed — ${sum === s.candidates && s.cut === s.aboveCutoff - cold.feed.items.length ? 'adds up' : `DOES NOT ADD UP (${sum})`}`,
  );
  console.log(`      cold, by stage (wall/CPU ms): ${stages.join(' · ')}`);
  if (baseline) {
    const base = await timed(baseline, fresh(), w);
    const sameTop = JSON.stringify(base.feed.items.map((i) => i.id)) === JSON.stringify(cold.feed.items.map((i) => i.id));
    console.log(`      baseline (${baselineDir}) cold ${ms(base.ms)}: ${(base.ms / cold.ms).toFixed(1)}× the time of this one; same ${cold.feed.items.length} items in the same order: ${sameTop ? 'yes' : 'NO'}`);
  }
}
await store.close();

async function loadAverage(): Promise<string | undefined> {
  const os = await import('node:os');
  return os.loadavg().map((x) => x.toFixed(1)).join(' ');
}
