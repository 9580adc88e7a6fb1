/**
 * A large import into SQLite end to end (parse to a searchable database: the
 * bulk load's full-text rebuild and index creation counted), beside the raw
 * floor measured in the same run over the same files:
 *   raw insert  each line JSON.parse'd and inserted bare (id, title, abstract,
 *               authors, the line) with one prepared statement, 10,000 rows a
 *               transaction; no normalising, no dedupe, no indexes
 *   raw + FTS5  that table's title, abstract and authors then indexed by one
 *               FTS5 'rebuild' with the tokenizer radar uses
 * Papers/s are wall clock; CPU-s are this process's (its only work is the
 * phase measured), the figure to trust on a shared machine.
 *
 *   npx tsx bench/import-bulk.ts [--size 1000000] [--cache DIR] [--db PATH] [--no-raw] [--bulk auto|always|never] [--json]
 *
 * Corpus: the 74,728 real arXiv-daily papers, then (with --size above that)
 * SYNTHETIC papers from bench/lib/bench-corpus.ts, shared with bench/backends.ts.
 */
import Database from 'better-sqlite3';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { importInputs } from '../src/ingest/import.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { flag, opt } from './lib/args.ts';
import { REAL_PAPERS, syntheticFile } from './lib/bench-corpus.ts';
import { DAILY } from './lib/run-phase.ts';

