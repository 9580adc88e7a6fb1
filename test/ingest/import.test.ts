import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInputs, isStoreFailure, type AfterImportHook } from '../../src/ingest/import.ts';
import { locatorName } from '../../src/ingest/read.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withParts } from '../helpers/wrap-store.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'ingest');
const fixtures = (...names: string[]) => names.map((n) => ({ path: join(FIXTURES, n) }));
const clock = () => {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return () => new Date((t += 1000));
};

async function snapshot(store: Store) {
  const out: unknown[] = [];
  for await (const page of store.papers.scanPapers(500)) out.push(...page);
  return out;
}

function jsonl(dir: string, name: string, rows: object[]): { path: string } {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { path };
}

describeEachBackend('importInputs', (backend) => {
  it('imports every fixture format and merges the same paper from different sources into one record', async () => {
    const store = await backend.open();
    const files = readdirSync(FIXTURES).filter((f) => /\.(xml|json|jsonl|bib)$/.test(f));
    const report = await importInputs(store, fixtures(...files), { now: clock() });
    expect(report.totals.unreadable).toBe(0);
    expect(report.files.every((f) => f.format !== null)).toBe(true);
    const attention = await store.papers.getPaper('arxiv:1706.03762');
    expect(attention?.title).toBe('Attention Is All You Need');
    // arXiv's own 8 authors win over the shorter lists from Atom (3), BibTeX (4) and CSL (2).
    expect(attention?.authors).toHaveLength(8);
    expect(attention?.published).toBe('2017-06-12');
    const provenanceKinds = new Set((await store.papers.provenance(attention!.pk)).map((p) => p.source.kind));
    expect(provenanceKinds).toEqual(new Set(['arxiv-api', 'arxiv-snapshot', 'bibtex', 'csl-json']));
    const swi = await store.papers.getPaper('2510.05069');
    expect(swi?.signals).toMatchObject({ upvotes: 12, organization: 'Georgia Institute of Technology', featuredOn: '2025-10-07' });
    expect(swi?.categories).toEqual(['cs.CL', 'cs.AI', 'cs.LG']);
    // BERT: the conference DOI (BibTeX, CSL) and the arXiv record share a title: one paper, found by either id.
    const byDoi = await store.papers.getPaper('doi:10.18653/v1/n19-1423');
    expect(byDoi).toMatchObject({ id: 'arxiv:1810.04805', doi: '10.18653/v1/n19-1423' });
    expect((await store.papers.getPaper('1810.04805'))?.pk).toBe(byDoi?.pk);
  });

  it('changes nothing when the same inputs are imported again', async () => {
    const store = await backend.open();
    const inputs = fixtures('arxiv-api.xml', 'oai-arxivraw.xml', 'kaggle-snapshot.jsonl', 'zotero.bib', 'hf-daily-papers.json');
    const first = await importInputs(store, inputs, { now: clock() });
    const before = { stats: await store.papers.stats(), papers: await snapshot(store) };
    const second = await importInputs(store, inputs, { now: clock() });
    const accepted = first.totals.added + first.totals.updated + first.totals.unchanged;
    expect(second.totals).toMatchObject({ added: 0, updated: 0, merged: 0, unchanged: accepted });
    expect(await store.papers.stats()).toEqual(before.stats);
    expect(await snapshot(store)).toEqual(before.papers);
  });

  it('reports rejected records with their locators and lets the good ones land', async () => {
    const store = await backend.open();
    const report = await importInputs(store, fixtures('generic.jsonl', 'zotero-csl.json'), { now: clock() });
    const [generic, csl] = report.files;
    expect(generic.counts.added).toBe(4);
    // Locators name the file by its path (relative to the working directory when under it).
    const g = locatorName(join(FIXTURES, 'generic.jsonl'));
    expect(g).toBe('test/fixtures/ingest/generic.jsonl');
    expect(generic.rejected.map((p) => p.locator)).toEqual([`${g}:5`, `${g}:6`, `${g}:7`]);
    expect(generic.rejected[0].message).toMatch(/no arXiv id, DOI, title or abstract/);
    const c = locatorName(join(FIXTURES, 'zotero-csl.json'));
    expect(csl.rejected.map((p) => p.locator)).toEqual([`${c}#3`, `${c}#4`]);
    expect(report.totals).toMatchObject({ rejected: 5, unreadable: 0 });
  });

  it('reports an unreadable input and still imports the others', async () => {
    const store = await backend.open();
    const dir = tempDir();
    writeFileSync(join(dir, 'binary.dat'), Buffer.from([0, 1, 2, 3, 0, 0, 0, 9, 8, 7]));
    const report = await importInputs(store, [{ path: join(dir, 'binary.dat') }, { path: join(dir, 'missing.bib') }, ...fixtures('zotero.bib')], {
      now: clock(),
    });
    expect(report.files.map((f) => f.unreadable === undefined)).toEqual([false, false, true]);
    expect(report.files[0].unreadable).toMatch(/binary data/);
    expect(report.files[1].unreadable).toBe('no such file');
    expect(report.totals).toMatchObject({ unreadable: 2, added: 3, updated: 1 });
  });

  it('stores HTML and script in titles as text, verbatim', async () => {
    const store = await backend.open();
    const title = '<script>alert("owned")</script> <img src=x onerror=alert(1)> & Friends';
    await importInputs(store, [jsonl(tempDir(), 'x.jsonl', [{ id: '2501.00042', title, abstract: '<b>bold</b> claims' }])], { now: clock() });
    const p = await store.papers.getPaper('arxiv:2501.00042');
    expect(p?.title).toBe(title);
    expect(p?.abstract).toBe('<b>bold</b> claims');
  });

  it('cuts a 50 MB field with a warning instead of storing it', async () => {
    const store = await backend.open();
    const dir = tempDir();
    const path = join(dir, 'big.csl.json');
    writeFileSync(path, JSON.stringify([{ type: 'article', title: 'Big', abstract: 'z'.repeat(50 * 1024 * 1024), DOI: '10.1000/big' }]));
    const report = await importInputs(store, [{ path }], { now: clock() });
    expect(report.files[0].counts.added).toBe(1);
    expect(report.files[0].warnings[0]).toMatchObject({ field: 'abstract', severity: 'warning' });
    const p = await store.papers.getPaper('doi:10.1000/big');
    expect(p?.abstract.length).toBe(20_000);
    expect(p?.abstractTruncated).toBe(true);
  });

  it('commits batch by batch: an interrupted import keeps whole batches, and a re-run finishes the job', async () => {
    const store = await backend.open();
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `2502.${String(i + 1).padStart(5, '0')}`, title: `Paper ${i + 1}` }));
    const input = jsonl(tempDir(), 'ten.jsonl', rows);
    let flushes = 0;
    await expect(
      importInputs(store, [input], {
        now: clock(),
        batchSize: 3,
        onProgress: (p) => {
          if (p.records > 0 && ++flushes === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect((await store.papers.stats()).papers).toBe(6);
    const rerun = await importInputs(store, [input], { now: clock(), batchSize: 3 });
    expect(rerun.totals).toMatchObject({ added: 4, unchanged: 6 });
    expect((await store.papers.stats()).papers).toBe(10);
  });

  it('runs the after-import hooks once when something changed, and reports a failing hook', async () => {
    const store = await backend.open();
    const calls: number[] = [];
    const hooks: AfterImportHook[] = [
      { name: 'count', run: async (_s, r) => void calls.push(r.totals.added) },
      { name: 'broken', run: async () => Promise.reject(new Error('index unavailable')) },
    ];
    const first = await importInputs(store, fixtures('zotero.bib'), { now: clock(), afterImport: hooks });
    expect(calls).toEqual([3]);
    expect(first.hooks).toEqual([
      { name: 'count', ok: true },
      { name: 'broken', ok: false, error: 'index unavailable' },
    ]);
    const again = await importInputs(store, fixtures('zotero.bib'), { now: clock(), afterImport: hooks });
    expect(calls).toEqual([3]);
    expect(again.hooks).toEqual([]);
  });
});

describe('importInputs on SQLite: a batch that fails half-way', () => {
  it('rolls the batch back, retries its records one by one, and reports the one that cannot be stored', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      // A real failure inside the transaction, after other rows of the batch were written.
      store.db.exec("CREATE TRIGGER poison BEFORE INSERT ON papers WHEN NEW.title = 'Poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;");
      const rows = ['A', 'B', 'Poison', 'D', 'E'].map((t, i) => ({ id: `2503.0000${i + 1}`, title: t }));
      const input = jsonl(tempDir(), 'p.jsonl', rows);
      const report = await importInputs(store, [input], { now: clock(), batchSize: 5 });
      expect(report.files[0].counts.added).toBe(4);
      expect(report.files[0].rejected).toEqual([{ locator: `${input.path}:3`, severity: 'error', message: 'could not be stored: poisoned row' }]);
      const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM papers')).toBe(4);
      // Nothing of the failed attempt is left behind: keys, provenance and the full-text index match the papers.
      expect(count("SELECT count(*) AS n FROM paper_keys WHERE key = 'arxiv:2503.00003'")).toBe(0);
      expect(count('SELECT count(DISTINCT pk) AS n FROM provenance')).toBe(4);
      expect(count("SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'poison'")).toBe(0);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await store.close();
    }
  });
});

