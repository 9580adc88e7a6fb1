/**
 * Named leases on SQLite: a row per lease with its holder and expiry, taken in
 * a BEGIN IMMEDIATE transaction, so two processes on one file serialise on
 * SQLite's write lock and exactly one sees the lease free. Expiry is wall
 * time in ms (processes sharing a file share a clock).
 *
 * The table is created on first use rather than by a migration: leases are
 * process coordination, never data (`radar migrate` does not copy them).
 */
import type Database from 'better-sqlite3';
import type { LeaseAttempt as Attempt, LeaseStore } from '../types.ts';

export class SqliteLeases implements LeaseStore {
  private ready = false;

  constructor(private readonly db: Database.Database) {}

  private table(): void {
    if (this.ready) return;
    this.db.exec('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until_ms INTEGER NOT NULL)');
    this.ready = true;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<Attempt> {
    this.table();
    const take = this.db.transaction((): Attempt => {
      const now = Date.now();
      const row = this.db.prepare('SELECT holder, until_ms FROM leases WHERE name = ?').get(name) as { holder: string; until_ms: number } | undefined;
      if (row && row.holder !== holder && row.until_ms > now) return { acquired: false, holder: row.holder, until: new Date(row.until_ms).toISOString() };
      this.db
        .prepare('INSERT INTO leases (name, holder, until_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms')
        .run(name, holder, now + ttlMs);
      return { acquired: true };
    });
    return take.immediate();
  }

  async renewLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.table();
    // Only the holder's own row: a lease that expired and was taken by another is not won back.
    return this.db.prepare('UPDATE leases SET until_ms = ? WHERE name = ? AND holder = ?').run(Date.now() + ttlMs, name, holder).changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.table();
    this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
  }
}
