/**
 * The hot path of the profile model, in typed arrays: a candidate's
 * similarity to every positive (an inverted index over the positives' terms)
 * and its classifier margin, in one pass over the candidate's own terms, and
 * the three neighbour aggregates without sorting or allocating. A feed scores
 * every paper of its window with it (a year is tens of thousands of papers),
 * so per-candidate objects and Map lookups are what it avoids. Pure.
 */
import type { FeatureRow } from './recommend-linear.ts';
import { A, B, TermTable } from '../vectors/term-table.ts';
import type { SelectedTerms } from '../vectors/sparse-scan.ts';

export interface PositiveRow {
  row: FeatureRow;
  weight: number;
}

/** A linear classifier's sparse weights: `weights[i]` is feature `ids[i]`'s (zeros are left out of the index). */
export interface Classifier {
  ids: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** [nearest, weighted mean of the k nearest, weighted mean of all] of one group of positives. */
export type Parts = [number, number, number];

export class ProfileIndex {
  /**
   * Every term the classifier weighs or a positive has: its classifier weight
   * (A; 0 for a term only the positives have) and its postings slot (B; -1
   * for a term no positive has).
   */
  readonly terms: TermTable;
  private readonly start: Int32Array;
  private readonly postP: Int32Array;
  private readonly postV: Float64Array;
  private readonly weights: Float64Array;
  /** Scratch: similarities of the current candidate, and the k best of a group. */
  readonly acc: Float64Array;
  private readonly topI: Int32Array;

  constructor(
    private readonly positives: PositiveRow[],
    classifier: Classifier | undefined,
    private readonly k: number,
  ) {
    let expected = classifier?.ids.length ?? 0;
    for (const p of positives) expected += p.row.indices.length;
    const table = (this.terms = new TermTable(expected));
    const { ints, floats } = table;
    if (classifier)
      for (let l = 0; l < classifier.ids.length; l++) if (classifier.weights[l] !== 0) floats[table.add(classifier.ids[l]) + A] = classifier.weights[l];
    // Postings slots in order of first appearance, as a nested list built positive by positive would have them.
    let n = 0;
    for (const p of positives)
      for (let j = 0; j < p.row.indices.length; j++) {
        const at = table.add(p.row.indices[j]);
        if (ints[at + B] < 0) ints[at + B] = n++;
      }
    const count = new Int32Array(n + 1);
    for (const p of positives) for (let j = 0; j < p.row.indices.length; j++) count[ints[table.get(p.row.indices[j]) + B] + 1]++;
    for (let s = 0; s < n; s++) count[s + 1] += count[s];
    this.start = count;
    const fill = count.slice(0, n);
    this.postP = new Int32Array(count[n]);
    this.postV = new Float64Array(count[n]);
    positives.forEach((p, i) => {
      for (let j = 0; j < p.row.indices.length; j++) {
        const at = fill[ints[table.get(p.row.indices[j]) + B]]++;
        this.postP[at] = i;
        this.postV[at] = p.row.values[j];
      }
    });
    this.weights = Float64Array.from(positives, (p) => p.weight);
    this.acc = new Float64Array(positives.length);
    this.topI = new Int32Array(Math.max(1, k));
  }

  /** The classifier's weight of feature `id` (0 when it has none), as the index holds it. */
  weightOf(id: number): number {
    const at = this.terms.get(id);
    return at < 0 ? 0 : this.terms.floats[at + A];
  }

  /**
   * Fills `acc` with the row's similarity to each positive and returns
   * `bias` plus the classifier's sparse margin. Sums run term by term in the
   * row's order, as a lookup per term would add them.
   */
  sparsePass(row: FeatureRow, bias: number): number {
    const acc = this.acc;
    acc.fill(0);
    let margin = bias;
    const { indices, values } = row;
    const table = this.terms;
    for (let k = 0; k < indices.length; k++) {
      const at = table.get(indices[k]);
      if (at >= 0) margin += this.term(at, values[k]);
    }
    if (row.dense) this.densePass(row.dense);
    return margin;
  }

  /**
   * `sparsePass` over a row's terms as a scan selected them from its stored
   * bytes (vectors/sparse-scan.ts weighRowSelected on `terms`), scaled by
   * `scale` first as jointRow scales a row beside a dense part: the same
   * sums in the same order, without a lookup per term.
   */
  selectedPass(sel: SelectedTerms, bias: number, scale: number, dense?: Float32Array): number {
    this.acc.fill(0);
    let margin = bias;
    const { entries, values } = sel;
    if (scale !== 1) for (let k = 0; k < values.length; k++) values[k] *= scale;
    for (let k = 0; k < entries.length; k++) margin += this.term(entries[k], values[k]);
    if (dense) this.densePass(dense);
    return margin;
  }

  /** Adds one term of the candidate to every positive that has it; returns its classifier share. */
  private term(at: number, v: number): number {
    const slot = this.terms.ints[at + B];
    if (slot >= 0) {
      const acc = this.acc;
      for (let j = this.start[slot], end = this.start[slot + 1]; j < end; j++) acc[this.postP[j]] += this.postV[j] * v;
    }
    return this.terms.floats[at + A] * v;
  }

  private densePass(dense: Float32Array): void {
    const acc = this.acc;
    for (let i = 0; i < this.positives.length; i++) {
      const d = this.positives[i].row.dense;
      if (!d) continue;
      let s = 0;
      for (let k = 0; k < d.length && k < dense.length; k++) s += d[k] * dense[k];
      acc[i] += s;
    }
  }

  /**
   * The aggregates of the positives in `group` (indices in positive order) over
   * `acc`: the k nearest are taken as a stable sort by similarity would (ties
   * in positive order) and averaged nearest first; the mean of all sums in
   * positive order.
   */
  parts(group: Int32Array): Parts {
    if (group.length === 0) return [0, 0, 0];
    const acc = this.acc;
    const w = this.weights;
    const top = this.topI;
    const k = top.length;
    let size = 0;
    let num = 0;
    let den = 0;
    for (const i of group) {
      const v = acc[i];
      num += v * w[i];
      den += w[i];
      if (size === k && acc[top[k - 1]] >= v) continue;
      // Insert after every kept one at least as close: a later positive never overtakes an equal earlier one.
      let at = size < k ? size++ : k - 1;
      while (at > 0 && acc[top[at - 1]] < v) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = i;
    }
    let tn = 0;
    let td = 0;
    for (let j = 0; j < size; j++) {
      tn += acc[top[j]] * w[top[j]];
      td += w[top[j]];
    }
    return [acc[top[0]], td > 0 ? tn / td : 0, den > 0 ? num / den : 0];
  }

  /** The `n` nearest positives of the last pass (stable: ties in positive order). */
  nearest(n: number): number[] {
    const order = Array.from(this.acc.keys()).sort((a, b) => this.acc[b] - this.acc[a]);
    return order.slice(0, n);
  }
}
