/**
 * Long feed windows: how long a profile's feed over the last 7, 30, 90 and 365
 * days takes on first load (the first build of that window in the process,
 * as the web page's "90 days" or "A year" asks for it) and again, with the
 * window rule every surface shares (src/profile/window.ts: counted back from
 * the newest listing day). Also checks that the counts add up.
 *
 *   npx tsx bench/feed-windows.ts --db /tmp/radar-74k.db [--corpus ../shared/data/arxiv-daily/papers.jsonl.gz]
 *
 * Imports the corpus when the database is empty, creates the profile `bench`
 * from the seed publication list. Targets (issue: daily loop): on 75k papers
 * 90 days under 1 s and a year under 2 s on first load. Figures are from a
 * shared 2-core machine.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProfileDeps } from '../src/profile/deps.ts';
import { buildFeed } from '../src/profile/feed.ts';
import { importForProfile } from '../src/profile/import.ts';
import { createProfile } from '../src/profile/profiles.ts';
import { listingWindow } from '../src/profile/window.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const corpus = arg('corpus', '../shared/data/arxiv-daily/papers.jsonl.gz')!;
const dbPath = arg('db', join(mkdtempSync(join(tmpdir(), 'radar-bench-windows-')), 'radar.db'))!;
const seed = '../shared/seeds/000_ce7cc7f2da94cefb.txt';

const store = new SqliteStore(dbPath);
if ((await store.papers.stats()).papers === 0) {
  if (!existsSync(corpus)) throw new Error(`${corpus} not found`);
  await importForProfile(store, [{ path: corpus }], new Date());
}
const stats = await store.papers.stats();
const now = new Date(`${stats.lastDay}T12:00:00Z`);
if (!(await store.profiles.getProfile('bench'))) await createProfile({ store, now, importFiles: importForProfile }, 'bench', { files: [seed] });

let t = performance.now();
const deps = await openProfileDeps(store);
console.log(`feed windows: ${stats.papers} papers in ${dbPath}; newest listing day ${stats.lastDay}`);
console.log(`  representations ready (openProfileDeps, once per process)  ${(performance.now() - t).toFixed(0)} ms`);
for (const span of [7, 30, 90, 365]) {
  const w = await listingWindow(store.papers, span, now);
  const times: number[] = [];
  let feed;
  for (let run = 0; run < 2; run++) {
    t = performance.now();
    // As the web page asks: its 150 best, diversified.
    feed = await buildFeed(deps, 'bench', { from: w.from, to: w.to, now, limit: 150 });
    times.push(performance.now() - t);
  }
  const s = feed!.stats;
  const sum = s.hidden + s.excludedByRules + s.belowCutoff + s.unrepresented + s.aboveCutoff;
  console.log(
    `  ${String(span).padStart(3)} days ${w.from}…${w.to}: first load ${times[0].toFixed(0)} ms, again ${times[1].toFixed(0)} ms; ` +
      `${s.candidates} papers: ${s.aboveCutoff} above the cut-off (${feed!.items.length} listed, ${s.cut} cut), ${s.belowCutoff} below, ${s.hidden} hidden, ` +
      `${s.excludedByRules} excluded, ${s.unrepresented} unindexed — ${sum === s.candidates ? 'adds up' : `DOES NOT ADD UP (${sum})`}`,
  );
}
await store.close();
