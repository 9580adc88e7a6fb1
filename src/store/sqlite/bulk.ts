/**
 * Bulk loading on SQLite (../types/bulk.ts). Each paper written through the
 * full-text triggers is tokenised into two FTS5 indexes as it lands, and each
 * secondary index takes a random-order insert; for a big import that is most
 * of the work. A bulk load drops the triggers and the indexes no import reads,
 * writes the papers bare, then rebuilds the full-text indexes with FTS5's
 * 'rebuild' and creates the indexes again, each by one sorted pass.
 *
 * What was dropped is recorded, with its exact CREATE statement as the
 * schema held it, in `kv_state` in the same transaction that drops it: a
 * killed import leaves that record behind, and whoever finishes the load
 * (the next import, `radar serve`, `radar doctor`) restores the schema byte
 * for byte, whatever migration wrote it.
 */
import type Database from 'better-sqlite3';
import type { BulkLoadState, BulkLoadStore } from '../types.ts';
import { describeBulk, thisProcess, type BulkRecord, type SchemaObject } from '../bulk-record.ts';

export const BULK_STATE_KEY = 'bulk-load';

/** Full-text upkeep (migration 3's triggers) and indexes that serve queries, never the import's own lookups. */
const DEFERRED_TRIGGERS = ['papers_fts_insert', 'papers_fts_delete', 'papers_fts_update'];
const DEFERRED_INDEXES = ['papers_listing_date', 'papers_upvotes', 'papers_seq', 'papers_incomplete', 'paper_authors_name_key'];
/** External-content full-text tables, rebuilt from the papers (content table `papers_search`). */
export const FTS_TABLES = ['papers_fts', 'papers_title_fts'];

/** A bulk load's page cache: the rebuild and the index sorts work in it (the default is 64 MB). */
const BULK_CACHE_KB = 256 * 1024;


export class SqliteBulk implements BulkLoadStore {
  /** The connection's page cache before a bulk load widened it. */
  private cacheBefore?: number;

  /**
   * @param keyFilter the papers' key filter (SqlitePapers), on for the length
   *   of a bulk load in this process: most of a big import's keys are new.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly keyFilter?: { useKeyFilter(): void; dropKeyFilter(): void },
  ) {}

  private widenCache(): void {
    this.cacheBefore ??= this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${BULK_CACHE_KB}`);
  }

  private read(): BulkRecord | undefined {
    const row = this.db.prepare('SELECT value FROM kv_state WHERE key = ?').get(BULK_STATE_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as BulkRecord) : undefined;
  }

  /** Synchronous form of `pending`, for the doctor's check. */
  pendingSync(): BulkLoadState | undefined {
    const s = this.read();
    return s && describeBulk(s);
  }

  async pending(): Promise<BulkLoadState | undefined> {
    return this.pendingSync();
  }

  async storedPapers(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  }

  async begin(now: string): Promise<BulkLoadState> {
    const state = this.db
      .transaction((): BulkRecord => {
        const owner = thisProcess();
        const existing = this.read();
        if (existing) {
          // A resumed load: this process carries it on.
          const taken = { ...existing, owner };
          this.db.prepare('UPDATE kv_state SET value = ?, updated_at = ? WHERE key = ?').run(JSON.stringify(taken), now, BULK_STATE_KEY);
          return taken;
        }
        const names = [...DEFERRED_TRIGGERS, ...DEFERRED_INDEXES];
        const objects = this.db
          .prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND name IN (${names.map(() => '?').join(',')}) ORDER BY type DESC, name`)
          .all(...names) as SchemaObject[];
        const stored: BulkRecord = { startedAt: now, objects, owner };
        // Recorded before anything is dropped, and in the same transaction: there is no moment the schema lacks them unrecorded.
        this.db.prepare('INSERT INTO kv_state(key, value, updated_at) VALUES (?, ?, ?)').run(BULK_STATE_KEY, JSON.stringify(stored), now);
        for (const o of objects) this.db.exec(`DROP ${o.type.toUpperCase()} IF EXISTS "${o.name}"`);
        return stored;
      })
      .immediate();
    this.widenCache();
    this.keyFilter?.useKeyFilter();
    return describeBulk(state);
  }

  async finish(progress: (message: string) => void = () => {}): Promise<void> {
    this.keyFilter?.dropKeyFilter();
    const state = this.read();
    if (!state) return;
    this.widenCache();
    const papers = (await this.storedPapers()).toLocaleString('en');
    const done = new Set(state.done ?? []);
    const phase = (id: string, what: string, work: () => void) => {
      if (done.has(id)) return;
      progress(`bulk load: ${what} …`);
      const t = performance.now();
      const cpu = process.cpuUsage();
      this.db
        .transaction(() => {
          work();
          done.add(id);
          this.db.prepare('UPDATE kv_state SET value = ? WHERE key = ?').run(JSON.stringify({ ...state, done: [...done] }), BULK_STATE_KEY);
        })
        .immediate();
      const used = process.cpuUsage(cpu);
      // CPU time beside the wall time: on a shared machine the wall time says more about the neighbours.
      progress(`bulk load: ${what}: done in ${((performance.now() - t) / 1000).toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} CPU-s)`);
    };
    const exists = (o: SchemaObject) => !!this.db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(o.type, o.name);
    const restore = (o: SchemaObject) => {
      if (!exists(o)) this.db.exec(o.sql);
    };
    // Triggers first: a paper written by another process from now on goes through them, and the
    // rebuild that follows covers it either way (it reads every paper, whatever the index held).
    const triggers = state.objects.filter((o) => o.type === 'trigger');
    phase('triggers', 'restoring the full-text triggers', () => triggers.forEach(restore));
    for (const table of FTS_TABLES) {
      phase(table, `rebuilding full-text index ${table} over ${papers} papers`, () => {
        this.db.prepare(`INSERT INTO ${table}(${table}) VALUES ('rebuild')`).run();
      });
    }
    for (const o of state.objects.filter((x) => x.type === 'index')) phase(o.name, `creating index ${o.name}`, () => restore(o));
    this.db.prepare('DELETE FROM kv_state WHERE key = ?').run(BULK_STATE_KEY);
    progress('bulk load: done; the full-text and secondary indexes are in step with the papers');
    this.db.pragma(`cache_size = ${this.cacheBefore}`);
    this.cacheBefore = undefined;
  }
}
