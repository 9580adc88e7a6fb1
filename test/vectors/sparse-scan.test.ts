import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/text/random.ts';
import { decodeTermsRow, encodeTermsRow } from '../../src/vectors/sparse-index.ts';
import { SparseScratch } from '../../src/vectors/sparse-scan.ts';
import { TermTable } from '../../src/vectors/term-table.ts';
import { weigh } from '../../src/vectors/tfidf.ts';

describe('weighing stored term rows in place', () => {
  const rand = mulberry32(7);
  const idf = Float32Array.from({ length: 1 << 21 }, () => (rand() < 0.2 ? 0 : 1 + rand() * 8));

  function row(n: number, epoch: number) {
    const ids = new Set<number>();
    // Gaps of one to four varint bytes, counts of one to three (some above the sublinear table).
    while (ids.size < n) ids.add(Math.floor(rand() ** 3 * (1 << 21)));
    const sorted = Uint32Array.from([...ids]).sort();
    const counts = Uint16Array.from(sorted, () => (rand() < 0.1 ? 60 + Math.floor(rand() * 40_000) : 1 + Math.floor(rand() * 5)));
    return encodeTermsRow(epoch, { ids: sorted, counts });
  }

  it('gives exactly weigh(decodeTermsRow(row)) for every row, the scratch reused and grown', () => {
    const scratch = new SparseScratch();
    for (const [n, epoch] of [[0, 0], [1, 3], [40, 200], [3000, 1e9], [120, 1]] as const) {
      for (const sublinear of [true, false]) {
        const buf = row(n, epoch);
        const want = weigh(decodeTermsRow(buf).counts, idf, sublinear);
        const got = scratch.weighRow(buf, idf, sublinear);
        expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
        expect(Array.from(got.values)).toEqual(Array.from(want.values));
      }
    }
  });

  it('selects the terms a table has, with exactly weighRow\'s values (the norm still counts every term)', () => {
    const scratch = new SparseScratch();
    const buf = row(400, 5);
    const all = scratch.weighRow(buf, idf, true);
    const ids = Array.from(all.indices);
    const values = Array.from(all.values);
    // Every third term of the row, ids with no weight (idf 0), and ids the row does not have.
    const table = new TermTable(300);
    const chosen = ids.filter((_, i) => i % 3 === 0);
    for (const id of chosen) table.add(id);
    let zero = 0;
    while (idf[zero] > 0) zero++;
    table.add(zero);
    table.add((1 << 21) - 1);
    table.syncIdf(idf);
    const got = scratch.weighRowSelected(buf, idf, true, table);
    expect(Array.from(got.entries, (at) => table.ints[at])).toEqual(chosen);
    expect(Array.from(got.values)).toEqual(values.filter((_, i) => i % 3 === 0));
    // A different IDF (the weighting moved) is copied into the table before use.
    const idf2 = idf.map((w) => w * 2);
    table.syncIdf(idf2);
    expect(Array.from(scratch.weighRowSelected(buf, idf2, true, table).values)).toEqual(
      Array.from(scratch.weighRow(buf, idf2, true).values).filter((_, i) => i % 3 === 0),
    );
  });

  it('refuses a truncated row instead of reading past it', () => {
    const buf = row(50, 2);
    expect(() => new SparseScratch().weighRow(buf.subarray(0, buf.length - 3), idf, true)).toThrow(/truncated/);
    const table = new TermTable(1);
    table.syncIdf(idf);
    expect(() => new SparseScratch().weighRowSelected(buf.subarray(0, buf.length - 3), idf, true, table)).toThrow(/truncated/);
  });
});
