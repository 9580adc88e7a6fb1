import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bagOfWords, keywordRetrieve, reciprocalRankFusion, searchPapers, type DenseRetriever } from '../../src/rank/search.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SEARCH_FIXTURE } from '../store/search-fixture.ts';

async function store(): Promise<SqliteStore> {
  const s = new SqliteStore(join(tempDir(), 'radar.db'));
  await s.papers.upsertPapers(SEARCH_FIXTURE, '2025-06-01T00:00:00Z');
  return s;
}

describe('searchPapers', () => {
  it('returns the parsed query, hits with the fields a results list needs, and highlighted snippets', async () => {
    const s = await store();
    const r = await searchPapers({ store: s }, 'neural collapse -dropout', { limit: 3 });
    expect(r.query).toMatchObject({ understood: 'neural collapse -dropout', sort: 'relevance', mode: 'bm25', relaxed: true });
    expect(r.hits).toHaveLength(3);
    const top = r.hits[0];
    expect(top).toMatchObject({
      id: 'arxiv:2401.00001',
      title: 'Neural Collapse under Weight Decay',
      authors: ['Ada Lovelace', 'Geoffrey E. Hinton'],
      authorCount: 2,
      date: '2024-03-15',
      categories: ['cs.LG', 'stat.ML'],
      upvotes: 12,
      organization: 'Analytical Engines',
      matchedAll: true,
    });
    expect(top.score).toBeGreaterThan(0);
    expect(top.titleHighlight.html).toBe('<mark>Neural Collapse</mark> under Weight Decay');
    expect(top.snippet.segments.filter((x) => x.hit).map((x) => x.text)).toEqual(['collapse']);
    expect(r.total).toBe(5);
    expect(r.warnings.map((w) => w.code)).toEqual(['relaxed']);
    await s.close();
  });

  it('uses the sort written in the query unless an option says otherwise', async () => {
    const s = await store();
    expect((await searchPapers({ store: s }, 'collapse sort:date')).hits[0].title).toBe('Collapse of Neural Networks under Label Noise');
    expect((await searchPapers({ store: s }, 'collapse sort:date', { sort: 'upvotes' })).hits[0].title).toBe('Representation Geometry of Classifiers');
    await s.close();
  });

  it('filter-only queries list by date; empty and stop-word queries answer with a message, not an error', async () => {
    const s = await store();
    const f = await searchPapers({ store: s }, 'cat:hep-th');
    expect(f.query.sort).toBe('date');
    expect(f.hits.map((h) => h.title)).toEqual(['Theoretical Physics of Strings']);
    for (const [text, code] of [
      ['', 'empty-query'],
      ['the of', 'only-stop-words'],
      ['-dropout', 'only-exclusions'],
    ] as const) {
      const r = await searchPapers({ store: s }, text);
      expect(r.hits).toEqual([]);
      expect(r.warnings.map((w) => w.code)).toContain(code);
    }
    await s.close();
  });

  it('clamps limit and offset', async () => {
    const s = await store();
    const r = await searchPapers({ store: s }, 'collapse', { limit: 10_000, offset: -5 });
    expect(r.limit).toBe(200);
    expect(r.offset).toBe(0);
    await s.close();
  });

  it('asks for hybrid without a dense index: keyword results and a note', async () => {
    const s = await store();
    const r = await searchPapers({ store: s }, 'collapse', { mode: 'hybrid' });
    expect(r.query.mode).toBe('bm25');
    expect(r.warnings.map((w) => w.code)).toContain('no-dense');
    await s.close();
  });

  it('hybrid: a dense retriever plugs in, its candidates get the query filters, the lists are fused', async () => {
    const s = await store();
    const byTitle = new Map((await s.papers.getPapersByPk(Array.from({ length: 20 }, (_, i) => i + 1))).map((p) => [p.title, p.pk]));
    const asked: string[] = [];
    const dense: DenseRetriever = {
      name: 'test-dense',
      async retrieve(text, limit) {
        asked.push(text);
        // A "semantic" neighbour with no keyword in common, and one the year filter must drop.
        return [
          { pk: byTitle.get('Theoretical Physics of Strings')!, score: 0.9 },
          { pk: byTitle.get('Posterior Collapse in Variational Autoencoders')!, score: 0.8 },
        ].slice(0, limit);
      },
    };
    const r = await searchPapers({ store: s, dense }, 'collapse year:2020..2024', { limit: 10 });
    expect(r.query.mode).toBe('hybrid');
    expect(asked).toEqual(['collapse']);
    const titles = r.hits.map((h) => h.title);
    expect(titles).toContain('Theoretical Physics of Strings');
    expect(titles).toContain('Neural Collapse under Weight Decay');
    // Posterior Collapse (2023) is in both lists: fusion puts it first.
    expect(titles[0]).toBe('Posterior Collapse in Variational Autoencoders');
    // Date sorts do not fuse.
    expect((await searchPapers({ store: s, dense }, 'collapse', { sort: 'date' })).query.mode).toBe('bm25');
    // The filter applies to dense candidates: 2020 is outside 2021..2024.
    const filtered = await searchPapers({ store: s, dense }, 'collapse year:2021..2024');
    expect(filtered.hits.map((h) => h.title)).not.toContain('Theoretical Physics of Strings');
    // A quoted phrase or a field asks for the words exactly: semantic neighbours
    // without them stay out, and the keyword matches are re-ordered, not padded.
    for (const literal of ['"posterior collapse"', 'title:collapse']) {
      const exact = (await searchPapers({ store: s, dense }, literal, { limit: 10 })).hits.map((h) => h.title);
      expect(exact).toContain('Posterior Collapse in Variational Autoencoders');
      expect(exact).not.toContain('Theoretical Physics of Strings');
    }
    // The same words unquoted still let the semantic neighbour in.
    expect((await searchPapers({ store: s, dense }, 'posterior collapse', { limit: 10 })).hits.map((h) => h.title)).toContain('Theoretical Physics of Strings');
    await s.close();
  });

  it('reciprocal-rank fusion rewards agreement', () => {
    const fused = reciprocalRankFusion(
      [
        { name: 'a', hits: [{ pk: 1, score: 9 }, { pk: 2, score: 8 }] },
        { name: 'b', hits: [{ pk: 2, score: 0.9 }, { pk: 3, score: 0.8 }] },
      ],
      10,
    );
    expect(fused.map((h) => h.pk)).toEqual([2, 1, 3]);
  });
});

describe('keywordRetrieve (for evaluation harnesses)', () => {
  it('runs BM25 on search-box text or on a bag of words from free text', async () => {
    const s = await store();
    const page = await keywordRetrieve(s.search, 'grok*', { limit: 10 });
    expect(page.hits.length).toBe(2);
    const q = bagOfWords('The delayed generalization of grokking under dropout, and the collapse of features.');
    expect(q.clauses.map((c) => (c.kind === 'term' ? c.word : ''))).toEqual(['delayed', 'generalization', 'grokking', 'dropout', 'collapse', 'features']);
    const any = await keywordRetrieve(s.search, q, { limit: 3, match: 'any' });
    const top = await s.papers.getPapersByPk(any.hits.map((h) => h.pk));
    expect(top[0].title).toBe('Grokking Modular Arithmetic');
    await s.close();
  });
});
