import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { HttpClient } from '../../../src/ingest/http/client.ts';
import type { FetchDeps } from '../../../src/ingest/http/report.ts';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { tempDir } from '../../helpers/tmp.ts';

/** A fresh store, a fast polite client and a fixed clock: what a fetcher needs in a test. */
export function fetchDeps(opts: { now?: string; dir?: string; timeoutMs?: number } = {}): FetchDeps & { store: SqliteStore; waits: number[]; lines: string[] } {
  const dir = opts.dir ?? tempDir();
  const store = new SqliteStore(join(dir, 'radar.db'));
  onTestFinished(() => store.close());
  const waits: number[] = [];
  const lines: string[] = [];
  const client = new HttpClient({
    userAgent: 'PaperRadar-test (mailto:test@example.org)',
    minIntervalMs: 1,
    timeoutMs: opts.timeoutMs ?? 2000,
    maxRetries: 2,
    baseBackoffMs: 2,
    maxBackoffMs: 4,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 2)));
    },
  });
  const now = new Date(opts.now ?? '2025-03-11T10:00:00Z');
  return { client, store, now: () => now, waits, lines, log: (l) => lines.push(l) };
}
