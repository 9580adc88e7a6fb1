/**
 * Runs a store test suite against every backend available here. SQLite always;
 * PostgreSQL is added by the PostgreSQL store work (a throwaway cluster started
 * by the test setup). Store tests use `describeEachBackend` so both backends
 * are held to the same behaviour.
 */
import { join } from 'node:path';
import { describe, onTestFinished } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { tempDir } from './tmp.ts';

export interface Backend {
  name: string;
  /** A fresh, empty store; closed after the current test. */
  open(opts?: { now?: () => Date }): Promise<Store>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async open(opts) {
    const store = new SqliteStore(join(tempDir(), 'radar.db'), opts);
    onTestFinished(() => store.close());
    return store;
  },
};

export const BACKENDS: Backend[] = [sqlite];

export function describeEachBackend(name: string, fn: (backend: Backend) => void): void {
  for (const backend of BACKENDS) describe(`${name} [${backend.name}]`, () => fn(backend));
}
