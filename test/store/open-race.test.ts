/**
 * Several real `radar` processes opening one fresh database at the same time:
 * each must find the schema migrated exactly once, and none may fail.
 *
 * In-process stores cannot show this on SQLite (opening is synchronous, so
 * they migrate one after another). Child processes race for real, but only
 * now and then hit the dangerous moment: one opener part-way through the
 * migrations while another decides which are missing. The first test makes
 * that moment certain: the test itself plays an opener that has recorded the
 * bookkeeping table and is applying migration 1 (holding SQLite's write lock,
 * or PostgreSQL's migrations advisory lock) until every child has reached the
 * database, then commits. A child that decided what to apply before getting
 * the lock would apply migration 1 again and fail ("table papers already
 * exists"); this is the race the old SQLite migrator lost.
 */
import Database from 'better-sqlite3';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { LOCK_NAMESPACE, LOCKS } from '../../src/store/postgres/db.ts';
import { MIGRATIONS as PG_MIGRATIONS, MIGRATIONS_TABLE_SQL as PG_MIGRATIONS_TABLE_SQL } from '../../src/store/postgres/migrations.ts';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../src/store/sqlite/migrations.ts';
import { describeEachBackend, type Backend } from '../helpers/backends.ts';
import { tempDir } from '../helpers/tmp.ts';
import { spawnRadar, type Running } from '../jobs/spawn-radar.ts';

const CHILDREN = 4;

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether process `pid` has `file` open (Linux /proc): the child has reached the store's open. */
function hasOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

async function expectAllOpened(children: Running[]): Promise<void> {
  const exits = await Promise.all(children.map((c) => c.exit));
  exits.forEach((e, i) => {
    expect({ exit: e.code, stderr: children[i].stderr() }).toEqual({ exit: 0, stderr: '' });
    expect(JSON.parse(children[i].stdout()).papers).toBe(0);
  });
}

function statsAll(location: string): Running[] {
  return Array.from({ length: CHILDREN }, () => spawnRadar(['stats', '--db', location, '--json']));
}

async function appliedVersions(backend: Backend['name'], location: string): Promise<number[]> {
  if (backend === 'sqlite') {
    const db = new Database(location, { readonly: true });
    try {
      return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    return (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
  } finally {
    await client.end();
  }
}

describeEachBackend('opening one fresh database from several processes', (backend) => {
  const versions = (backend.name === 'sqlite' ? MIGRATIONS : PG_MIGRATIONS).map((m) => m.version);

  it('every process opens it while another is part-way through migrating it, and each migration is applied once', { timeout: 180_000 }, async () => {
    if (backend.name === 'sqlite') {
      const file = join(tempDir(), 'radar.db');
      // The other opener: bookkeeping table committed, migration 1 applied but not yet committed.
      const gate = new Database(file);
      gate.pragma('journal_mode = WAL');
      gate.exec(MIGRATIONS_TABLE_SQL);
      gate.exec('BEGIN IMMEDIATE');
      gate.exec(MIGRATIONS[0].sql);
      gate.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(1, MIGRATIONS[0].name, new Date().toISOString());
      const children = statsAll(file);
      try {
        // Held until every child has reached the store's open (and so, moments later, the lock), but
        // no longer than the first arrival's busy timeout (10 s) allows: a slow machine starts them far apart.
        const seen = new Map<number, number>();
        await until('every child has opened the database, or the first has waited long enough', () => {
          children.forEach((c, i) => {
            if (!seen.has(i) && (c.child.exitCode !== null || hasOpen(c.child.pid!, file))) seen.set(i, Date.now());
          });
          return seen.size === CHILDREN || (seen.size > 0 && Date.now() - Math.min(...seen.values()) > 6_000);
        });
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        gate.exec('COMMIT');
        gate.close();
      }
      await expectAllOpened(children);
      expect(await appliedVersions('sqlite', file)).toEqual(versions);
    } else {
      const url = await backend.location();
      const gate = new pg.Client({ connectionString: url });
      await gate.connect();
      try {
        await gate.query('BEGIN');
        await gate.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.migrations]);
        await gate.query(PG_MIGRATIONS_TABLE_SQL);
        await gate.query(PG_MIGRATIONS[0].sql);
        await gate.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, $1, $2)', [PG_MIGRATIONS[0].name, new Date().toISOString()]);
        const children = statsAll(url);
        await until('every child waits for the migrations lock', async () => {
          const r = await gate.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2",
            [LOCK_NAMESPACE, LOCKS.migrations],
          );
          return r.rows[0].n === CHILDREN;
        });
        await gate.query('COMMIT');
        await expectAllOpened(children);
      } finally {
        await gate.end();
      }
      expect(await appliedVersions('postgres', url)).toEqual(versions);
    }
  });

  it('every process opens it when none of them finds a database there yet', { timeout: 180_000 }, async () => {
    const location = backend.name === 'sqlite' ? join(tempDir(), 'radar.db') : await backend.location();
    await expectAllOpened(statsAll(location));
    expect(await appliedVersions(backend.name, location)).toEqual(versions);
  });
});
