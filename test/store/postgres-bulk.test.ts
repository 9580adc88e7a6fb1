/**
 * Bulk loading on PostgreSQL: a bulk import writes the papers without the
 * search table's triggers and the query-only indexes, then leaves the same
 * searchable database an incremental import leaves (every index back with its
 * definition, one search-table row per paper, first and last batch findable).
 * A `radar import --bulk` killed mid-way leaves its record; the next import
 * resumes it, and `radar doctor` finishes an abandoned one.
 */
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import { parseQuery } from '../../src/query/parse.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../helpers/postgres.ts';
import { writeBulkCorpus } from '../helpers/bulk-corpus.ts';
import { tempDir } from '../helpers/tmp.ts';
import { spawnRadar } from '../jobs/spawn-radar.ts';

const N = 4000;

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Trigger and index definitions on the paper tables, as the server prints them. */
async function schema(url: string): Promise<string[]> {
  const rows = await query<{ d: string }>(
    url,
    `SELECT pg_get_triggerdef(t.oid) AS d FROM pg_trigger t WHERE t.tgrelid = 'papers'::regclass AND NOT t.tgisinternal
     UNION ALL SELECT indexdef FROM pg_indexes WHERE tablename IN ('papers', 'paper_fts', 'paper_authors', 'paper_categories', 'paper_keys')`,
  );
  return rows.map((r) => r.d).sort();
}

/** What a finished load leaves: no record, the schema as before, every paper in the search table once and findable. */
async function expectConsistent(url: string, before: string[], papers: number, last = papers - 1): Promise<void> {
  expect(await query(url, "SELECT 1 FROM kv_state WHERE key = 'bulk-load'")).toEqual([]);
  expect(await schema(url)).toEqual(before);
  const [n] = await query<{ papers: number; fts: number; missing: number }>(
    url,
    `SELECT (SELECT count(*)::int FROM papers) AS papers, (SELECT count(*)::int FROM paper_fts) AS fts,
            (SELECT count(*)::int FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_fts f WHERE f.pk = p.pk AND f.fts = p.fts)) AS missing`,
  );
  expect(n).toEqual({ papers, fts: papers, missing: 0 });
  const store = await PostgresStore.open(url);
  try {
    for (const i of [0, last]) {
      const page = await store.search.searchKeyword({
        query: parseQuery(`"experiment number ${i}"`).query,
        sort: 'relevance',
        limit: 5,
        offset: 0,
      });
      expect(page.total, `experiment number ${i}`).toBe(1);
    }
  } finally {
    await store.close();
  }
}

