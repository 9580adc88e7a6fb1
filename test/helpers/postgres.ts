/**
 * Test-side access to PostgreSQL: one throwaway cluster per test run (started
 * by whichever test process needs it first, see postgres-setup.ts), and a
 * fresh database per test, copied from a template that already has the
 * schema (about 60 ms instead of migrating each time).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { clusterUrl, startCluster } from './pg-cluster.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';

export type PgTestConfig =
  | { mode: 'cluster'; dir: string; bin: string; parent: string }
  | { mode: 'url'; url: string }
  | { mode: 'skip'; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    radarPg: PgTestConfig;
  }
}

const TEMPLATE = 'radar_template';

function config(): PgTestConfig {
  try {
    return inject('radarPg') ?? { mode: 'skip', reason: 'test/helpers/postgres-setup.ts is not in vitest globalSetup' };
  } catch {
    return { mode: 'skip', reason: 'not running under vitest with test/helpers/postgres-setup.ts' };
  }
}

/** Why the PostgreSQL backend cannot run in this test run, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  const c = config();
  return c.mode === 'skip' ? c.reason : undefined;
}

interface Server {
  /** A URL for a database of the given name on the server. */
  url(database: string): string;
  /** The database new test databases are copied from, or undefined to create empty ones (and migrate on open). */
  template?: string;
  /** CREATE DATABASE … STRATEGY exists from PostgreSQL 15. */
  hasStrategy?: boolean;
}

let server: Promise<Server> | undefined;

function getServer(): Promise<Server> {
  server ??= connectServer();
  return server;
}

async function connectServer(): Promise<Server> {
  const c = config();
  if (c.mode === 'skip') throw new Error(`PostgreSQL is not available: ${c.reason}`);
  if (c.mode === 'url') {
    const base = new URL(c.url);
    return {
      url(database) {
        const u = new URL(base);
        u.pathname = `/${encodeURIComponent(database)}`;
        return u.toString();
      },
    };
  }
  await ensureCluster(c.dir, c.bin);
  const version = Number(await adminValue(clusterUrl(c.dir, 'postgres'), 'SHOW server_version_num'));
  return { url: (database) => clusterUrl(c.dir, database), template: TEMPLATE, hasStrategy: version >= 150000 };
}

/**
 * Starts the run's cluster once across all test processes: the first to
 * create the lock directory starts it and writes `ready.json`; the others
 * wait for that file (or `failed.txt`).
 */
async function ensureCluster(dir: string, bin: string): Promise<void> {
  const ready = join(dir, 'ready.json');
  const failed = join(dir, 'failed.txt');
  if (existsSync(ready)) return;
  let starter = false;
  try {
    mkdirSync(join(dir, 'starting.lock'));
    starter = true;
  } catch {
    // someone else is starting it
  }
  if (starter) {
    try {
      const t0 = performance.now();
      const cluster = await startCluster(dir, bin);
      await adminQuery(cluster.url('postgres'), `CREATE DATABASE ${TEMPLATE}`);
      const store = await PostgresStore.open(cluster.url(TEMPLATE), { poolSize: 1 });
      await store.close();
      const ms = Math.round(performance.now() - t0);
      writeFileSync(`${ready}.tmp`, JSON.stringify({ startedMs: ms }));
      renameSync(`${ready}.tmp`, ready);
      if (process.env.RADAR_TEST_PG_VERBOSE) console.error(`[postgres] throwaway cluster ready in ${ms} ms at ${dir}`);
      return;
    } catch (err) {
      writeFileSync(failed, String((err as Error).stack ?? err));
      throw err;
    }
  }
  for (let waited = 0; waited < 120_000; waited += 100) {
    if (existsSync(ready)) return;
    if (existsSync(failed)) throw new Error(`the test PostgreSQL cluster failed to start:\n${readFileSync(failed, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for the test PostgreSQL cluster in ${dir}`);
}

async function adminValue(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(sql);
    return r.rows[0] ? Object.values(r.rows[0])[0] : undefined;
  } finally {
    await client.end();
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  await adminValue(url, sql);
}

let counter = 0;

export interface TestDatabase {
  url: string;
  /** Drops the database (after every connection to it is closed or forced off). */
  drop(): Promise<void>;
}

/** A new, empty database with the current schema; the caller drops it. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const s = await getServer();
  const name = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = s.url('postgres');
  // FILE_COPY copies the template's files instead of WAL-logging every page: ~60 ms rather than ~130 ms.
  const from = opts.empty || !s.template ? 'TEMPLATE template0' : `TEMPLATE ${s.template}${s.hasStrategy ? ' STRATEGY FILE_COPY' : ''}`;
  await adminQuery(admin, `CREATE DATABASE ${name} ${from}`);
  return {
    url: s.url(name),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
