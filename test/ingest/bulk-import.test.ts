/**
 * The switch to a bulk load: an import that grows past the threshold defers
 * full-text upkeep and rebuilds it at the end, leaving the same searchable
 * database the incremental path leaves; an import told `never` keeps the
 * triggers throughout; a database already holding many papers needs a quarter
 * of them added before a switch pays. A bulk import stores the same papers an
 * incremental one does (merges within the file included), and reports a bad
 * record by file and line while the rest of its batch lands.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import type { StoredPaper } from '../../src/store/types.ts';
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

/** Records that merge: one paper under its arXiv id, its DOI and its title alone; a paper seen twice with a longer abstract. */
function mergingCorpus(dir: string): string {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 240; i++) {
    rows.push({ id: `2503.${String(20000 + i)}`, title: `Dense retrieval study ${i}`, abstract: `Evaluation ${i} of dense and sparse retrievers on scientific text.`, authors: [`A. Author ${i % 7}`, 'B. Writer'], categories: ['cs.IR', i % 2 ? 'cs.CL' : 'cs.LG'], announced: '2025-03-04' });
    if (i % 10 === 3) rows.push({ title: `Dense retrieval study ${i}`, doi: `10.1234/drs.${i}`, upvotes: i });
    if (i % 10 === 7) rows.push({ id: `2503.${String(20000 + i)}v2`, abstract: `Evaluation ${i} of dense and sparse retrievers on scientific text, with a second set of experiments.` });
  }
  const path = join(dir, 'merging.jsonl');
  writeFileSync(path, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

async function storedPapers(db: string): Promise<{ papers: Omit<StoredPaper, 'seq'>[]; keys: unknown[]; provenance: unknown[]; hits: number[] }> {
  const store = new SqliteStore(db);
  try {
    const papers: Omit<StoredPaper, 'seq'>[] = [];
    for await (const batch of store.papers.scanPapers(100)) for (const { seq: _seq, ...p } of batch) papers.push(p);
    return {
      papers,
      keys: store.db.prepare('SELECT key, pk FROM paper_keys ORDER BY key, pk').all(),
      provenance: store.db.prepare('SELECT pk, kind, locator, fields FROM provenance ORDER BY pk, locator').all(),
      hits: store.db.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'experiments' ORDER BY rowid").pluck().all() as number[],
    };
  } finally {
    await store.close();
  }
}

describe('bulk import: same outcome, bad records', () => {
  it('stores the same papers, keys and provenance as an incremental import of the same records', async () => {
    const dir = tempDir();
    const file = mergingCorpus(dir);
    await run(join(dir, 'bulk.db'), file, { bulk: 'always' });
    await run(join(dir, 'incremental.db'), file, { bulk: 'never' });
    const bulk = await storedPapers(join(dir, 'bulk.db'));
    const incremental = await storedPapers(join(dir, 'incremental.db'));
    expect(bulk.papers).toHaveLength(240);
    // The merges happened: DOIs and second versions folded into the arXiv papers.
    expect(bulk.papers.filter((p) => p.doi && p.arxivId)).toHaveLength(24);
    expect(bulk.hits).toHaveLength(24);
    expect(bulk).toEqual(incremental);
  });

  it('reports a record the store refuses by file and line, and the rest of its batch lands', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const path = corpus(dir, 'a.jsonl', 0, 120);
    // One line that is not JSON, and one record the database refuses mid-batch.
    const text = readFileSync(path, 'utf8').split('\n');
    text.splice(40, 0, '{"id": "2502.99999", "title": "cut short');
    writeFileSync(path, text.join('\n'));
    const store = new SqliteStore(db);
    store.db.exec("CREATE TRIGGER poison BEFORE INSERT ON papers WHEN NEW.title = 'Bulk paper 77' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;");
    try {
      const said: string[] = [];
      const report = await importInputs(store, [{ path }], { now: () => new Date('2025-02-04T00:00:00Z'), batchSize: 50, bulk: 'always', onBulkProgress: (m) => said.push(m) });
      expect(said.some((m) => /bulk load: done/.test(m))).toBe(true);
      expect(report.files[0].rejected).toEqual([
        expect.objectContaining({ locator: `${path}:41`, severity: 'error', message: expect.stringMatching(/^line 41 is not valid JSON/) }),
        { locator: `${path}:79`, severity: 'error', message: 'could not be stored: poisoned row' },
      ]);
      expect(report.files[0].counts.added).toBe(119);
    } finally {
      await store.close();
    }
    const s = searchable(db);
    expect(s).toMatchObject({ papers: 119, indexed: 119, pending: 0 });
    expect(s.found('measurement series 78')).toBe(1);
    expect(s.found('measurement series 77')).toBe(0);
  });
});

describe('bulk import: another writer', () => {
  it('finds a paper another process stored during the bulk load instead of adding it again', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const now = '2025-02-04T00:00:00Z';
    const rec = (i: number, locator: string) => ({ arxivId: `2502.${30000 + i}`, title: `Concurrent paper ${i}`, source: { kind: 'jsonl' as const, locator, seenAt: now } });
    const bulk = new SqliteStore(db);
    const other = new SqliteStore(db);
    try {
      await bulk.bulk.begin(now);
      expect((await bulk.papers.upsertPapers([rec(1, 'a:1'), rec(2, 'a:2')], now)).counts.added).toBe(2);
      // Written by another connection, whose keys the bulk load's key filter never saw.
      expect((await other.papers.upsertPapers([rec(3, 'b:1')], now)).counts.added).toBe(1);
      const again = await bulk.papers.upsertPapers([rec(3, 'a:3'), rec(1, 'a:4'), rec(4, 'a:5')], now);
      expect(again.counts).toMatchObject({ added: 1, unchanged: 2 });
      await bulk.bulk.finish();
    } finally {
      await other.close();
      await bulk.close();
    }
    expect(searchable(db)).toMatchObject({ papers: 4, indexed: 4, pending: 0 });
  });
});
