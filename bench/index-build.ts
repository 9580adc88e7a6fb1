/**
 * Times the index maintenance (the after-import refresh: sparse term counts,
 * the built-in LSA fit and embedding, the HNSW snapshot, topics, block maxima)
 * on an existing database, phase by phase: wall and CPU seconds per stage and
 * per sub-phase message, the load average, and the process's peak RSS.
 *
 *   npx tsx bench/index-build.ts DB [--no-topics] [--force-refit]
 *
 * DB is written to (it gains the indexes): give it a copy, never a shared one.
 * On a database whose indexes are already built it times the incremental path.
 */
import { loadavg } from 'node:os';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { refreshIndexes } from '../src/vectors/refresh.ts';
import { flag } from './lib/args.ts';

const path = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!path) {
  console.error('usage: npx tsx bench/index-build.ts DB [--no-topics] [--force-refit]');
  process.exit(2);
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const started = performance.now();
const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)} +${((performance.now() - started) / 1000).toFixed(0)}s] ${s}\n`);

const store = new SqliteStore(path);
const phases: { phase: string; wall: number; cpu: number }[] = [];
let phase = '';
let phaseWall = performance.now();
let phaseCpu = cpu();
const enter = (name: string) => {
  const w = performance.now();
  const c = cpu();
  if (phase) {
    phases.push({ phase, wall: (w - phaseWall) / 1000, cpu: c - phaseCpu });
    log(`  ${phase}: ${((w - phaseWall) / 1000).toFixed(1)} s wall, ${(c - phaseCpu).toFixed(1)} s CPU, rss ${rssMB()} MB`);
  }
  phase = name;
  phaseWall = w;
  phaseCpu = c;
};

let stage = '';
let last = 0;
const t0 = performance.now();
const c0 = cpu();
const report = await refreshIndexes(store, {
  forceRefit: flag('force-refit'),
  topics: flag('no-topics') ? false : undefined,
  progress: (p) => {
    if (p.stage !== stage) {
      stage = p.stage;
      enter(p.stage);
    }
    // Messages that start a sub-phase (fit passes, graph build, topics) get their own line in the table;
    // counting messages (`n/total` with a total of hundreds or more) are progress, logged at most every 30 s like the counts.
    const counting = !!p.message && /\d+\/\d{3,}/.test(p.message);
    if (p.message && !counting) {
      enter(`${p.stage}: ${p.message.replace(/\d[\d,.]*/g, 'N').slice(0, 60)}`);
      log(`${p.stage}: ${p.message} (load ${load()}, rss ${rssMB()} MB)`);
      last = Date.now();
    } else if (Date.now() - last > 30_000) {
      last = Date.now();
      log(`${p.message ?? `${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`} (load ${load()}, rss ${rssMB()} MB)`);
    }
  },
});
enter('');
await store.close();
const out = {
  db: path,
  seconds: (performance.now() - t0) / 1000,
  cpuSeconds: cpu() - c0,
  phases,
  report: { sparse: report.sparse, dense: report.dense, snapshot: report.snapshot },
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  loadAtEnd: load(),
};
log(`done in ${out.seconds.toFixed(1)} s wall, ${out.cpuSeconds.toFixed(1)} s CPU, peak RSS ${out.peakRssMB} MB`);
console.log(JSON.stringify(out));
