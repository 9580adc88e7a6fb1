/**
 * Named leases on PostgreSQL: a row per lease with its holder and expiry.
 * Taking one is a single upsert whose update applies only when the row is
 * expired or already the caller's, so concurrent takers serialise on the row
 * and exactly one wins. Expiry uses the database's clock: processes on
 * different machines need not agree on the time.
 *
 * A lease row rather than pg_advisory_lock: an advisory lock lives on one
 * connection, which a pooled store would have to pin for a refresh lasting
 * minutes, and would silently lose with that connection.
 *
 * The table is created on first use (under an advisory lock, so processes
 * starting together do not race on CREATE) rather than by a migration: leases
 * are process coordination, never data (`radar migrate` does not copy them).
 */
import type { Pool } from 'pg';
import type { LeaseAttempt as Attempt, LeaseStore } from '../types.ts';
import { LOCK_NAMESPACE, LOCKS, one, tx } from './db.ts';

export class PgLeases implements LeaseStore {
  private ready?: Promise<void>;

  constructor(private readonly pool: Pool) {}

  private table(): Promise<void> {
    this.ready ??= tx(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.leaseTable]);
      await c.query('CREATE TABLE IF NOT EXISTS leases (name text COLLATE "C" PRIMARY KEY, holder text NOT NULL, until timestamptz NOT NULL)');
    }).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<Attempt> {
    await this.table();
    const won = await one<{ holder: string }>(
      this.pool,
      `INSERT INTO leases (name, holder, until) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
         WHERE leases.until <= clock_timestamp() OR leases.holder = excluded.holder
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    if (won) return { acquired: true };
    const cur = await one<{ holder: string; until: Date }>(this.pool, 'SELECT holder, until FROM leases WHERE name = $1', [name]);
    // Released between the two statements: try again rather than report a holder that is gone.
    if (!cur) return this.acquireLease(name, holder, ttlMs);
    return { acquired: false, holder: cur.holder, until: cur.until.toISOString() };
  }

  async renewLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    await this.table();
    const r = await this.pool.query(`UPDATE leases SET until = clock_timestamp() + $3 * interval '1 millisecond' WHERE name = $1 AND holder = $2`, [name, holder, ttlMs]);
    return r.rowCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.table();
    await this.pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
