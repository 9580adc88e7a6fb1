/**
 * `radar doctor` on PostgreSQL: the server keeps its own files consistent, so
 * what is checked is what Paper Radar derives: every paper's full-text
 * vectors, which a trigger fills (a row written with the trigger disabled, by
 * a bulk load or a restore, has none and cannot be found by search).
 */
import type { Pool } from 'pg';
import type { DatabaseCheck } from '../types.ts';
import { bulkCheck } from '../bulk-record.ts';
import type { PgBulk } from './bulk.ts';

export async function checkPostgres(pool: Pool, bulk: PgBulk, opts: { repair: boolean }): Promise<DatabaseCheck[]> {
  const version = await pool.query<{ v: string }>('SELECT version() AS v');
  const out: DatabaseCheck[] = [{ name: 'database server', ok: true, detail: version.rows[0].v.split(' on ')[0] }];
  // A bulk load cut short: the search table and some indexes are behind by design; finishing it mends them.
  const pending = await bulk.pending();
  if (pending) {
    const check = bulkCheck(pending);
    if (!pending.runningIn && opts.repair) {
      await bulk.finish();
      check.ok = !(await bulk.pending());
      check.repaired = 'finished: search table filled and the indexes created';
    }
    out.push(check);
    if (pending.runningIn) return out;
  }
  const missing = await pool.query<{ n: string }>('SELECT count(*) AS n FROM papers WHERE fts IS NULL OR fts_title IS NULL');
  const n = Number(missing.rows[0].n);
  const check: DatabaseCheck = { name: 'full-text index', ok: n === 0, detail: n === 0 ? 'every paper indexed' : `${n.toLocaleString('en')} papers have no full-text vectors` };
  if (n > 0 && opts.repair) {
    // The trigger recomputes them on any update of the indexed columns.
    await pool.query('UPDATE papers SET title = title WHERE fts IS NULL OR fts_title IS NULL');
    check.repaired = `indexed the ${n.toLocaleString('en')} papers again`;
    const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM papers WHERE fts IS NULL OR fts_title IS NULL');
    check.ok = Number(left.rows[0].n) === 0;
  }
  out.push(check);
  return out;
}
