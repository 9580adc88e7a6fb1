/**
 * Moves an embedded (SQLite) database into PostgreSQL, table by table
 * (transfer-tables.ts), keeping every value — pks and change-feed seqs
 * included — and proves it: per-table row counts and a content checksum
 * computed the same way from both sides.
 *
 * - Batched: each batch is one PostgreSQL transaction that also records how
 *   far its table got, so an interrupted run resumes where it stopped.
 * - Refuses a target that already holds data, unless that data is an earlier
 *   run of the same transfer (which is then resumed, or only verified when it
 *   had finished: running it twice is harmless).
 * - One snapshot: every read of the source (rows, counts, the change-feed
 *   counter, checksums) happens inside one SQLite read transaction, so what
 *   is copied and what is verified describe the same state even while other
 *   processes keep writing to the source (their commits wait in the WAL
 *   until the transfer ends). A resumed run reads a newer snapshot than the
 *   interrupted one did; if the source changed in between, verification says so.
 * - The checksum of a table is the sum (mod 2^128) of a SHA-256 of each row's
 *   canonical form: independent of row order and storage format (JSON text vs
 *   jsonb, one blob vs chunks), sensitive to any changed, lost or extra row.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import { tx } from './db.ts';
import type { PostgresStore } from './store.ts';
import { TRANSFER_TABLES, type ColumnType, type TableSpec } from './transfer-tables.ts';
import { PgVectors, writeModel } from './vectors.ts';

/** The SQLite side of a transfer: only its connection is read (an open SqliteStore fits). */
export interface SqliteSource {
  readonly db: Database.Database;
}

export interface TransferProgress {
  table: string;
  copied: number;
  total: number;
}

export interface TableCheck {
  table: string;
  source: { rows: number; checksum: string };
  target: { rows: number; checksum: string };
  ok: boolean;
}

export interface TransferResult {
  /** `fresh`: copied into an empty database; `resumed`: finished an interrupted run; `verified`: it had finished before, only checked. */
  mode: 'fresh' | 'resumed' | 'verified';
  /** Rows copied by this run, per table. */
  copied: Record<string, number>;
  checks: TableCheck[];
  ok: boolean;
}

export interface TransferOptions {
  /** Label of the source recorded in the target (e.g. the file's absolute path), to recognise a resumed run. */
  sourceName: string;
  onProgress?: (p: TransferProgress) => void;
  /** Overrides every table's batch size (tests use small ones). */
  batchSize?: number;
  now?: () => Date;
  /** Tables to copy (default: all): tests interrupt a run this way. */
  tables?: TableSpec[];
}

export class TransferRefused extends Error {}

const q = (name: string) => `"${name}"`;

interface Progress {
  after?: unknown[];
  copied: number;
  done?: boolean;
}

export async function transfer(source: SqliteSource, target: PostgresStore, opts: TransferOptions): Promise<TransferResult> {
  const now = () => (opts.now ?? (() => new Date()))().toISOString();
  const pool = target.pool;
  const run = (await pool.query<{ source: string; finished_at: string | null; progress: Record<string, Progress> }>('SELECT * FROM transfer_runs'))
    .rows;
  const mine = run.find((r) => r.source === opts.sourceName);
  if (run.length && !mine) {
    throw new TransferRefused(`${target.location} already holds a migration from ${run[0].source}; migrate into an empty database`);
  }
  if (!mine) {
    const busy: string[] = [];
    for (const spec of TRANSFER_TABLES) {
      const n = Number((await pool.query(`SELECT count(*) AS n FROM ${q(spec.table)}`)).rows[0].n);
      if (n > 0) busy.push(`${spec.table}: ${n}`);
    }
    if (busy.length) {
      throw new TransferRefused(
        `${target.location} is not empty (${busy.join(', ')}); migrate into an empty database (create one, or drop this one first)`,
      );
    }
    await pool.query('INSERT INTO transfer_runs (source, started_at) VALUES ($1, $2)', [opts.sourceName, now()]);
  }
  const mode: TransferResult['mode'] = !mine ? 'fresh' : mine.finished_at ? 'verified' : 'resumed';
  const progress: Record<string, Progress> = mine?.progress ?? {};
  const copied: Record<string, number> = {};

  const snapshot = readSnapshot(source.db);
  try {
    if (mode !== 'verified') {
      const tables = opts.tables ?? TRANSFER_TABLES;
      for (const spec of tables) {
        copied[spec.table] = await copyTable(source.db, pool, spec, progress, opts);
      }
      if (tables.length < TRANSFER_TABLES.length) return { mode, copied, checks: [], ok: false };
      await finish(source.db, target, opts.sourceName, now());
    }
    const checks = await verify(source, target);
    return { mode, copied, checks, ok: checks.every((c) => c.ok) };
  } finally {
    snapshot.end();
  }
}