const unavailable = postgresUnavailable();
const pgIt = (name: string, fn: (db: TestDatabase) => Promise<void>) =>
  it.skipIf(!!unavailable)(`[postgres] ${name}${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const db = await createTestDatabase();
    try {
      await fn(db);
    } finally {
      await db.drop();
    }
  }, 240_000);

describe('bulk loading on PostgreSQL', () => {
  pgIt('defers the search table and the query-only indexes, and leaves the schema and the search as an incremental import would', async (db) => {
    const before = await schema(db.url);
    const file = join(tempDir(), 'papers.jsonl');
    writeBulkCorpus(file, 600);
    const store = await PostgresStore.open(db.url);
    const said: string[] = [];
    let midway: { triggers: number; indexes: number; fts: number } | undefined;
    try {
      // A paper stored before the load, changed by it: the rebuild must carry its new vector too.
      await store.papers.upsertPapers([{ arxivId: '2501.10000', title: 'Old title', abstract: 'Nothing yet.', source: { kind: 'manual', locator: 'm:1', seenAt: '2025-01-01T00:00:00Z' } }], '2025-01-01T00:00:00Z');
      const state = await store.bulk.begin('2025-02-04T00:00:00Z');
      expect(state.deferred).toEqual(expect.arrayContaining(['trigger paper_fts_sync_insert', 'index paper_fts_gin', 'index papers_fts', 'index papers_seq']));
      await store.papers.upsertPapers([{ arxivId: '2409.99999', title: 'Written while loading', abstract: 'Midway.', source: { kind: 'manual', locator: 'm:2', seenAt: '2025-01-02T00:00:00Z' } }], '2025-01-02T00:00:00Z');
      [midway] = await query<{ triggers: number; indexes: number; fts: number }>(
        db.url,
        `SELECT (SELECT count(*)::int FROM pg_trigger WHERE tgname LIKE 'paper_fts_sync%') AS triggers,
                (SELECT count(*)::int FROM pg_indexes WHERE indexname IN ('papers_fts', 'paper_fts_gin', 'papers_seq')) AS indexes,
                (SELECT count(*)::int FROM paper_fts) AS fts`,
      );
      // The import finds the load pending and carries it on, then finishes it.
      await importInputs(store, [{ path: file }], { now: () => new Date('2025-02-04T00:00:00Z'), batchSize: 100, onBulkProgress: (m) => said.push(m) });
    } finally {
      await store.close();
    }
    expect(said[0]).toMatch(/bulk load: resuming the bulk load begun 2025-02-04/);
    expect(said).toContainEqual(expect.stringMatching(/bulk load: creating index paper_fts_gin: done/));
    // While loading: no copying triggers, no full-text indexes, and only the paper stored before in the search table.
    expect(midway).toEqual({ triggers: 0, indexes: 0, fts: 1 });
    await expectConsistent(db.url, before, 601, 599);
    const [changed] = await query<{ ok: boolean }>(db.url, "SELECT f.fts @@ to_tsquery('radar_english', 'experiment') AS ok FROM paper_fts f JOIN papers p USING (pk) WHERE id = 'arxiv:2501.10000'");
    expect(changed).toEqual({ ok: true });
  });

  /** Starts `radar import --bulk` and kills it once some batches have landed. */
  async function killedBulkImport(db: TestDatabase): Promise<{ file: string; landed: number }> {
    const file = join(tempDir(), 'papers.jsonl');
    writeBulkCorpus(file, N);
    const victim = spawnRadar(['import', file, '--db', db.url, '--bulk', '--batch-size', '200']);
    const count = async () => (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM papers'))[0].n;
    for (let i = 0; i < 1200 && (await count()) < 600; i++) await new Promise((r) => setTimeout(r, 50));
    victim.child.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    const landed = await count();
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(N);
    expect(await query(db.url, "SELECT 1 FROM kv_state WHERE key = 'bulk-load'")).toHaveLength(1);
    expect(await query(db.url, "SELECT 1 FROM pg_indexes WHERE indexname = 'paper_fts_gin'")).toHaveLength(0);
    return { file, landed };
  }

  pgIt('killed during a bulk load, the next import resumes it and leaves the database consistent', async (db) => {
    const before = await schema(db.url);
    const { file, landed } = await killedBulkImport(db);
    const rerun = spawnRadar(['import', file, '--db', db.url, '--json']);
    const done = await rerun.exit;
    expect(done.code, rerun.stderr()).toBe(0);
    expect(rerun.stderr()).toMatch(/bulk load: resuming the bulk load begun/);
    const report = JSON.parse(rerun.stdout());
    expect(report.totals.added).toBe(N - landed);
    // The papers of the killed run are in the search table too: the fill covers everything written since the load began.
    await expectConsistent(db.url, before, N);
  });

  pgIt('killed during a bulk load, `radar doctor` notices and finishes it', async (db) => {
    const before = await schema(db.url);
    const { landed } = await killedBulkImport(db);
    const check = spawnRadar(['doctor', '--check-only', '--json', '--db', db.url]);
    expect((await check.exit).code).toBe(1);
    const found = JSON.parse(check.stdout()).checks.find((c: { name: string }) => c.name === 'bulk load');
    expect(found).toMatchObject({ ok: false, detail: expect.stringMatching(/did not finish: trigger paper_fts_sync_insert/) });
    const doctor = spawnRadar(['doctor', '--json', '--db', db.url]);
    await doctor.exit;
    const fixed = JSON.parse(doctor.stdout()).checks.find((c: { name: string }) => c.name === 'bulk load');
    expect(fixed).toMatchObject({ ok: true, repaired: expect.stringMatching(/search table filled/) });
    await expectConsistent(db.url, before, landed);
  });
});
