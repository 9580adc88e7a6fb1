import { describe, expect, it } from 'vitest';
import { A, B, ENTRY, IDF, TermTable } from '../../src/vectors/term-table.ts';

describe('the term table', () => {
  it('finds every added id, misses the rest, and keeps each entry\'s numbers apart', () => {
    const table = new TermTable(1000);
    // Ids beyond the filter's 2^21 bits share filter bits with small ones.
    const ids = Array.from({ length: 1000 }, (_, i) => i * 7919 + (i % 3) * (1 << 22));
    const at = ids.map((id, i) => {
      const e = table.add(id);
      table.floats[e + A] = i / 2;
      table.ints[e + B] = i;
      return e;
    });
    expect(new Set(at).size).toBe(1000);
    expect(table.size).toBe(1000);
    expect(table.add(ids[10])).toBe(at[10]);
    expect(table.size).toBe(1000);
    ids.forEach((id, i) => {
      expect(table.get(id)).toBe(at[i]);
      expect(table.ints[at[i]]).toBe(id);
      expect(table.floats[at[i] + A]).toBe(i / 2);
      expect(table.ints[at[i] + B]).toBe(i);
      expect(at[i] % ENTRY).toBe(0);
    });
    expect(table.get(5)).toBe(-1);
    expect(table.mayHave(ids[3] + (1 << 21))).toBe(true); // same filter bit…
    expect(table.get(ids[3] + (1 << 21))).toBe(-1); // …not in the table
    expect(() => table.add(12345)).toThrow(/more than the 1000 terms/);
  });

  it('starts new entries with no weight and no slot, and copies the IDF of each', () => {
    const table = new TermTable(4);
    const e = table.add(3);
    expect([table.floats[e + A], table.ints[e + B]]).toEqual([0, -1]);
    const idf = Float32Array.of(0, 0, 0, 2.5, 0);
    table.syncIdf(idf);
    expect(table.floats[e + IDF]).toBe(2.5);
    // Added after a sync: the next sync with the same array copies it too.
    const f = table.add(4);
    idf[4] = 1.25;
    table.syncIdf(idf);
    expect(table.floats[f + IDF]).toBe(1.25);
    // An id past the IDF array weighs nothing.
    const g = table.add(99);
    table.syncIdf(idf);
    expect(table.floats[g + IDF]).toBe(0);
  });
});
