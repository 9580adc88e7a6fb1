import { describe, expect, it } from 'vitest';
import { cosineOfCounts } from '../../src/vectors/sparse-score.ts';
import { SparseQuery } from '../../src/vectors/sparse-query.ts';
import { decodeCounts, encodeCounts, type TermCounts } from '../../src/vectors/term-counts.ts';
import { weigh } from '../../src/vectors/tfidf.ts';
import { mulberry32 } from '../../src/text/random.ts';

const rand = mulberry32(5);

/** Sorted distinct ids (some beyond one varint byte, gaps large and small) with counts up to 300. */
function counts(n: number, space: number): TermCounts {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(Math.floor(rand() ** 2 * space));
  const sorted = Uint32Array.from([...ids].sort((a, b) => a - b));
  return { ids: sorted, counts: Uint16Array.from(sorted, () => (rand() < 0.9 ? 1 + Math.floor(rand() * 4) : 60 + Math.floor(rand() * 240))) };
}

describe('cosineOfCounts', () => {
  const space = 1 << 16;
  // Some features cut off (idf 0), as min_df/max_df do.
  const idf = Float32Array.from({ length: space }, () => (rand() < 0.1 ? 0 : 1 + rand() * 8));

  it('gives the cosine of the query with the weighted, normalised row, from the stored bytes', () => {
    let overlapping = 0;
    for (const sublinear of [true, false]) {
      for (let t = 0; t < 50; t++) {
        const q = weigh(counts(5 + Math.floor(rand() * 60), space), idf, true);
        const doc = counts(1 + Math.floor(rand() * 300), space);
        // Rows share some of the query's features, or there is nothing to compare.
        for (let k = 0; k < Math.min(doc.ids.length, q.indices.length) && t % 2 === 0; k += 3) doc.ids[k] = q.indices[k];
        const fixed = { ids: Uint32Array.from(new Set(doc.ids)).sort(), counts: doc.counts.slice(0, new Set(doc.ids).size) };
        const bytes = Buffer.concat([Buffer.from([0x85, 0x01]), encodeCounts(fixed)]);
        const want = new SparseQuery(q).dot(weigh(decodeCounts(bytes, 2), idf, sublinear));
        const got = cosineOfCounts(new SparseQuery(q), bytes, 2, idf, sublinear);
        expect(got).toBeCloseTo(want, 6);
        if (want > 0.05) overlapping++;
      }
    }
    expect(overlapping).toBeGreaterThan(20);
  });

  it('is zero for a row with no feature left after the cut-offs, and for an empty row', () => {
    const q = weigh({ ids: Uint32Array.of(3, 9), counts: Uint16Array.of(1, 2) }, Float32Array.from({ length: 16 }, () => 1), true);
    const zero = new Float32Array(16);
    expect(cosineOfCounts(new SparseQuery(q), encodeCounts({ ids: Uint32Array.of(3, 9), counts: Uint16Array.of(1, 1) }), 0, zero, true)).toBe(0);
    expect(cosineOfCounts(new SparseQuery(q), encodeCounts({ ids: new Uint32Array(0), counts: new Uint16Array(0) }), 0, zero, true)).toBe(0);
  });

  it('names a truncated row', () => {
    const bytes = encodeCounts({ ids: Uint32Array.of(1, 500), counts: Uint16Array.of(1, 1) });
    expect(() => cosineOfCounts(new SparseQuery({ indices: Uint32Array.of(1), values: Float32Array.of(1) }), bytes.subarray(0, bytes.length - 2), 0, new Float32Array(1024).fill(1), true)).toThrow(/truncated/);
  });
});
