/**
 * One import, in its own process so its peak RSS is its own: imports FILE
 * into a fresh SQLite database DB and prints one JSON line of figures.
 * Started by bench/import.ts; usable alone: npx tsx bench/import-run.ts FILE DB [BATCH]
 */
import { importInputs } from '../src/ingest/import.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';

const [file, db, batch] = process.argv.slice(2);
if (!file || !db) {
  console.error('usage: npx tsx bench/import-run.ts FILE DB [BATCH]');
  process.exit(2);
}
const store = new SqliteStore(db);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lastLine = t0;
const report = await importInputs(store, [{ path: file }], {
  now: () => new Date(),
  batchSize: batch ? Number(batch) : undefined,
  onProgress: (p) => {
    const now = performance.now();
    if (now - lastLine < 15_000) return;
    lastLine = now;
    const pct = p.totalBytes ? ` ${Math.floor((100 * p.bytesRead) / p.totalBytes)}%` : '';
    process.stderr.write(`  …${pct} ${p.records.toLocaleString('en')} records, ${Math.round(p.records / ((now - t0) / 1000))}/s, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`);
  },
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await store.close();
const f = report.files[0];
console.log(
  JSON.stringify({
    file,
    format: f.format,
    records: f.records,
    counts: f.counts,
    rejected: f.rejectedTotal,
    unreadable: f.unreadable,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
