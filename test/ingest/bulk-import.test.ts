/**
 * The switch to a bulk load: an import that grows past the threshold defers
 * full-text upkeep and rebuilds it at the end, leaving the same searchable
 * database the incremental path leaves; an import told `never` keeps the
 * triggers throughout; a database already holding many papers needs a quarter
 * of them added before a switch pays.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

function corpus(dir: string, name: string, from: number, n: number): string {
  const path = join(dir, name);
  const lines = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return JSON.stringify({ id: `2502.${String(10000 + i)}`, title: `Bulk paper ${i}`, abstract: `Measurement series ${i} of sparse retrieval.`, categories: ['cs.IR'], announced: '2025-02-03' });
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function run(db: string, file: string, opts: { bulk?: 'auto' | 'always' | 'never'; bulkAfter?: number }): Promise<string[]> {
  const store = new SqliteStore(db);
  const said: string[] = [];
  try {
    await importInputs(store, [{ path: file }], { now: () => new Date('2025-02-04T00:00:00Z'), batchSize: 50, onBulkProgress: (m) => said.push(m), ...opts });
  } finally {
    await store.close();
  }
  return said;
}

function searchable(db: string): { papers: number; indexed: number; found: (phrase: string) => number; pending: number } {
  // Left open for `found`; the test's temp dir goes with the process.
  const d = new Database(db);
  d.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)");
  return {
    papers: (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n,
    indexed: (d.prepare('SELECT count(*) AS n FROM papers_title_fts_docsize').get() as { n: number }).n,
    pending: (d.prepare("SELECT count(*) AS n FROM kv_state WHERE key = 'bulk-load'").get() as { n: number }).n,
    found: (phrase: string) => (d.prepare('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?').get(`"${phrase}"`) as { n: number }).n,
  };
}

describe('bulk import switch', () => {
  it('switches once the import has added enough papers, and ends with every paper searchable', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const said = await run(db, corpus(dir, 'a.jsonl', 0, 300), { bulkAfter: 100 });
    expect(said[0]).toMatch(/^bulk load: 100 papers added so far/);
    expect(said.some((m) => /rebuilding full-text index papers_fts over 300 papers: done/.test(m))).toBe(true);
    const s = searchable(db);
    expect(s).toMatchObject({ papers: 300, indexed: 300, pending: 0 });
    // Papers stored before the switch (incremental) and after it (bulk) alike.
    expect(s.found('measurement series 0')).toBe(1);
    expect(s.found('measurement series 299')).toBe(1);
  });

  it('`never` keeps the incremental path; a later bulk import into a bigger database waits for a quarter of it', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    expect(await run(db, corpus(dir, 'a.jsonl', 0, 800), { bulk: 'never', bulkAfter: 100 })).toEqual([]);
    expect(searchable(db)).toMatchObject({ papers: 800, indexed: 800, pending: 0 });
    // 800 stored: the switch comes at 200 added, not at 100.
    const said = await run(db, corpus(dir, 'b.jsonl', 800, 300), { bulkAfter: 100 });
    expect(said[0]).toMatch(/^bulk load: 200 papers added so far/);
    const s = searchable(db);
    expect(s).toMatchObject({ papers: 1100, indexed: 1100, pending: 0 });
    expect(s.found('measurement series 1099')).toBe(1);
  });
});
