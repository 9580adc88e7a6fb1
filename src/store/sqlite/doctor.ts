/**
 * `radar doctor` on an SQLite database: the file's own consistency check and
 * the full-text indexes' (FTS5 compares them with the papers they index).
 * The full-text indexes are derived data, so a broken one is rebuilt; a
 * broken file is reported, with what to do, since only a backup mends it.
 */
import type Database from 'better-sqlite3';
import type { DatabaseCheck } from '../types.ts';
import { bulkCheck } from '../bulk-record.ts';
import { FTS_TABLES, type SqliteBulk } from './bulk.ts';

/**
 * FTS5 checks the index's own structure and, given rank 1, compares it with
 * the papers it indexes (external content); undefined when they agree.
 */
function ftsProblem(db: Database.Database, table: string): string | undefined {
  try {
    db.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('integrity-check', 1)`).run();
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    return /malformed/.test(message) ? 'its entries do not match the papers' : message;
  }
}

/** `ok` is the state after any repair; `detail` says what was found. */
export async function checkSqlite(db: Database.Database, bulk: SqliteBulk, opts: { repair: boolean }): Promise<DatabaseCheck[]> {
  const out: DatabaseCheck[] = [];
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const fileOk = rows.length === 1 && rows[0].quick_check === 'ok';
  out.push({
    name: 'database file',
    ok: fileOk,
    detail: fileOk
      ? 'quick_check: ok'
      : `quick_check found damage: ${rows.map((r) => r.quick_check).join('; ')}. Restore a backup, or copy what can be read with \`sqlite3 FILE .recover\``,
  });
  // A bulk load cut short: the full-text indexes and some secondary ones are behind by design; finishing it mends both.
  const pending = bulk.pendingSync();
  if (pending) {
    const check = bulkCheck(pending);
    if (!pending.runningIn && opts.repair && fileOk) {
      await bulk.finish();
      check.ok = !bulk.pendingSync();
      check.repaired = 'finished: full-text indexes rebuilt and secondary indexes created';
    }
    out.push(check);
    // The running load rebuilds them when it ends; until then they are behind by design.
    if (pending.runningIn) return out;
  }
  for (const table of FTS_TABLES) {
    const problem = ftsProblem(db, table);
    const check: DatabaseCheck = { name: `full-text index ${table}`, ok: !problem, detail: problem ? `out of step: ${problem}` : 'in step with the papers' };
    if (problem && opts.repair && fileOk) {
      db.prepare(`INSERT INTO ${table}(${table}) VALUES ('rebuild')`).run();
      check.repaired = 'rebuilt from the papers';
      check.ok = !ftsProblem(db, table);
    }
    out.push(check);
  }
  return out;
}
