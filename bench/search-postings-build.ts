/**
 * Builds the search postings and block maxima (src/store/sqlite/search-postings.ts)
 * into a database copy, and prints what it took: time, CPU, lists, postings,
 * bytes stored, and the database file's growth.
 *
 *   npx tsx bench/search-postings-build.ts DB_COPY [--min-df N]
 */
import { statSync } from 'node:fs';
import type { SqliteSearch } from '../src/store/sqlite/search.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { opt } from './lib/args.ts';

const path = process.argv[2];
if (!path || path.startsWith('--')) {
  console.error('usage: bench/search-postings-build.ts DB_COPY [--min-df N]');
  process.exit(2);
}
const minDf = opt('min-df') ? Number(opt('min-df')) : undefined;
const log = (s: string) => process.stderr.write(`${s}\n`);
const store = new SqliteStore(path);
const search = store.search as SqliteSearch;
const sizeBefore = statSync(path).size;
const t = performance.now();
const c = process.cpuUsage();
let last = 0;
const r = await search.refreshRankIndex({
  force: true,
  minDf,
  progress: (done, total) => {
    if (performance.now() - last < 30_000) return;
    last = performance.now();
    log(`${done}/${total} words, ${((performance.now() - t) / 1000).toFixed(0)} s`);
  },
});
const u = process.cpuUsage(c);
const meta = JSON.parse((store.db.prepare("SELECT value FROM kv_state WHERE key = 'search_postings'").get() as { value: string }).value);
const lens = store.db.prepare('SELECT coalesce(sum(length(data)), 0) AS b FROM search_doclens').get() as { b: number };
store.db.pragma('wal_checkpoint(TRUNCATE)');
await store.close();
console.log(
  JSON.stringify({
    rebuilt: r.rebuilt,
    seconds: Math.round((performance.now() - t) / 100) / 10,
    cpuSeconds: Math.round((u.user + u.system) / 1e5) / 10,
    ...meta,
    postingsMB: Math.round(meta.bytes / 1e5) / 10,
    lengthsMB: Math.round(lens.b / 1e5) / 10,
    fileGrowthMB: Math.round((statSync(path).size - sizeBefore) / 1e5) / 10,
  }),
);
