import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/text/random.ts';
import { ProfileIndex } from '../../src/rank/profile-index.ts';
import { poolCosine } from '../../src/rank/pool-cosine.ts';
import { rowCosine } from '../../src/rank/recommend.ts';
import type { FeatureRow } from '../../src/rank/recommend-linear.ts';

const rand = mulberry32(11);
function randomRow(terms: number, space: number, dense = 0): FeatureRow {
  const ids = new Set<number>();
  while (ids.size < terms) ids.add(Math.floor(rand() * space));
  const indices = Uint32Array.from([...ids]).sort();
  const values = Float32Array.from(indices, () => rand());
  return { indices, values, ...(dense ? { dense: Float32Array.from({ length: dense }, () => rand() - 0.5) } : {}) };
}

/** The aggregates as a stable sort by similarity gives them (the model's definition). */
function reference(sims: number[], weights: number[], group: number[], k: number) {
  const xs = group.map((i) => ({ s: sims[i], w: weights[i] })).sort((a, b) => b.s - a.s);
  const wmean = (ys: typeof xs) => {
    const den = ys.reduce((a, y) => a + y.w, 0);
    return den > 0 ? ys.reduce((a, y) => a + y.s * y.w, 0) / den : 0;
  };
  return [xs[0]?.s ?? 0, wmean(xs.slice(0, k)), wmean(xs)];
}

describe('the profile index', () => {
  it('gives each positive the cosine of a merge and the classifier margin of a term lookup', () => {
    const positives = Array.from({ length: 9 }, () => ({ row: randomRow(60, 500, 4), weight: 0.3 + rand() }));
    const classifier = new Map<number, number>();
    for (let id = 0; id < 500; id += 3) classifier.set(id, rand() - 0.5);
    const index = new ProfileIndex(positives, { ids: [...classifier.keys()], weights: [...classifier.values()] }, 3);
    for (let n = 0; n < 20; n++) {
      const row = randomRow(80, 700, 4);
      const margin = index.sparsePass(row, 0.25);
      positives.forEach((p, i) => expect(index.acc[i]).toBeCloseTo(rowCosine(p.row, row), 12));
      let want = 0.25;
      // The index keeps classifier weights in single precision, beside the IDF of each term.
      row.indices.forEach((id, k) => (want += Math.fround(classifier.get(id) ?? 0) * row.values[k]));
      expect(margin).toBeCloseTo(want, 12);
    }
  });

  it('scores terms a scan selected by its table exactly as the row they came from', () => {
    const positives = Array.from({ length: 7 }, () => ({ row: randomRow(50, 400, 3), weight: 0.5 + rand() }));
    const classifier = new Map<number, number>();
    for (let id = 0; id < 400; id += 2) classifier.set(id, rand() - 0.5);
    const index = new ProfileIndex(positives, { ids: [...classifier.keys()], weights: [...classifier.values()] }, 3);
    for (let n = 0; n < 10; n++) {
      const row = randomRow(70, 600, 3);
      const margin = index.sparsePass(row, -0.1);
      const acc = Array.from(index.acc);
      // What weighRowSelected hands over: the row's terms the table has, in row order.
      const keep = Array.from(row.indices.keys()).filter((k) => index.terms.get(row.indices[k]) >= 0);
      const sel = { entries: Int32Array.from(keep, (k) => index.terms.get(row.indices[k])), values: Float32Array.from(keep, (k) => row.values[k]) };
      expect(index.selectedPass(sel, -0.1, 1, row.dense)).toBe(margin);
      expect(Array.from(index.acc)).toEqual(acc);
    }
  });

  it('aggregates like a stable sort: ties (papers sharing nothing) keep positive order, so their weights count', () => {
    const weights = [1, 5, 0.5, 2, 3, 0.3];
    const positives = weights.map((weight, i) => ({ row: { indices: Uint32Array.of(i * 10), values: Float32Array.of(1) }, weight }));
    const index = new ProfileIndex(positives, undefined, 3);
    const groups = [[0, 1, 2, 3, 4, 5], [1, 3, 5], [4], []];
    // Candidates touching no positive, one, or several with equal values.
    const candidates = [
      { indices: Uint32Array.of(999), values: Float32Array.of(1) },
      { indices: Uint32Array.of(30), values: Float32Array.of(0.5) },
      { indices: Uint32Array.of(0, 20, 40), values: Float32Array.of(0.5, 0.5, 0.5) },
      { indices: Uint32Array.of(10, 20, 30, 50), values: Float32Array.of(0.9, 0.1, 0.9, 0.4) },
    ];
    for (const row of candidates) {
      index.sparsePass(row, 0);
      const sims = Array.from(index.acc);
      for (const g of groups) {
        const got = index.parts(Int32Array.from(g));
        const want = reference(sims, weights, g, 3);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 14));
      }
      expect(index.nearest(3)).toEqual(sims.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s).slice(0, 3).map((x) => x.i));
    }
  });
});

describe('cosines within a pool', () => {
  it('equal the merge cosine exactly, whatever order the pairs come in', () => {
    const rows = Array.from({ length: 30 }, (_, i) => randomRow(20 + i, 200, i % 2 ? 3 : 0));
    const cos = poolCosine(rows);
    for (let n = 0; n < 300; n++) {
      const i = Math.floor(rand() * rows.length);
      const j = Math.floor(rand() * rows.length);
      expect(cos(i, j)).toBe(rowCosine(rows[i], rows[j]));
    }
  });
});
