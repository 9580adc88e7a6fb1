/**
 * Runs a store test suite against every backend: SQLite always; PostgreSQL on
 * a throwaway cluster the test run starts itself (test/helpers/postgres.ts),
 * skipped with the reason when PostgreSQL is not installed. Store tests use
 * `describeEachBackend` so both backends are held to the same behaviour.
 */
import { join } from 'node:path';
import { describe, onTestFinished } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { createTestDatabase, postgresUnavailable } from './postgres.ts';
import { tempDir } from './tmp.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty store; closed (and its database removed) after the current test. */
  open(opts?: { now?: () => Date }): Promise<Store>;
  /**
   * Another handle on the same database as `store` (its own connection or
   * pool), as a second process would have; closed after the current test.
   */
  another(store: Store, opts?: { now?: () => Date }): Promise<Store>;
  /** Where `open()` would put a fresh database (file path or URL), without opening it; removed after the test. */
  location(): Promise<string>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async open(opts) {
    const store = new SqliteStore(join(tempDir(), 'radar.db'), opts);
    onTestFinished(() => store.close());
    return store;
  },
  async another(store, opts) {
    const other = new SqliteStore(store.location, opts);
    onTestFinished(() => other.close());
    return other;
  },
  async location() {
    return join(tempDir(), 'radar.db');
  },
};

/** The URL each open PostgreSQL test store was opened with (its `location` hides nothing, but keep the mapping explicit). */
const pgUrls = new WeakMap<Store, string>();

const postgres: Backend = {
  name: 'postgres',
  async open(opts) {
    const db = await createTestDatabase();
    const store = await PostgresStore.open(db.url, opts);
    pgUrls.set(store, db.url);
    onTestFinished(async () => {
      await store.close();
      await db.drop();
    });
    return store;
  },
  async another(store, opts) {
    const url = pgUrls.get(store);
    if (!url) throw new Error('another(): not a store opened by this backend');
    const other = await PostgresStore.open(url, opts);
    pgUrls.set(other, url);
    onTestFinished(() => other.close());
    return other;
  },
  async location() {
    const db = await createTestDatabase({ empty: true });
    onTestFinished(() => db.drop());
    return db.url;
  },
};

export const BACKENDS: Backend[] = [sqlite, postgres];

export function describeEachBackend(name: string, fn: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const unavailable = backend.name === 'postgres' ? postgresUnavailable() : undefined;
    if (unavailable) describe.skip(`${name} [${backend.name}] (skipped: ${unavailable})`, () => fn(backend));
    else describe(`${name} [${backend.name}]`, () => fn(backend));
  }
}
