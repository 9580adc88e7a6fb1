/**
 * Import throughput and memory: papers/second and peak RSS for
 *   1. ../shared/data/arxiv-daily/papers.jsonl.gz (74,728 real papers), and
 *   2. generated Kaggle-format snapshots of 250,000 and 1,000,000 lines
 *      (synthetic text from a bigram model of real abstracts, see
 *      bench/synthetic-snapshot.ts), to show peak RSS does not grow with size.
 * Each import runs in its own process into a fresh SQLite file in a temp dir
 * (removed afterwards unless --keep).
 *
 *   npx tsx bench/import.ts [--sizes 250000,1000000] [--no-daily] [--batch 1000] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { learnModel, writeSnapshot } from './synthetic-snapshot.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DAILY = resolve(ROOT, '..', 'shared', 'data', 'arxiv-daily', 'papers.jsonl.gz');

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const sizes = value('--sizes', '250000,1000000').split(',').map(Number).filter((n) => n > 0);
const batch = value('--batch', '1000');

interface RunFigures {
  file: string;
  format: string;
  records: number;
  counts: { added: number; updated: number; unchanged: number; merged: number };
  rejected: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
}

function runImport(file: string, db: string): RunFigures & { dbMB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'import-run.ts'), file, db, batch], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const figures = JSON.parse(out.toString().trim().split('\n').pop()!) as RunFigures;
  const dbMB = ['', '-wal'].reduce((s, suffix) => s + (existsSync(db + suffix) ? statSync(db + suffix).size : 0), 0) / 1e6;
  return { ...figures, dbMB };
}

function line(label: string, f: RunFigures & { dbMB: number }): string {
  return [
    label.padEnd(34),
    `${f.records.toLocaleString('en').padStart(10)} papers`,
    `${f.seconds.toFixed(1).padStart(7)} s`,
    `${Math.round(f.records / f.seconds).toLocaleString('en').padStart(7)} papers/s`,
    `(${Math.round(f.records / f.cpuSeconds).toLocaleString('en')}/CPU-s)`,
    `peak RSS ${Math.round(f.peakRssMB)} MB`,
    `db ${Math.round(f.dbMB)} MB`,
  ].join('  ');
}

const dir = mkdtempSync(join(tmpdir(), 'radar-bench-import-'));
const results: string[] = [];
console.log(`bench/import: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, batch ${batch}`);
console.log(`temp dir ${dir}`);
try {
  if (!existsSync(DAILY)) {
    console.log(`skipped: ${DAILY} not found (../shared is absent): no real import and no text model for the synthetic snapshots`);
    process.exit(0);
  }
  if (!flag('--no-daily')) {
    console.log('\nimporting arxiv-daily (real papers) …');
    const f = runImport(DAILY, join(dir, 'daily.db'));
    results.push(line('arxiv-daily papers.jsonl.gz', f));
    console.log(results[results.length - 1]);
  }
  if (sizes.length) {
    console.log('\nlearning a bigram text model from 20,000 real arxiv-daily papers …');
    const model = await learnModel(DAILY, 20_000);
    const peaks: { size: number; rss: number }[] = [];
    for (const size of sizes) {
      const file = join(dir, `snapshot-${size}.json`);
      const t0 = performance.now();
      const bytes = await writeSnapshot(model, file, size);
      console.log(`\ngenerated ${size.toLocaleString('en')} synthetic snapshot lines (${Math.round(bytes / 1e6)} MB) in ${((performance.now() - t0) / 1000).toFixed(0)} s; importing …`);
      const f = runImport(file, join(dir, `snapshot-${size}.db`));
      rmSync(file, { force: true });
      peaks.push({ size, rss: f.peakRssMB });
      results.push(line(`synthetic Kaggle snapshot ${size / 1000}k`, f));
      console.log(results[results.length - 1]);
      if (!flag('--keep')) rmSync(join(dir, `snapshot-${size}.db`), { force: true });
    }
    if (peaks.length > 1) {
      const [a, b] = [peaks[0], peaks[peaks.length - 1]];
      console.log(
        `\npeak RSS ${Math.round(a.rss)} MB at ${a.size.toLocaleString('en')} lines vs ${Math.round(b.rss)} MB at ${b.size.toLocaleString('en')} lines ` +
          `(${(b.size / a.size).toFixed(1)}× the input, ${(b.rss / a.rss).toFixed(2)}× the memory)`,
      );
    }
  }
  console.log('\nsummary (synthetic text is generated from statistics of real abstracts, not real papers):');
  for (const r of results) console.log(`  ${r}`);
  console.log('  target: ≥ 5,000 papers/s into SQLite; papers/s is wall clock, /CPU-s is per second of this process\'s CPU time');
} finally {
  if (!flag('--keep')) rmSync(dir, { recursive: true, force: true });
}
