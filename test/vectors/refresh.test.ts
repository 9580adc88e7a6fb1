import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';
import { refreshIndexes, readDenseState } from '../../src/vectors/refresh.ts';
import { openRetrieval } from '../../src/vectors/retrieval.ts';
import { SparseIndex, TERMS_MODEL } from '../../src/vectors/sparse-index.ts';
import { similarToPaper } from '../../src/rank/similar.ts';
import type { Store } from '../../src/store/types.ts';
import { syntheticRecords, topicOf } from './synthetic.ts';
import { withParts } from '../helpers/wrap-store.ts';

const NOW = '2025-01-02T00:00:00Z';
const SMALL = { minDocsForDense: 100, lsa: { dims: 8, minDf: 2, powerIters: 2 } };

/** Counts the vector rows written per model, by wrapping the real store. */
function counting(store: Store): { store: Store; written: Map<string, number[]> } {
  const written = new Map<string, number[]>();
  const wrapped = withParts(store, {
    vectors: {
      putVectors: async (model: string, rows: { pk: number; vector: Buffer }[]) => {
        written.set(model, [...(written.get(model) ?? []), ...rows.map((r) => r.pk)]);
        return store.vectors.putVectors(model, rows);
      },
    },
  });
  return { store: wrapped, written };
}

const arxivNumber = async (store: Store, pk: number) => Number((await store.papers.getPapersByPk([pk]))[0].arxivId!.split('.')[1]);

