/**
 * The `data` column holds a paper's record without the title and abstract its
 * own columns hold; rows written before that (with both copies) read back the
 * same, and rewriting such a row drops the copy.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { tempDir } from '../../helpers/tmp.ts';

const NOW = '2026-03-01T00:00:00Z';
const record = (title: string, abstract: string) => ({
  arxivId: '2602.01234',
  title,
  abstract,
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.IR'],
  announced: '2026-02-27',
  source: { kind: 'arxiv-api' as const, locator: 'api#1', seenAt: NOW },
});

describe('paper data column (SQLite)', () => {
  it('keeps the title and abstract once, in their columns, and reads the whole paper back', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers([record('Sparse retrieval at scale', 'We index a million papers on one machine.')], NOW);
    const row = store.db.prepare('SELECT title, abstract, data FROM papers').get() as { title: string; abstract: string; data: string };
    const data = JSON.parse(row.data) as Record<string, unknown>;
    expect(data).not.toHaveProperty('title');
    expect(data).not.toHaveProperty('abstract');
    expect(data).toMatchObject({ id: 'arxiv:2602.01234', authors: ['Ada Lovelace', 'Alan Turing'], categories: ['cs.IR'] });
    const paper = await store.papers.getPaper('arxiv:2602.01234');
    expect(paper).toMatchObject({ title: 'Sparse retrieval at scale', abstract: 'We index a million papers on one machine.', authors: ['Ada Lovelace', 'Alan Turing'] });
    // The same keys in the same order as the record the merge built (what `radar show --json` prints).
    expect(Object.keys(paper!).slice(0, 3)).toEqual(['id', 'title', 'abstract']);
    await store.close();
  });

  it('keeps text a column cannot give back exactly (a lone surrogate, NUL) in data, so a re-import finds it unchanged', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    const odd = record('A lone \ud800 surrogate', 'And a NUL\u0000 here.');
    await store.papers.upsertPapers([odd], NOW);
    expect(JSON.parse((store.db.prepare('SELECT data FROM papers').get() as { data: string }).data)).toMatchObject({ title: odd.title, abstract: odd.abstract });
    expect(await store.papers.getPaper('arxiv:2602.01234')).toMatchObject({ title: odd.title, abstract: odd.abstract });
    expect((await store.papers.upsertPapers([{ ...odd, source: { ...odd.source, locator: 'api#2' } }], NOW)).counts.unchanged).toBe(1);
    await store.close();
  });

  it('reads rows written with the title and abstract inside data the same, and drops the copy when it rewrites one', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers([record('Old row', 'An abstract stored the old way, twice.')], NOW);
    const before = await store.papers.getPaper('arxiv:2602.01234');
    // The form rows had before: the whole paper in data.
    const { pk: _pk, seq: _seq, ...whole } = before!;
    store.db.prepare('UPDATE papers SET data = ?').run(JSON.stringify(whole));
    expect(await store.papers.getPaper('arxiv:2602.01234')).toEqual(before);
    expect((await store.papers.getPapersByPk([before!.pk]))[0]).toEqual(before);
    const [scanned] = await store.papers.scanPapers(10).next().then((r) => r.value!);
    expect(scanned).toEqual(before);

    await store.papers.upsertPapers([{ ...record('Old row', 'An abstract stored the old way, twice, now longer.'), source: { kind: 'arxiv-api', locator: 'api#2', seenAt: NOW } }], NOW);
    const data = JSON.parse((store.db.prepare('SELECT data FROM papers').get() as { data: string }).data) as Record<string, unknown>;
    expect(data).not.toHaveProperty('abstract');
    expect((await store.papers.getPaper('arxiv:2602.01234'))?.abstract).toBe('An abstract stored the old way, twice, now longer.');
    await store.close();
  });
});
