import { expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { parseQuery } from '../../src/query/parse.ts';
import type { KeywordSearchRequest, Store } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { SEARCH_FIXTURE } from './search-fixture.ts';

const NOW = '2025-06-01T00:00:00Z';

async function seeded(open: () => Promise<Store>, extra: PaperRecord[] = []): Promise<Store> {
  const store = await open();
  await store.papers.upsertPapers([...SEARCH_FIXTURE, ...extra], NOW);
  return store;
}

/** Runs a query and returns the titles in result order, plus the page. */
async function titles(store: Store, text: string, opts: Partial<KeywordSearchRequest> = {}) {
  const page = await store.search.searchKeyword({ query: parseQuery(text).query, sort: 'relevance', limit: 50, offset: 0, ...opts });
  const papers = await store.papers.getPapersByPk(page.hits.map((h) => h.pk));
  return { titles: papers.map((p) => p.title), page };
}

const T = {
  titleMatch: 'Neural Collapse under Weight Decay',
  abstractOnly: 'Representation Geometry of Classifiers',
  posterior: 'Posterior Collapse in Variational Autoencoders',
  grokking: 'Grokking Modular Arithmetic',
  grokked: 'Grokked Transformers are Implicit Reasoners',
  optimization: 'Optimization of Diffusion Models',
  reversed: 'Collapse of Neural Networks under Label Noise',
  strings: 'Theoretical Physics of Strings',
  undated: 'An Undated Note on Collapse',
  dropout: 'Dropout as Bayesian Approximation',
};

describeEachBackend('keyword search', (backend) => {
  it('ranks a title match above an abstract-only match, and papers with every word above papers with one', async () => {
    const store = await seeded(() => backend.open());
    const { titles: got, page } = await titles(store, 'neural collapse');
    expect(got[0]).toBe(T.titleMatch);
    expect(got.indexOf(T.titleMatch)).toBeLessThan(got.indexOf(T.abstractOnly));
    // Every paper with both words comes before any paper with only one.
    const both = [T.titleMatch, T.abstractOnly, T.posterior, T.reversed];
    expect(new Set(got.slice(0, both.length))).toEqual(new Set(both));
    expect(got.slice(both.length)).toContain(T.undated);
    expect(page.relaxed).toBe(true);
    expect(page.hits.slice(0, 4).every((h) => h.matched === 2)).toBe(true);
    expect(page.hits.slice(4).every((h) => h.matched === 1)).toBe(true);
  });

  it('adjacent words rank above the same words apart', async () => {
    const store = await seeded(() => backend.open());
    const got = (await titles(store, 'neural collapse', { match: 'all' })).titles;
    expect(got.indexOf(T.titleMatch)).toBeLessThan(got.indexOf(T.reversed));
  });

  it('match all does not relax; match any ranks by BM25 alone', async () => {
    const store = await seeded(() => backend.open());
    const all = await titles(store, 'neural collapse', { match: 'all' });
    expect(all.page.relaxed).toBe(false);
    expect(new Set(all.titles)).toEqual(new Set([T.titleMatch, T.abstractOnly, T.posterior, T.reversed]));
    // "grokked" and "grokking" share the stem grok.
    const any = await titles(store, 'grokking dropout', { match: 'any' });
    expect(new Set(any.titles)).toEqual(new Set([T.grokking, T.grokked, T.dropout]));
    expect(any.titles[0]).toBe(T.grokking);
  });

  it('phrases match words together, in order', async () => {
    const store = await seeded(() => backend.open());
    const got = (await titles(store, '"neural collapse"')).titles;
    expect(new Set(got)).toEqual(new Set([T.titleMatch, T.abstractOnly]));
  });

  it('stems: collapse finds collapsed, optimization finds optimize', async () => {
    const store = await seeded(() => backend.open());
    expect((await titles(store, 'collapsed')).titles).toContain(T.titleMatch);
    expect((await titles(store, 'optimizing')).titles).toEqual([T.optimization]);
  });

  it('prefixes, including ones longer than the indexed stem', async () => {
    const store = await seeded(() => backend.open());
    expect(new Set((await titles(store, 'grok*')).titles)).toEqual(new Set([T.grokking, T.grokked]));
    expect((await titles(store, 'optimiz*')).titles).toEqual([T.optimization]);
  });

  it('exclusions exclude, for words, phrases and fields', async () => {
    const store = await seeded(() => backend.open());
    expect((await titles(store, 'grok* -dropout')).titles).toEqual([T.grokked]);
    const got = (await titles(store, 'collapse -"neural collapse"')).titles;
    expect(got).not.toContain(T.titleMatch);
    expect(got).not.toContain(T.abstractOnly);
    expect(got).toContain(T.posterior);
    expect((await titles(store, 'collapse -title:posterior')).titles).not.toContain(T.posterior);
  });

  it('OR accepts either side', async () => {
    const store = await seeded(() => backend.open());
    expect(new Set((await titles(store, 'grokking OR dropout')).titles)).toEqual(new Set([T.grokking, T.grokked, T.dropout]));
  });

  it('title: restricts to the title', async () => {
    const store = await seeded(() => backend.open());
    const got = (await titles(store, 'title:collapse')).titles;
    expect(got).toContain(T.titleMatch);
    expect(got).not.toContain(T.abstractOnly);
  });

  it('author filters: a word, a full name (exactly, not across two authors), a prefix, an exclusion', async () => {
    const store = await seeded(() => backend.open());
    expect(new Set((await titles(store, 'author:hinton')).titles)).toEqual(new Set([T.titleMatch, T.grokked]));
    // "Ann Geoffrey; John Smith" and "Bob Hinton" must not pass for Geoffrey Hinton.
    expect((await titles(store, 'au:"Geoffrey Hinton"')).titles).toEqual([T.titleMatch]);
    expect((await titles(store, 'author:"hint*"')).titles).toHaveLength(2);
    expect((await titles(store, 'collapse -author:hinton')).titles).not.toContain(T.titleMatch);
  });

  it('category filters: exact, several, archive-wide, excluded', async () => {
    const store = await seeded(() => backend.open());
    expect((await titles(store, 'grok* cat:cs.CL')).titles).toEqual([T.grokked]);
    expect(new Set((await titles(store, 'cat:cs.CV cat:hep-th')).titles)).toEqual(new Set([T.optimization, T.strings]));
    const cs = (await titles(store, 'cat:cs')).titles;
    expect(cs).not.toContain(T.strings);
    expect(cs).not.toContain(T.dropout);
    expect(cs).toHaveLength(8);
    expect((await titles(store, 'collapse -cat:stat.ML')).titles).not.toContain(T.titleMatch);
  });

  it('year and date filters; undated papers never pass a date filter', async () => {
    const store = await seeded(() => backend.open());
    expect(new Set((await titles(store, 'collapse year:2024')).titles)).toEqual(new Set([T.titleMatch, T.abstractOnly]));
    expect((await titles(store, 'collapse date:2024-03..2024-05')).titles).toEqual([T.titleMatch]);
    expect((await titles(store, 'collapse after:2024-12-31')).titles).toEqual([T.reversed]);
    expect(new Set((await titles(store, 'collapse before:2024-01-01')).titles)).toEqual(new Set([T.posterior]));
    expect((await titles(store, 'collapse year:2015..2025')).titles).not.toContain(T.undated);
    expect((await titles(store, 'collapse after:2025 before:2024')).titles).toEqual([]);
  });

  it('sorts by date (undated last) and by upvotes', async () => {
    const store = await seeded(() => backend.open());
    expect((await titles(store, 'collapse', { sort: 'date' })).titles).toEqual([T.reversed, T.abstractOnly, T.titleMatch, T.posterior, T.undated]);
    expect((await titles(store, 'collapse', { sort: 'upvotes' })).titles.slice(0, 2)).toEqual([T.abstractOnly, T.titleMatch]);
  });

  it('filter-only queries list papers newest first', async () => {
    const store = await seeded(() => backend.open());
    const r = await titles(store, 'cat:stat.ML');
    expect(r.titles).toEqual([T.titleMatch, T.posterior, T.dropout]);
    expect(r.page.total).toBe(3);
    expect((await titles(store, 'year:2024 -cat:cs.CL', { sort: 'date' })).titles).toEqual([T.abstractOnly, T.titleMatch]);
  });

  it('pages through results with a stable total', async () => {
    const store = await seeded(() => backend.open());
    const all = (await titles(store, 'collapse', { match: 'all' })).titles;
    const p1 = await titles(store, 'collapse', { match: 'all', limit: 2, offset: 0 });
    const p2 = await titles(store, 'collapse', { match: 'all', limit: 2, offset: 2 });
    expect([...p1.titles, ...p2.titles]).toEqual(all.slice(0, 4));
    expect(p1.page.total).toBe(all.length);
    expect(p2.page.total).toBe(all.length);
  });

  it('follows updates and merges: re-imported categories are searchable, a merged-away paper is gone', async () => {
    const store = await seeded(() => backend.open());
    // Categories merge as a union: the paper gains cs.LG and keeps hep-th.
    const again = { ...SEARCH_FIXTURE[7], categories: ['cs.LG'], source: { ...SEARCH_FIXTURE[7].source, locator: 'again' } };
    await store.papers.upsertPapers([again], NOW);
    expect((await titles(store, 'strings cat:cs.LG')).titles).toEqual([T.strings]);
    expect((await titles(store, 'strings cat:hep-th')).titles).toEqual([T.strings]);
    // Two stored papers shown to be one by a record carrying both keys: one survives, searchable once.
    const byTitle: PaperRecord = { title: 'Zeitgeber Entrainment Study', abstract: 'Circadian zeitgeber entrainment.', source: { kind: 'manual', locator: 'm1', seenAt: NOW } };
    const byId: PaperRecord = { arxivId: '2402.12345', title: 'Entrainment of Clocks (draft)', abstract: 'Zeitgeber signals.', source: { kind: 'manual', locator: 'm2', seenAt: NOW } };
    await store.papers.upsertPapers([byTitle], NOW);
    await store.papers.upsertPapers([byId], NOW);
    expect((await titles(store, 'zeitgeber')).page.total).toBe(2);
    await store.papers.upsertPapers([{ arxivId: '2402.12345', title: 'Zeitgeber Entrainment Study', source: { kind: 'manual', locator: 'm3', seenAt: NOW } }], NOW);
    const after = await titles(store, 'zeitgeber');
    expect(after.page.total).toBe(1);
    expect(after.titles).toHaveLength(1);
  });

  it('filterPapers applies filters and exclusions to a given list, keeping its order', async () => {
    const store = await seeded(() => backend.open());
    const all = await store.papers.getPapersByPk((await store.search.searchKeyword({ query: parseQuery('cat:cs').query, sort: 'date', limit: 50, offset: 0 })).hits.map((h) => h.pk));
    const pks = all.map((p) => p.pk).reverse();
    const kept = await store.search.filterPapers(parseQuery('anything year:2024 -grokked -author:turing').query, pks);
    const keptTitles = (await store.papers.getPapersByPk(kept)).map((p) => p.title);
    expect(keptTitles).toEqual([T.titleMatch]);
    expect(await store.search.filterPapers(parseQuery('x cat:cs.LG').query, [])).toEqual([]);
  });

  it('a broad query over more papers than the budget is bounded: estimated total, newest matches plus the best title matches', async () => {
    const extra: PaperRecord[] = Array.from({ length: 300 }, (_, i) => ({
      doi: `10.1000/filler.${i}`,
      title: `Filler study ${i} of methods`,
      abstract: `Transformers are used here ${i}. Transformers again and again.`,
      authors: ['Filler Author'],
      categories: ['cs.LG'],
      announced: '2025-05-01',
      source: { kind: 'manual', locator: `filler:${i}`, seenAt: NOW },
    }));
    // An old paper with the word in its title, stored first (lowest rowid).
    const classic: PaperRecord = {
      arxivId: '1706.03762',
      title: 'Transformers',
      abstract: 'The original architecture.',
      authors: ['Ashish Vaswani'],
      categories: ['cs.CL'],
      announced: '2017-06-12',
      source: { kind: 'manual', locator: 'classic', seenAt: NOW },
    };
    const store = await backend.open();
    await store.papers.upsertPapers([classic], NOW);
    await store.papers.upsertPapers([...SEARCH_FIXTURE, ...extra], NOW);
    const r = await titles(store, 'transformers', { budget: 100, limit: 10 });
    expect(r.page.bounded).toBe(true);
    expect(r.page.totalExact).toBe(false);
    expect(r.page.total).toBeGreaterThan(200);
    expect(r.titles[0]).toBe('Transformers');
    const exact = await titles(store, 'transformers', { limit: 10 });
    expect(exact.page.bounded).toBe(false);
    expect(exact.page.total).toBe(302);
    expect(exact.titles[0]).toBe('Transformers');
  });
});