/**
 * Opens a read transaction on the source and pins its snapshot (SQLite takes
 * it at the first read, not at BEGIN). Reads only: ending it changes nothing.
 */
function readSnapshot(db: Database.Database): { end(): void } {
  if (db.inTransaction) throw new Error('transfer: the source connection is already in a transaction');
  db.exec('BEGIN DEFERRED');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  return {
    end() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
  };
}

async function copyTable(
  db: Database.Database,
  pool: Pool,
  spec: TableSpec,
  progress: Record<string, Progress>,
  opts: TransferOptions,
): Promise<number> {
  const state: Progress = progress[spec.table] ?? { copied: 0 };
  if (state.done) return 0;
  const total = (db.prepare(`SELECT count(*) AS n FROM ${q(spec.table)}`).get() as { n: number }).n;
  const size = opts.batchSize ?? spec.batch ?? 2000;
  let copiedNow = 0;
  opts.onProgress?.({ table: spec.table, copied: state.copied, total });
  for (;;) {
    const batch = readBatch(db, spec, state.after, size);
    if (batch.length === 0) break;
    const last = batch[batch.length - 1];
    const after = spec.key.map((k) => last[spec.columns.findIndex(([c]) => c === k)]);
    const next: Progress = { after, copied: state.copied + batch.length };
    try {
      await tx(pool, async (c) => {
        await writeBatch(c, spec, batch);
        await c.query('UPDATE transfer_runs SET progress = jsonb_set(progress, $1, $2::jsonb)', [[spec.table], JSON.stringify(next)]);
      });
    } catch (err) {
      const at = state.after ? ` after key (${state.after.map((v) => JSON.stringify(v)).join(', ')})` : '';
      throw new Error(`copying ${spec.table}${at}: ${(err as Error).message}`, { cause: err });
    }
    Object.assign(state, next);
    copiedNow += batch.length;
    opts.onProgress?.({ table: spec.table, copied: state.copied, total });
    if (batch.length < size) break;
  }
  state.done = true;
  progress[spec.table] = state;
  await pool.query('UPDATE transfer_runs SET progress = jsonb_set(progress, $1, $2::jsonb)', [[spec.table], JSON.stringify(state)]);
  return copiedNow;
}

/** The next batch of source rows after `after`, in key order, as arrays in column order. */
/** The source's select list: each column, or the expression it is read as. */
function sourceColumns(spec: TableSpec): string {
  return spec.columns.map(([c, , from]) => (from ? `${from} AS ${q(c)}` : q(c))).join(', ');
}

function readBatch(db: Database.Database, spec: TableSpec, after: unknown[] | undefined, size: number): unknown[][] {
  const cols = sourceColumns(spec);
  const key = spec.key.map(q).join(', ');
  const where = after ? `WHERE (${key}) > (${after.map(() => '?').join(', ')})` : '';
  return db
    .prepare(`SELECT ${cols} FROM ${q(spec.table)} ${where} ORDER BY ${key} LIMIT ?`)
    .raw()
    .all(...(after ?? []), size) as unknown[][];
}

const PG_ARRAY: Record<ColumnType, string> = { int: 'bigint[]', text: 'text[]', json: 'text[]', blob: 'bytea[]' };

async function writeBatch(c: PoolClient, spec: TableSpec, batch: unknown[][]): Promise<void> {
  if (spec.table === 'models') {
    for (const [name, meta, data, builtAt] of batch as [string, string, Buffer, string][]) {
      await writeModel(c, name, data, JSON.parse(meta) as Record<string, unknown>, builtAt);
    }
    return;
  }
  const names = spec.columns.map(([c]) => q(c)).join(', ');
  const select = spec.columns.map(([c, t]) => (t === 'json' ? `u.${q(c)}::jsonb` : `u.${q(c)}`)).join(', ');
  const arrays = spec.columns.map((_, i) => batch.map((row) => row[i]));
  const unnest = spec.columns.map(([, t], i) => `$${i + 1}::${PG_ARRAY[t]}`).join(', ');
  // ON CONFLICT DO NOTHING: a batch committed by an interrupted run is skipped, not duplicated.
  await c.query(
    `INSERT INTO ${q(spec.table)} (${names}) SELECT ${select} FROM unnest(${unnest}) AS u(${names}) ON CONFLICT DO NOTHING`,
    arrays,
  );
}