describeEachBackend('importInputs: provenance and after-import progress', (backend) => {
  it('keeps apart the provenance of same-named files in different folders', async () => {
    const store = await backend.open();
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const a = jsonl(join(dir, 'a'), 'papers.jsonl', [{ id: '2504.00001', title: 'Same paper', abstract: 'From a.' }]);
    const b = jsonl(join(dir, 'b'), 'papers.jsonl', [{ id: '2504.00001', title: 'Same paper', abstract: 'From b, longer.' }]);
    await importInputs(store, [a, b], { now: clock() });
    const paper = await store.papers.getPaper('arxiv:2504.00001');
    const locators = (await store.papers.provenance(paper!.pk)).map((p) => p.source.locator).sort();
    expect(locators).toEqual([`${a.path}:1`, `${b.path}:1`]);
  });

  it('passes the after-import hooks\' progress on', async () => {
    const store = await backend.open();
    const lines: string[] = [];
    const hooks: AfterImportHook[] = [{ name: 'slow', run: async (_s, _r, o) => ['stage 1', 'stage 2'].forEach((m) => o.onProgress?.(m)) }];
    await importInputs(store, fixtures('zotero.bib'), { now: clock(), afterImport: hooks, onHookProgress: (m) => lines.push(m) });
    expect(lines).toEqual(['stage 1', 'stage 2']);
  });
});