describeEachBackend('index maintenance', (backend) => {
  it('indexes everything once, then only what an import added', async () => {
    const store = await backend.open();
    await store.papers.upsertPapers(syntheticRecords(0, 300), NOW);
    const first = await refreshIndexes(store, SMALL);
    expect(first.sparse).toEqual({ updated: 300, removed: 0, papers: 300 });
    expect(first.dense.refit).toBe(true);
    expect(first.dense.total).toBe(300);
    const state = (await readDenseState(store))!;
    expect(state.embedder).toBe('lsa-8');

    const before = await store.vectors.getVectors(state.vectors, [1, 2]);
    const { store: spy, written } = counting(store);
    const added = await spy.papers.upsertPapers(syntheticRecords(300, 100), NOW);
    const newPks = added.outcomes.map((o) => o.pk).sort((a, b) => a - b);
    const second = await refreshIndexes(spy, SMALL);
    expect(second.sparse.updated).toBe(100);
    expect(second.dense).toMatchObject({ updated: 100, refit: false, total: 400 });
    expect([...new Set(written.get(TERMS_MODEL))].sort((a, b) => a - b)).toEqual(newPks);
    expect([...new Set(written.get(state.vectors))].sort((a, b) => a - b)).toEqual(newPks);
    expect(await store.vectors.getVectors(state.vectors, [1, 2])).toEqual(before);
    expect((await SparseIndex.load(store.models))!.papers).toBe(400);

    // Nothing changed: nothing written.
    written.clear();
    const third = await refreshIndexes(spy, SMALL);
    expect(third.sparse.updated).toBe(0);
    expect(written.size).toBe(0);

    // Growth past 2× refits into a new generation, under a name of its own.
    await store.papers.upsertPapers(syntheticRecords(400, 450), NOW);
    const fourth = await refreshIndexes(store, SMALL);
    expect(fourth.dense.refit).toBe(true);
    const next = (await readDenseState(store))!;
    expect(next.generation).toBe(state.generation + 1);
    expect(next.vectors).not.toBe(state.vectors);
    expect(await store.vectors.countVectors(next.vectors)).toBe(850);
    // The old one stays for readers that have not switched yet, and goes once its grace period is over.
    expect(next.retired?.map((r) => r.vectors)).toEqual([state.vectors]);
    expect(await store.vectors.countVectors(state.vectors)).toBe(400);
    await refreshIndexes(store, { ...SMALL, retireAfterMs: 0 });
    expect(await store.vectors.countVectors(state.vectors)).toBe(0);
    expect((await readDenseState(store))!.retired).toEqual([]);
  });

  it('keeps the document frequencies exact when a paper is re-imported with new text', async () => {
    const store = await backend.open();
    await store.papers.upsertPapers(syntheticRecords(0, 20), NOW);
    await refreshIndexes(store, SMALL);
    const [rec] = syntheticRecords(5, 1);
    // A longer abstract replaces the stored one (the merge rules keep the fuller text).
    const longer = `${'An entirely different abstract about quantum chromodynamics on lattices. '.repeat(8)}`;
    await store.papers.upsertPapers([{ ...rec, abstract: longer, source: { ...rec.source, locator: 'update' } }], NOW);
    await refreshIndexes(store, SMALL);
    const incremental = (await SparseIndex.load(store.models))!;
    const fresh = (await SparseIndex.load(store.models))!;
    await fresh.recount(store.vectors);
    expect(incremental.table.n).toBe(20);
    expect(Buffer.from(incremental.table.df.buffer).equals(Buffer.from(fresh.table.df.buffer))).toBe(true);
    const q = incremental.space.idOf('chromodynam');
    expect(incremental.table.df[q]).toBe(1);
  });

  it('a merge takes the absorbed paper out of the vector index and the results', async () => {
    const store = await backend.open();
    const recs = syntheticRecords(0, 200);
    // Paper 8 is also known by a DOI; paper 12 (same topic) only by that DOI and its own title.
    recs[12] = { ...recs[12], arxivId: undefined, doi: '10.1000/absorbed' };
    await store.papers.upsertPapers(recs, NOW);
    await refreshIndexes(store, { ...SMALL, index: { exactMax: 50 } });
    const r = await openRetrieval(store, { index: { exactMax: 50 } });
    expect(r.dense?.index.kind).toBe('hnsw');
    const absorbed = (await store.papers.getPaper('doi:10.1000/absorbed'))!.pk;
    const survivor = (await store.papers.getPaper('arxiv:2501.00008'))!.pk;
    expect(r.dense!.index.has(absorbed)).toBe(true);

    await store.papers.upsertPapers([{ arxivId: '2501.00008', doi: '10.1000/absorbed', source: { kind: 'manual', locator: 'merge', seenAt: NOW } }], NOW);
    const changes = await store.papers.changesSince(0, 10_000);
    expect(changes.removed).toContain(absorbed);
    await refreshIndexes(store, { ...SMALL, index: { exactMax: 50 } });
    await r.catchUp(true);
    expect(r.dense!.index.has(absorbed)).toBe(false);
    expect(r.dense!.index.has(survivor)).toBe(true);
    const hits = await similarToPaper(r, survivor, { limit: 20 });
    expect(hits.map((h) => h.pk)).not.toContain(absorbed);

    // A process opening now gets the snapshot plus the catch-up, and the same answer.
    const again = await openRetrieval(store, { index: { exactMax: 50 } });
    expect(again.dense!.index.has(absorbed)).toBe(false);
    expect(again.dense!.index.size).toBe(199);
  });

  it('similar papers share the query paper’s topic (sparse, dense and combined)', async () => {
    const store = await backend.open();
    await store.papers.upsertPapers(syntheticRecords(0, 400), NOW);
    await refreshIndexes(store, SMALL);
    const r = await openRetrieval(store);
    const q = (await store.papers.getPaper('arxiv:2501.00013'))!;
    for (const mode of ['default', 'tfidf', 'dense'] as const) {
      const hits = await similarToPaper(r, q.pk, { mode, limit: 10 });
      expect(hits).toHaveLength(10);
      expect(hits.map((h) => h.pk)).not.toContain(q.pk);
      const topics = await Promise.all(hits.map(async (h) => topicOf(await arxivNumber(store, h.pk))));
      expect(topics.filter((t) => t === topicOf(13)).length, mode).toBeGreaterThanOrEqual(9);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
    }
  });
});

describe('retrieval on an empty store', () => {
  it('answers with nothing rather than failing', async () => {
    const { BACKENDS } = await import('../helpers/backends.ts');
    const store = await BACKENDS[0].open();
    const r = await openRetrieval(store);
    expect(await r.denseSearch('neural collapse', 5)).toEqual([]);
    expect(await similarToPaper(r, 1)).toEqual([]);
    expect(r.dims).toEqual({ sparse: 0, dense: 0 });
  });
});
