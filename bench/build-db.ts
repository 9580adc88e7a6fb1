/**
 * Builds a benchmark database and times it: imports FILES into a new SQLite
 * file (the importer's bulk load switches on by itself), then builds the
 * indexes (sparse, dense, ANN, topics) with each stage's wall time. Beside
 * the import it measures, in the same run, the raw floor: the first
 * --raw-lines records of the last file parsed and inserted with one prepared
 * statement into a bare table, 10,000 rows per transaction.
 *
 *   npx tsx bench/build-db.ts OUT.db FILE... [--raw-lines 100000] [--no-index]
 *
 * The 1M-paper database the other benchmarks share is the 74,728 real
 * arXiv-daily papers followed by 925,272 lines of bench/synthetic-snapshot.ts.
 */
import Database from 'better-sqlite3';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { importInputs } from '../src/ingest/import.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { refreshIndexes } from '../src/vectors/refresh.ts';
import { flag, opt } from './lib/args.ts';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] === '--raw-lines'));
const [out, ...files] = positional;
if (!out || files.length === 0) {
  console.error('usage: npx tsx bench/build-db.ts OUT.db FILE... [--raw-lines N] [--no-index]');
  process.exit(2);
}
const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The floor: JSON lines parsed and inserted bare, no merge planning, no indexes. */
async function rawInsert(file: string, lines: number): Promise<{ rows: number; seconds: number }> {
  const path = `${out}.raw-baseline`;
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE papers (pk INTEGER PRIMARY KEY, id TEXT, title TEXT, abstract TEXT, authors TEXT, data TEXT)');
  const insert = db.prepare('INSERT INTO papers (id, title, abstract, authors, data) VALUES (?, ?, ?, ?, ?)');
  const t = performance.now();
  let rows = 0;
  let batch: string[] = [];
  const flush = db.transaction((items: string[]) => {
    for (const line of items) {
      const r = JSON.parse(line) as Record<string, unknown>;
      insert.run(String(r.id ?? r.doi ?? rows), String(r.title ?? ''), String(r.abstract ?? ''), JSON.stringify(r.authors ?? ''), line);
    }
  });
  const input = createReadStream(file);
  const rl = createInterface({ input: file.endsWith('.gz') ? input.pipe((await import('node:zlib')).createGunzip()) : input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    batch.push(line);
    if (++rows % 10_000 === 0) {
      flush(batch);
      batch = [];
    }
    if (rows >= lines) break;
  }
  flush(batch);
  rl.close();
  input.destroy();
  const seconds = (performance.now() - t) / 1000;
  db.close();
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  return { rows, seconds };
}

const report: Record<string, unknown> = { out, files, loadAtStart: load() };
const rawLines = Number(opt('raw-lines', '100000'));
if (rawLines > 0) {
  const raw = await rawInsert(files[files.length - 1], rawLines);
  report.raw = { ...raw, perSecond: Math.round(raw.rows / raw.seconds) };
  log(`raw floor: ${raw.rows.toLocaleString('en')} lines parsed and inserted bare in ${raw.seconds.toFixed(1)} s (${Math.round(raw.rows / raw.seconds).toLocaleString('en')}/s), load ${load()}`);
}

if (existsSync(out)) throw new Error(`${out} exists: give a new file`);
const store = new SqliteStore(out);
const imports: Record<string, unknown>[] = [];
for (const file of files) {
  const t = performance.now();
  const c = cpuSeconds();
  let last = 0;
  const r = await importInputs(store, [{ path: file }], {
    now: () => new Date(),
    onBulkProgress: log,
    onProgress: (p) => {
      if (Date.now() - last < 30_000) return;
      last = Date.now();
      log(`${file}: ${p.records.toLocaleString('en')} records, ${Math.round(p.records / ((performance.now() - t) / 1000))}/s, load ${load()}`);
    },
  });
  const seconds = (performance.now() - t) / 1000;
  const records = r.totals.records;
  imports.push({ file, records, added: r.totals.added, seconds, cpuSeconds: cpuSeconds() - c, perSecond: Math.round(records / seconds), load: load() });
  log(`${file}: ${records.toLocaleString('en')} records in ${seconds.toFixed(1)} s (${Math.round(records / seconds).toLocaleString('en')}/s), load ${load()}`);
}
report.imports = imports;
const totalRecords = imports.reduce((n, i) => n + (i.records as number), 0);
const totalSeconds = imports.reduce((n, i) => n + (i.seconds as number), 0);
report.import = { records: totalRecords, seconds: totalSeconds, perSecond: Math.round(totalRecords / totalSeconds) };

if (!flag('no-index')) {
  const stages: Record<string, number> = {};
  let stage = '';
  let since = performance.now();
  const t = performance.now();
  let last = 0;
  await refreshIndexes(store, {
    progress: (p) => {
      const now = performance.now();
      if (p.stage !== stage) {
        if (stage) stages[stage] = (stages[stage] ?? 0) + (now - since) / 1000;
        stage = p.stage;
        since = now;
        log(`index: ${stage}`);
      }
      if (p.message || Date.now() - last > 30_000) {
        last = Date.now();
        log(`index: ${p.message ?? `${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`} (load ${load()})`);
      }
    },
  });
  if (stage) stages[stage] = (stages[stage] ?? 0) + (performance.now() - since) / 1000;
  report.index = { seconds: (performance.now() - t) / 1000, stages, load: load() };
}
await store.close();
report.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report));
