/**
 * Start-up and keyword-search time of the `radar` command as a person runs it
 * (a new process per call), beside a bare `node -e 0` on the same machine.
 *
 *   npx tsx bench/cli.ts [--runs 7] [--cache DIR] [--db PATH] [--query "neural collapse"] [--json]
 *
 * Runs bin/radar.js as installed: from dist/ when the build is current (run
 * `npm run build` first after editing src/, else the figures are tsx's). The
 * search runs on the 74,728 real arXiv-daily papers (../shared/data/arxiv-daily),
 * imported once into a database under the cache dir (default: the OS temp dir,
 * shared with bench/search.ts) and reused; that database has no sparse/dense
 * indexes. `--db` measures on another database instead, e.g. one whose
 * indexes are built, where `radar search --mode hybrid` opens them (the
 * default, keyword search, never does). Reports the median and best wall
 * time of each command and its ratio to `node -e 0`, plus the peak RSS of the
 * search (targets: --version within 4x node, search under 0.5 s).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { flag, opt } from './lib/args.ts';
import { readArxivDaily } from './lib/search-corpus.ts';
import { ensureBenchDb } from './lib/search-db.ts';

const RUNS = Number(opt('runs', '7'));
const CACHE = resolve(opt('cache') ?? join(tmpdir(), 'radar-search-bench'));
const QUERY = opt('query', 'neural collapse');
const JSON_OUT = flag('json');
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'radar.js');
const DAILY = resolve(ROOT, '..', 'shared', 'data', 'arxiv-daily', 'papers.jsonl.gz');
const N_DAILY = 74_728;

const log = (s: string) => process.stderr.write(`${s}\n`);

interface Timing {
  name: string;
  medianS: number;
  bestS: number;
  peakRssMb?: number;
}

/** Wall time of one process (ms), and its peak RSS (MB) read through /usr/bin/time when present. */
function once(args: string[]): { ms: number; rssMb?: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', cwd: tmpdir() });
  const ms = performance.now() - t0;
  if (r.error) {
    const t1 = performance.now();
    const plain = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: tmpdir() });
    if (plain.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${plain.stderr}`);
    return { ms: performance.now() - t1 };
  }
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { ms, rssMb: Number.isFinite(kb) ? kb / 1024 : undefined };
}

function measure(name: string, args: string[]): Timing {
  once(args); // warm the file cache
  const runs = Array.from({ length: RUNS }, () => once(args));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
  return { name, medianS: ms[Math.floor(ms.length / 2)] / 1000, bestS: ms[0] / 1000, peakRssMb: rss.length ? Math.max(...rss) : undefined };
}

function usesBuild(): boolean {
  try {
    return statSync(join(ROOT, 'dist', 'cli', 'main.js')).isFile() && process.env.RADAR_FROM_SOURCE !== '1';
  } catch {
    return false;
  }
}

const GIVEN_DB = opt('db');
const db = GIVEN_DB ? { path: resolve(GIVEN_DB), papers: NaN, real: N_DAILY, buildSeconds: undefined } : await ensureBenchDb(N_DAILY, { cacheDir: CACHE, real: () => readArxivDaily(DAILY), log });
if (db.real < N_DAILY) log(`note: only ${db.real} real papers found at ${DAILY}`);
log(`database ${db.path}${GIVEN_DB ? '' : ` (${db.papers.toLocaleString('en')} papers)`}${db.buildSeconds ? `, built in ${db.buildSeconds.toFixed(1)} s` : ''}`);
if (!usesBuild()) log('note: no dist/cli build: bin/radar.js runs the sources through tsx (run `npm run build`)');

const rows = [
  measure('node -e 0', ['-e', '0']),
  measure('radar --version', [BIN, '--version']),
  measure('radar stats', [BIN, 'stats', '--db', db.path]),
  measure(`radar search "${QUERY}"`, [BIN, 'search', QUERY, '--db', db.path, '--json']),
  // Hybrid opens the sparse and dense indexes: only a database whose indexes are built (--db) makes it differ.
  measure(`radar search "${QUERY}" --mode hybrid`, [BIN, 'search', QUERY, '--mode', 'hybrid', '--db', db.path, '--json']),
];
const base = rows[0].medianS;
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ papers: db.papers, runs: RUNS, rows: rows.map((r) => ({ ...r, ratio: r.medianS / base })) }, null, 2)}\n`);
} else {
  log(`\n${RUNS} runs each, wall time per process (median / best), ratio of medians to node -e 0`);
  for (const r of rows) {
    log(`  ${r.name.padEnd(46)} ${r.medianS.toFixed(3)} s / ${r.bestS.toFixed(3)} s   ×${(r.medianS / base).toFixed(1)}${r.peakRssMb ? `   peak RSS ${r.peakRssMb.toFixed(0)} MB` : ''}`);
  }
}
