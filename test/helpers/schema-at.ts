/**
 * Databases as an older release left them: the shipped migrations up to a
 * version applied and recorded, nothing after. A migration test fills one
 * with that version's rows and opens it with the current store.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS as PG_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';

const APPLIED_AT = '2025-01-01T00:00:00.000Z';

/** An SQLite file at schema `version`, foreign keys on, for the caller to fill and close. */
export function sqliteAt(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, APPLIED_AT);
  }
  db.pragma('foreign_keys = ON');
  return db;
}

/** Brings the empty PostgreSQL database at `url` to schema `version`, then runs `fill` on the same connection. */
export async function postgresAt(url: string, version: number, fill: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
    for (const m of PG_MIGRATIONS.filter((m) => m.version <= version)) {
      await pool.query(m.sql);
      await pool.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, APPLIED_AT]);
    }
    await fill(pool);
  } finally {
    await pool.end();
  }
}