/** Sequences continue after the copied values; the run is marked finished. */
async function finish(db: Database.Database, target: PostgresStore, sourceName: string, at: string): Promise<void> {
  const counter = db.prepare("SELECT value FROM counters WHERE name = 'seq'").get() as { value: number } | undefined;
  await tx(target.pool, async (c) => {
    for (const spec of TRANSFER_TABLES) {
      if (!spec.identity) continue;
      await c.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(coalesce(max(${q(spec.identity)}), 0), 1), max(${q(spec.identity)}) IS NOT NULL)
         FROM ${q(spec.table)}`,
        [spec.table, spec.identity],
      );
    }
    await c.query(
      `SELECT setval('paper_seq', GREATEST($1::bigint, (SELECT coalesce(max(seq), 0) FROM papers), (SELECT coalesce(max(seq), 0) FROM removed_papers), 1))`,
      [counter?.value ?? 0],
    );
    await c.query('UPDATE transfer_runs SET finished_at = $2 WHERE source = $1', [sourceName, at]);
  });
}

// ---- Verification ----

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One value in a form both sides produce alike. `jsonParsed`: the driver already parsed JSON (PostgreSQL). */
function canonical(type: ColumnType, v: unknown, jsonParsed: boolean): string | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'int':
      return String(v);
    case 'text':
      return String(v);
    case 'json':
      return canonicalJson(jsonParsed ? v : JSON.parse(String(v)));
    case 'blob':
      return createHash('sha256').update(v as Buffer).digest('hex');
  }
}

const MOD = 1n << 128n;

class Checksum {
  rows = 0;
  private sum = 0n;
  add(spec: TableSpec, row: unknown[], jsonParsed: boolean): void {
    const canon = spec.columns.map(([, t], i) => canonical(t, row[i], jsonParsed));
    const h = createHash('sha256').update(JSON.stringify(canon)).digest();
    this.sum = (this.sum + BigInt(`0x${h.subarray(0, 16).toString('hex')}`)) % MOD;
    this.rows++;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

/** Row counts and checksums of every transferred table, on both sides. */
export async function verify(source: SqliteSource, target: PostgresStore): Promise<TableCheck[]> {
  const out: TableCheck[] = [];
  for (const spec of TRANSFER_TABLES) {
    const s = new Checksum();
    for (const row of source.db.prepare(`SELECT ${sourceColumns(spec)} FROM ${q(spec.table)}`).raw().iterate()) s.add(spec, row as unknown[], false);
    const t = new Checksum();
    for await (const batch of targetRows(target, spec)) for (const row of batch) t.add(spec, row, true);
    out.push({
      table: spec.table,
      source: { rows: s.rows, checksum: s.hex },
      target: { rows: t.rows, checksum: t.hex },
      ok: s.rows === t.rows && s.hex === t.hex,
    });
  }
  return out;
}

/** The target's rows in key-ordered batches, as arrays in spec column order. */
async function* targetRows(target: PostgresStore, spec: TableSpec): AsyncGenerator<unknown[][]> {
  if (spec.table === 'models') {
    const models = new PgVectors(target.pool);
    const names = (await target.pool.query<{ name: string }>('SELECT name FROM models ORDER BY name')).rows;
    for (const { name } of names) {
      const m = await models.getModel(name);
      if (m) yield [[name, m.meta, m.data, m.builtAt]];
    }
    return;
  }
  const cols = spec.columns.map(([c]) => q(c)).join(', ');
  const key = spec.key.map(q).join(', ');
  const size = 5000;
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? `WHERE (${key}) > (${after.map((_, i) => `$${i + 2}`).join(', ')})` : '';
    const r = await target.pool.query({
      text: `SELECT ${cols} FROM ${q(spec.table)} ${where} ORDER BY ${key} LIMIT $1`,
      values: [size, ...(after ?? [])],
      rowMode: 'array',
    });
    const rows = r.rows as unknown[][];
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = spec.key.map((k) => last[spec.columns.findIndex(([c]) => c === k)]);
    if (rows.length < size) return;
  }
}
