import { describe, expect, it } from 'vitest';
import { ExactIndex } from '../../src/vectors/ann.ts';
import { Int8Matrix } from '../../src/vectors/int8-matrix.ts';
import { decodeDense, encodeDense, normalize } from '../../src/vectors/quantize.ts';
import { clusteredVectors } from './synthetic.ts';

const DIMS = 48;

describe('Int8Matrix', () => {
  const vectors = clusteredVectors(2000, DIMS, 20, 9);
  const exact = new ExactIndex(DIMS);
  const int8 = new Int8Matrix(DIMS, 16);
  vectors.forEach((v, i) => {
    exact.upsert(i + 1, v);
    // As a reader does: from the stored bytes.
    int8.upsertEncoded(i + 1, encodeDense(v));
  });

  it('re-ranks candidates in the exact order, with the exact cosines of the stored vectors', () => {
    for (const qi of [0, 17, 400, 1999]) {
      const q = vectors[qi];
      const want = exact.search(q, 200);
      const shuffled = [...want].reverse().map((h) => h.pk);
      const got = int8.rerank(q, shuffled);
      expect(got.map((h) => h.pk)).toEqual(want.map((h) => h.pk));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i].score, 5));
    }
  });

  it('orders known vectors by their cosine with the query', () => {
    const m = new Int8Matrix(3);
    const q = normalize(Float32Array.of(1, 0, 0));
    m.upsert(1, normalize(Float32Array.of(0, 1, 0))); // 0
    m.upsert(2, normalize(Float32Array.of(1, 1, 0))); // 0.707
    m.upsert(3, normalize(Float32Array.of(1, 0.1, 0))); // 0.995
    m.upsert(4, normalize(Float32Array.of(-1, 0, 0))); // -1
    const hits = m.rerank(q, [1, 2, 3, 4, 99]);
    expect(hits.map((h) => h.pk)).toEqual([3, 2, 1, 4]);
    expect(hits[1].score).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('a full scan gives the exact top k', () => {
    const q = decodeDense(encodeDense(normalize(Float32Array.from({ length: DIMS }, (_, i) => Math.sin(i)))));
    expect(int8.search(q, 10).map((h) => h.pk)).toEqual(exact.search(q, 10).map((h) => h.pk));
    expect(int8.search(q, 10, (pk) => pk % 2 === 0).every((h) => h.pk % 2 === 0)).toBe(true);
  });

  it('replaces and removes rows, keeping the others', () => {
    const m = new Int8Matrix(2, 1);
    m.upsert(1, Float32Array.of(1, 0));
    m.upsert(2, Float32Array.of(0, 1));
    m.upsert(3, normalize(Float32Array.of(1, 1)));
    m.upsert(1, Float32Array.of(0, -1));
    m.remove(2);
    expect(m.size).toBe(2);
    expect(m.search(Float32Array.of(0, 1), 5).map((h) => h.pk)).toEqual([3, 1]);
    expect(() => m.upsertEncoded(4, encodeDense(Float32Array.of(1, 0, 0)))).toThrow(/3 dimensions for a matrix of 2/);
  });
});