describe('importInputs: the store itself failing', () => {
  it('tells store failures (SQLite, PostgreSQL, the connection) from a bad record', () => {
    const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
    for (const e of [
      err('database is locked', 'SQLITE_BUSY'),
      err('Connection terminated unexpectedly'),
      err('Client has encountered a connection error and is not queryable'),
      err('terminating connection due to administrator command', '57P01'),
      err('could not serialize access', '40001'),
      err('deadlock detected', '40P01'),
      err('could not extend file: No space left on device', '53100'),
      err('connection failure', '08006'),
      err('read ECONNRESET', 'ECONNRESET'),
      new Error('batch failed', { cause: err('Connection terminated unexpectedly') }),
    ]) {
      expect(isStoreFailure(e), e.message).toBe(true);
    }
    for (const e of [
      err('poisoned row'),
      err('value too long for type character varying(20)', '22001'),
      err('duplicate key value violates unique constraint', '23505'),
      err('SQLITE_CONSTRAINT: NOT NULL constraint failed', 'SQLITE_CONSTRAINT_NOTNULL'),
      err('pipe', 'EPIPE-ish'),
    ]) {
      expect(isStoreFailure(e), e.message).toBe(false);
    }
  });

  it('a lost PostgreSQL connection aborts the import at that batch: no record-by-record retry, no record blamed', async () => {
    const real = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      let calls = 0;
      // The store as a PostgreSQL store behaves when the server goes away mid-import.
      const store = withParts(real, {
        papers: {
          upsertPapers: async (...args: Parameters<Store['papers']['upsertPapers']>) => {
            if (++calls === 2) throw new Error('Connection terminated unexpectedly');
            return real.papers.upsertPapers(...args);
          },
        },
      });
      const rows = Array.from({ length: 9 }, (_, i) => ({ id: `2505.0000${i + 1}`, title: `Paper ${i + 1}` }));
      await expect(importInputs(store, [jsonl(tempDir(), 'pg.jsonl', rows)], { now: clock(), batchSize: 3 })).rejects.toThrow(
        'Connection terminated unexpectedly',
      );
      expect(calls).toBe(2);
      expect((await real.papers.stats()).papers).toBe(3);
    } finally {
      await real.close();
    }
  });
});
