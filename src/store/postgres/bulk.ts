/**
 * Bulk loading on PostgreSQL (../types/bulk.ts). A paper written the
 * incremental way is copied row by row into the narrow `paper_fts` table by a
 * trigger, and lands in five GIN indexes (two on `papers`, GIN and RUM on
 * `paper_fts`) and six b-trees that only queries read; for a big import that
 * upkeep is most of the server's work. A bulk load drops the copying triggers
 * and those indexes, writes the papers (their own full-text vectors are still
 * computed as each row is written: recomputing them later would rewrite every
 * row), then fills `paper_fts` by one INSERT … SELECT and builds each index
 * by one sorted pass.
 *
 * What was dropped is recorded with its exact definition as the server
 * reports it (`pg_get_triggerdef`, `pg_indexes.indexdef`) in `kv_state`, in
 * the same transaction that drops it, together with the paper sequence's
 * position: the rebuild copies every paper written or changed after it, so a
 * killed import, resumed, still covers what its first run wrote.
 */
import type { Pool, PoolClient } from 'pg';
import type { BulkLoadState, BulkLoadStore } from '../types.ts';
import { describeBulk, thisProcess, type BulkRecord, type SchemaObject } from '../bulk-record.ts';
import { LOCK_NAMESPACE, LOCKS, rows, tx } from './db.ts';

export const BULK_STATE_KEY = 'bulk-load';

/** The triggers that copy each paper's vector into the narrow search table (migration 7). */
const DEFERRED_TRIGGERS = ['paper_fts_sync_insert', 'paper_fts_sync_update'];
/** Indexes that serve queries, never the import's own lookups (which use the primary keys and `paper_keys`). */
const DEFERRED_INDEXES = [
  'papers_fts',
  'papers_fts_title',
  'papers_listing',
  'papers_listing_date',
  'papers_upvotes',
  'papers_seq',
  'papers_incomplete',
  'paper_authors_name_key',
  'paper_fts_gin',
  'paper_fts_rum',
];

/** Sort memory for the index builds of the final pass (the server default is 64 MB). */
const BUILD_MEMORY = '256MB';

/** The shared record plus where the copying triggers stopped. */
interface StoredState extends BulkRecord {
  /** `paper_seq` when the load began: papers with a later seq were written without the copying triggers. */
  fromSeq: number;
}

async function read(c: Pool | PoolClient, lock = false): Promise<StoredState | undefined> {
  const [row] = await rows<{ value: StoredState }>(c, `SELECT value FROM kv_state WHERE key = $1${lock ? ' FOR UPDATE' : ''}`, [BULK_STATE_KEY]);
  return row?.value;
}

export class PgBulk implements BulkLoadStore {
  constructor(private readonly pool: Pool) {}

  async pending(): Promise<BulkLoadState | undefined> {
    const s = await read(this.pool);
    return s && describeBulk(s);
  }

  async storedPapers(): Promise<number> {
    const [r] = await rows<{ n: number }>(this.pool, 'SELECT count(*)::int AS n FROM papers');
    return r.n;
  }

  async begin(now: string): Promise<BulkLoadState> {
    const state = await tx(this.pool, async (c) => {
      // Writers hold this lock for each batch: no batch is half written under the old schema.
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.papers]);
      const owner = thisProcess();
      const existing = await read(c, true);
      if (existing) {
        const taken = { ...existing, owner };
        await c.query('UPDATE kv_state SET value = $1, updated_at = $2 WHERE key = $3', [JSON.stringify(taken), now, BULK_STATE_KEY]);
        return taken;
      }
      const triggers = await rows<SchemaObject>(
        c,
        `SELECT 'trigger' AS type, t.tgname AS name, pg_get_triggerdef(t.oid) AS sql
           FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
          WHERE r.relnamespace = current_schema()::regnamespace AND t.tgname = ANY($1::text[]) AND NOT t.tgisinternal ORDER BY t.tgname`,
        [DEFERRED_TRIGGERS],
      );
      const indexes = await rows<SchemaObject>(
        c,
        `SELECT 'index' AS type, indexname AS name, indexdef AS sql FROM pg_indexes
          WHERE schemaname = current_schema() AND indexname = ANY($1::text[]) ORDER BY indexname`,
        [DEFERRED_INDEXES],
      );
      const [seq] = await rows<{ v: number }>(c, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM paper_seq");
      const stored: StoredState = { startedAt: now, objects: [...triggers, ...indexes], fromSeq: Number(seq.v), owner };
      // Recorded in the transaction that drops them: there is no moment the schema lacks them unrecorded.
      await c.query('INSERT INTO kv_state (key, value, updated_at) VALUES ($1, $2, $3)', [BULK_STATE_KEY, JSON.stringify(stored), now]);
      for (const t of triggers) await c.query(`DROP TRIGGER IF EXISTS "${t.name}" ON papers`);
      for (const i of indexes) await c.query(`DROP INDEX IF EXISTS "${i.name}"`);
      return stored;
    });
    return describeBulk(state);
  }

  async finish(progress: (message: string) => void = () => {}): Promise<void> {
    const state = await read(this.pool);
    if (!state) return;
    const papers = (await this.storedPapers()).toLocaleString('en');
    const done = new Set(state.done ?? []);
    const phase = async (id: string, what: string, work: (c: PoolClient) => Promise<void>) => {
      if (done.has(id)) return;
      progress(`bulk load: ${what} …`);
      const t = performance.now();
      await tx(this.pool, async (c) => {
        await c.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
        await work(c);
        done.add(id);
        await c.query('UPDATE kv_state SET value = $1 WHERE key = $2', [JSON.stringify({ ...state, done: [...done] }), BULK_STATE_KEY]);
      });
      progress(`bulk load: ${what}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    };
    const exists = async (c: PoolClient, o: SchemaObject) =>
      o.type === 'trigger'
        ? (await rows(c, "SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgrelid = 'papers'::regclass", [o.name])).length > 0
        : (await rows(c, 'SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = $1', [o.name])).length > 0;
    const restore = async (c: PoolClient, o: SchemaObject) => {
      if (!(await exists(c, o))) await c.query(o.sql);
    };
    // Triggers first: a paper another process writes from now on is copied by them, and the
    // fill that follows covers the rest (it upserts, so a row both wrote is the same either way).
    await phase('triggers', 'restoring the triggers that feed the search table', async (c) => {
      for (const o of state.objects.filter((x) => x.type === 'trigger')) await restore(c, o);
    });
    await phase('paper_fts', `copying the full-text vectors of the papers written since the load began into the search table (${papers} papers stored)`, async (c) => {
      await c.query(
        `INSERT INTO paper_fts (pk, fts) SELECT pk, fts FROM papers WHERE seq > $1 AND fts IS NOT NULL
         ON CONFLICT (pk) DO UPDATE SET fts = EXCLUDED.fts`,
        [state.fromSeq],
      );
    });
    for (const o of state.objects.filter((x) => x.type === 'index')) {
      await phase(o.name, `creating index ${o.name}`, (c) => restore(c, o));
    }
    // The planner's row estimates were taken before the load; search plans depend on them.
    await phase('analyze', 'updating the planner statistics', async (c) => {
      await c.query('ANALYZE papers');
      await c.query('ANALYZE paper_fts');
    });
    await this.pool.query('DELETE FROM kv_state WHERE key = $1', [BULK_STATE_KEY]);
    progress('bulk load: done; the search table and the full-text and secondary indexes are in step with the papers');
  }
}
