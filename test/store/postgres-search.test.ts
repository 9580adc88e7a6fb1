/**
 * PostgreSQL specifics of keyword search: any string a person types compiles
 * to a tsquery PostgreSQL accepts and searches without error in every mode
 * and sort; the index tokenises like FTS5 (punctuation splits words, accents
 * fold, English stems, facet tokens); and on the same papers both backends
 * return the same results in the same order for a spread of queries.
 */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/query/parse.ts';
import type { PostgresStore } from '../../src/store/postgres/store.ts';
import type { KeywordSearchRequest, Store } from '../../src/store/types.ts';
import { BACKENDS } from '../helpers/backends.ts';
import { postgresUnavailable } from '../helpers/postgres.ts';
import { hostileQueries } from '../query/query-hostile.ts';
import { SEARCH_FIXTURE } from './search-fixture.ts';

const NOW = '2025-06-01T00:00:00Z';
const skip = postgresUnavailable();
const pg = BACKENDS.find((b) => b.name === 'postgres')!;
const sqlite = BACKENDS.find((b) => b.name === 'sqlite')!;

async function seeded(backend: typeof pg): Promise<Store> {
  const store = await backend.open();
  await store.papers.upsertPapers(SEARCH_FIXTURE, NOW);
  return store;
}

describe.skipIf(!!skip)(`PostgreSQL keyword search${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('every hostile string searches without error in every mode and sort', async () => {
    const store = await seeded(pg);
    for (const text of hostileQueries(120, 99)) {
      const query = parseQuery(text).query;
      for (const match of ['auto', 'all', 'any'] as const) {
        for (const sort of ['relevance', 'date', 'upvotes'] as const) {
          const page = await store
            .search.searchKeyword({ query, sort, match, limit: 5, offset: 0, budget: 100 })
            .catch((e: Error) => {
              throw new Error(`${JSON.stringify(text.slice(0, 80))} (${match}, ${sort}): ${e.message}`);
            });
          expect(page.hits.length).toBeLessThanOrEqual(5);
        }
      }
      await store.search.filterPapers(query, [1, 2, 3]);
    }
  });

  it('indexes words as FTS5 does: punctuation splits, accents fold, stems, facets per field', async () => {
    const store = (await pg.open()) as PostgresStore;
    await store.papers.upsertPapers(
      [
        {
          arxivId: '2501.00001',
          title: 'GPT-4o and State-of-the-Art Café Benchmarks',
          abstract: 'Models—which naïvely scale—see github.com/x/y and x_i.',
          authors: ['Zoë Ngô'],
          categories: ['cs.CL', 'hep-th'],
          announced: '2025-03-04',
          source: { kind: 'manual', locator: 't', seenAt: NOW },
        },
      ],
      NOW,
    );
    const row = (await store.pool.query('SELECT fts::text AS fts, fts_title::text AS t, len_title, len_abstract, len_authors FROM papers')).rows[0];
    for (const lexeme of ["'gpt':1A", "'4o':2A", "'state'", "'art'", "'cafe'", "'benchmark'", "'model'", "'which'", "'naiv'", "'github'", "'x'", "'i'", "'zoe'", "'ngo'"]) {
      expect(row.fts).toContain(lexeme);
    }
    for (const facet of ["'zy2025':", "'zm202503':", "'zccs0cl9':", "'zchep1th9':"]) {
      expect(row.fts).toContain(facet);
      expect(row.t).toContain(facet);
    }
    expect(row.t).not.toContain("'model'");
    expect([row.len_title, row.len_authors]).toEqual([9, 2]);
    const hit = async (text: string) => (await store.search.searchKeyword({ query: parseQuery(text).query, sort: 'relevance', limit: 5, offset: 0 })).hits.length;
    expect(await hit('"gpt 4o"')).toBe(1);
    expect(await hit('cafe benchmark')).toBe(1);
    expect(await hit('title:model')).toBe(0);
    expect(await hit('naive cat:hep-th year:2025')).toBe(1);
  });

  it('returns the same results in the same order as SQLite', async () => {
    const [a, b] = await Promise.all([seeded(sqlite), seeded(pg)]);
    const filler = Array.from({ length: 120 }, (_, i) => ({
      doi: `10.1000/f.${i}`,
      title: `Filler ${i}: ${['collapse of transformers', 'neural scaling laws', 'dropout in transformers'][i % 3]}`,
      abstract: `Transformers ${i % 5 === 0 ? 'collapse' : 'scale'} with neural width ${i}; dropout ${i % 7}.`,
      authors: [`Author ${i % 9}`],
      categories: [['cs.LG'], ['cs.CL', 'stat.ML'], ['cs.AI']][i % 3],
      announced: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      signals: i % 4 ? { upvotes: i % 17 } : {},
      source: { kind: 'manual' as const, locator: `f:${i}`, seenAt: NOW },
    }));
    await Promise.all([a.papers.upsertPapers(filler, NOW), b.papers.upsertPapers(filler, NOW)]);
    const cases: [string, Partial<KeywordSearchRequest>][] = [
      ['neural collapse', {}],
      ['neural collapse', { match: 'all' }],
      ['transformers dropout', { match: 'any' }],
      ['"neural collapse" OR grok*', {}],
      ['collapse -title:posterior', {}],
      ['transformers cat:cs.LG year:2024', {}],
      ['transformers', { sort: 'date', limit: 15 }],
      ['dropout', { sort: 'upvotes' }],
      ['cat:stat.ML', {}],
      ['author:hinton', {}],
      ['transformers', { budget: 100, limit: 10 }],
      ['scale width', { offset: 5, limit: 5 }],
    ];
    for (const [text, opts] of cases) {
      const req = { query: parseQuery(text).query, sort: 'relevance' as const, limit: 20, offset: 0, ...opts };
      const [ra, rb] = await Promise.all([a.search.searchKeyword(req), b.search.searchKeyword(req)]);
      const ids = async (s: Store, r: typeof ra) => (await s.papers.getPapersByPk(r.hits.map((h) => h.pk))).map((p) => p.id);
      const label = `${text} ${JSON.stringify(opts)}`;
      expect(await ids(b, rb), label).toEqual(await ids(a, ra));
      expect(rb.hits.map((h) => h.matched), label).toEqual(ra.hits.map((h) => h.matched));
      expect({ ...rb, hits: [] }, label).toEqual({ ...ra, hits: [] });
    }
  });
});
