import { describe, expect, it } from 'vitest';
import { DEFAULT_HNSW, efSearchFor, ExactIndex, HnswIndex } from '../../src/vectors/ann.ts';
import { clusteredVectors } from './synthetic.ts';

const DIMS = 48;

function recallAt10(index: HnswIndex, exact: ExactIndex, queries: number[], vectors: Float32Array[]): number {
  let sum = 0;
  for (const pk of queries) {
    const truth = new Set(exact.search(vectors[pk - 1], 10).map((h) => h.pk));
    sum += index.search(vectors[pk - 1], 10).filter((h) => truth.has(h.pk)).length / truth.size;
  }
  return sum / queries.length;
}

describe('HnswIndex', () => {
  const vectors = clusteredVectors(4000, DIMS, 40, 3);
  const exact = new ExactIndex(DIMS);
  const hnsw = new HnswIndex(DIMS, DEFAULT_HNSW);
  vectors.forEach((v, i) => {
    exact.upsert(i + 1, v);
    hnsw.upsert(i + 1, v);
  });
  const queries = Array.from({ length: 200 }, (_, i) => 1 + ((i * 37) % vectors.length));

  it('finds at least 0.95 of the exact top 10 on a clustered corpus with the default parameters', () => {
    expect(recallAt10(hnsw, exact, queries, vectors)).toBeGreaterThanOrEqual(0.95);
  });

  it('scores as the exact index does: the inner product of the stored vectors', () => {
    const q = vectors[10];
    const want = new Map(exact.search(q, 20).map((h) => [h.pk, h.score]));
    for (const h of hnsw.search(q, 10)) if (want.has(h.pk)) expect(h.score).toBeCloseTo(want.get(h.pk)!, 5);
  });

  it('a wide query (k above efSearch) returns k hits, best first, and leaves later narrow queries as they were', () => {
    const before = hnsw.search(vectors[5], 10).map((h) => h.pk);
    const wide = hnsw.search(vectors[5], 300);
    expect(wide).toHaveLength(300);
    for (let i = 1; i < wide.length; i++) expect(wide[i - 1].score).toBeGreaterThanOrEqual(wide[i].score);
    expect(hnsw.search(vectors[5], 10).map((h) => h.pk)).toEqual(before);
  });

  it('does not return removed papers, and returns a paper again once re-added', () => {
    const top = hnsw.search(vectors[7], 1)[0].pk;
    hnsw.remove(top);
    expect(hnsw.search(vectors[7], 10).map((h) => h.pk)).not.toContain(top);
    hnsw.upsert(top, vectors[top - 1]);
    expect(hnsw.search(vectors[7], 10).map((h) => h.pk)).toContain(top);
  });
});

describe('efSearchFor', () => {
  it('searches wider as the collection grows, and the default follows the live vectors', () => {
    expect(efSearchFor(74_728)).toBe(96);
    expect(efSearchFor(250_000)).toBeGreaterThan(efSearchFor(100_000));
    expect(efSearchFor(1_000_000)).toBeGreaterThanOrEqual(efSearchFor(250_000));
    const h = new HnswIndex(4, DEFAULT_HNSW);
    h.upsert(1, Float32Array.of(1, 0, 0, 0));
    expect(h.efSearch).toBe(efSearchFor(1));
    expect(new HnswIndex(4, { ...DEFAULT_HNSW, efSearch: 300 }).efSearch).toBe(300);
  });
});