const SIZE = Number(opt('size', '1000000').replace(/_/g, ''));
const CACHE = resolve(opt('cache', join(tmpdir(), 'radar-backends-bench')));
const DB = resolve(opt('db', join(CACHE, `import-bulk-${SIZE}.db`)));
const log = (s: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Timing {
  seconds: number;
  cpuSeconds: number;
}

async function timed<T>(work: () => Promise<T>): Promise<T & Timing> {
  const t = performance.now();
  const c = process.cpuUsage();
  const out = await work();
  const used = process.cpuUsage(c);
  return { ...out, seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const removeDb = (path: string) => ['', '-wal', '-shm'].forEach((s) => rmSync(path + s, { force: true }));

async function* lines(file: string, limit: number): AsyncGenerator<string> {
  const input = createReadStream(file);
  const rl = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    yield line;
    if (++n >= limit) break;
  }
  rl.close();
  input.destroy();
}

/** The raw floor over the same inputs: bare inserts, then one FTS5 rebuild. */
async function rawFloor(inputs: { path: string; limit: number }[]): Promise<{ rows: number; insert: Timing; fts: Timing }> {
  const path = `${DB}.raw-floor`;
  removeDb(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE papers (pk INTEGER PRIMARY KEY, id TEXT, title TEXT, abstract TEXT, authors TEXT, data TEXT)');
  const insert = db.prepare('INSERT INTO papers (id, title, abstract, authors, data) VALUES (?, ?, ?, ?, ?)');
  const flush = db.transaction((items: string[]) => {
    for (const line of items) {
      const r = JSON.parse(line) as Record<string, unknown>;
      insert.run(String(r.id ?? r.arxiv_id ?? r.doi ?? ''), String(r.title ?? ''), String(r.abstract ?? r.summary ?? ''), JSON.stringify(r.authors ?? ''), line);
    }
  });
  let rows = 0;
  const ins = await timed(async () => {
    let batch: string[] = [];
    for (const input of inputs) {
      for await (const line of lines(input.path, input.limit)) {
        batch.push(line);
        if (++rows % 10_000 === 0) {
          flush(batch);
          batch = [];
        }
      }
    }
    flush(batch);
    return {};
  });
  log(`raw floor: ${rows.toLocaleString('en')} lines parsed and inserted bare in ${ins.seconds.toFixed(1)} s (${ins.cpuSeconds.toFixed(1)} CPU-s), load ${load()}`);
  db.pragma('cache_size = -262144');
  const fts = await timed(async () => {
    db.exec("CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, content='papers', content_rowid='pk', tokenize='porter unicode61 remove_diacritics 2')");
    db.transaction(() => db.exec("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')"))();
    return {};
  });
  log(`raw floor: FTS5 rebuild in ${fts.seconds.toFixed(1)} s (${fts.cpuSeconds.toFixed(1)} CPU-s), load ${load()}`);
  db.close();
  removeDb(path);
  return { rows, insert: ins, fts };
}

if (SIZE < REAL_PAPERS) throw new Error(`--size starts at the ${REAL_PAPERS.toLocaleString('en')} real papers`);
const real = REAL_PAPERS;
const inputs = [{ path: DAILY, limit: real }];
if (SIZE > REAL_PAPERS) inputs.push({ path: await syntheticFile(DAILY, CACHE, SIZE - REAL_PAPERS, log), limit: SIZE - REAL_PAPERS });
const loadAtStart = load();
const raw = flag('no-raw') ? undefined : await rawFloor(inputs);

removeDb(DB);
const phases: string[] = [];
const store = new SqliteStore(DB);
const imp = await timed(async () => {
  let last = 0;
  const r = await importInputs(
    store,
    inputs.map((i) => ({ path: i.path })),
    {
      now: () => new Date(),
      bulk: opt('bulk', 'auto') as 'auto' | 'always' | 'never',
      onBulkProgress: (m) => {
        log(m);
        if (/: done in/.test(m)) phases.push(m.replace(/^bulk load: /, ''));
      },
      onProgress: (p) => {
        if (Date.now() - last < 30_000) return;
        last = Date.now();
        log(`${p.file}: ${p.records.toLocaleString('en')} records, load ${load()}`);
      },
    },
  );
  return { records: r.totals.records, added: r.totals.added, rejected: r.totals.rejected };
});
const hits = store.db.prepare("SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'transformer'").get() as { n: number };
const stored = (store.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
await store.close();
const dbMB = Math.round(['', '-wal'].reduce((s, x) => s + (statSync(DB + x, { throwIfNoEntry: false })?.size ?? 0), 0) / 1e6);
if (!opt('db')) removeDb(DB);

const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en').padStart(7);
const row = (label: string, n: number, t: Timing) => `  ${label.padEnd(38)} ${rate(n, t.seconds)} papers/s  (${t.seconds.toFixed(1)} s, ${t.cpuSeconds.toFixed(1)} CPU-s, ${rate(n, t.cpuSeconds).trim()}/CPU-s)`;
const synthetic = SIZE > REAL_PAPERS ? SIZE - REAL_PAPERS : 0;
console.log(`bulk import into SQLite, ${stored.toLocaleString('en')} papers (${real.toLocaleString('en')} real${synthetic ? ` + ${synthetic.toLocaleString('en')} SYNTHETIC` : ''}); ${cpus().length} cores, load ${loadAtStart} at start, ${load()} at end`);
if (raw) {
  console.log(row('raw floor: parse + bare insert', raw.rows, raw.insert));
  console.log(row('raw floor: + one FTS5 rebuild', raw.rows, { seconds: raw.insert.seconds + raw.fts.seconds, cpuSeconds: raw.insert.cpuSeconds + raw.fts.cpuSeconds }));
}
console.log(row('radar import, end to end (searchable)', imp.records, imp));
if (raw) console.log(`  radar import takes ${(imp.cpuSeconds / (raw.insert.cpuSeconds + raw.fts.cpuSeconds)).toFixed(2)}× the CPU time of the raw floor with FTS5 (${(imp.seconds / (raw.insert.seconds + raw.fts.seconds)).toFixed(2)}× its wall time)`);
for (const p of phases) console.log(`    ${p}`);
console.log(`  ${imp.added.toLocaleString('en')} added, ${imp.rejected} rejected; 'transformer' matches ${hits.n.toLocaleString('en')}; database ${dbMB} MB; target ≥ 10,000 papers/s`);
if (flag('json')) console.log(JSON.stringify({ size: SIZE, stored, raw, import: imp, phases, dbMB, loadAtStart, loadAtEnd: load() }));
