/**
 * The hot path of the profile model, in typed arrays: a candidate's
 * similarity to every positive (an inverted index over the positives' terms)
 * and its classifier margin, in one pass over the candidate's own terms, and
 * the three neighbour aggregates without sorting or allocating. A feed scores
 * every paper of its window with it (a year is tens of thousands of papers),
 * so per-candidate objects and Map lookups are what it avoids. Pure.
 */
import type { FeatureRow } from './recommend-linear.ts';

/** Bits of the filter in front of the table: 2^21 bits, 256 KB, small enough to stay in cache. */
const FILTER_BITS = 21;

/**
 * Open addressing from a feature id to a dense slot, behind a one-bit-per-id
 * filter (ids folded onto 2^21 bits): most of a candidate's terms (rare words,
 * bigrams) are in no positive and have no classifier weight, and the filter
 * turns those away without touching the table.
 */
export class IdSlots {
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly filter = new Int32Array(2 ** (FILTER_BITS - 5));
  size = 0;
  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
  }
  /** The slot of `id`, or -1. */
  get(id: number): number {
    const f = id & (2 ** FILTER_BITS - 1);
    if ((this.filter[f >>> 5] & (1 << (f & 31))) === 0) return -1;
    let h = Math.imul(id, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= this.mask;
      const k = this.keys[h];
      if (k === id) return this.slots[h];
      if (k === -1) return -1;
      h++;
    }
  }
  /** The slot of `id`, added as the next one when new. */
  add(id: number): number {
    let h = Math.imul(id, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= this.mask;
      const k = this.keys[h];
      if (k === id) return this.slots[h];
      if (k === -1) {
        const f = id & (2 ** FILTER_BITS - 1);
        this.filter[f >>> 5] |= 1 << (f & 31);
        this.keys[h] = id;
        this.slots[h] = this.size;
        return this.size++;
      }
      h++;
    }
  }
}

export interface PositiveRow {
  row: FeatureRow;
  weight: number;
}

/** [nearest, weighted mean of the k nearest, weighted mean of all] of one group of positives. */
export type Parts = [number, number, number];

export class ProfileIndex {
  private readonly slots: IdSlots;
  /** Classifier weight per slot (0 for a term only the positives have). */
  private readonly weight: Float64Array;
  private readonly start: Int32Array;
  private readonly postP: Int32Array;
  private readonly postV: Float64Array;
  private readonly weights: Float64Array;
  /** Scratch: similarities of the current candidate, and the k best of a group. */
  readonly acc: Float64Array;
  private readonly topI: Int32Array;

  constructor(
    private readonly positives: PositiveRow[],
    classifier: Map<number, number> | undefined,
    private readonly k: number,
  ) {
    let terms = classifier?.size ?? 0;
    for (const p of positives) terms += p.row.indices.length;
    this.slots = new IdSlots(terms);
    if (classifier) for (const id of classifier.keys()) this.slots.add(id);
    for (const p of positives) for (let j = 0; j < p.row.indices.length; j++) this.slots.add(p.row.indices[j]);
    const n = this.slots.size;
    this.weight = new Float64Array(n);
    if (classifier) for (const [id, w] of classifier) this.weight[this.slots.get(id)] = w;
    // Postings in positive order, as a nested list built positive by positive would hold them.
    const count = new Int32Array(n + 1);
    for (const p of positives) for (let j = 0; j < p.row.indices.length; j++) count[this.slots.get(p.row.indices[j]) + 1]++;
    for (let s = 0; s < n; s++) count[s + 1] += count[s];
    this.start = count;
    const fill = count.slice(0, n);
    this.postP = new Int32Array(count[n]);
    this.postV = new Float64Array(count[n]);
    positives.forEach((p, i) => {
      for (let j = 0; j < p.row.indices.length; j++) {
        const at = fill[this.slots.get(p.row.indices[j])]++;
        this.postP[at] = i;
        this.postV[at] = p.row.values[j];
      }
    });
    this.weights = Float64Array.from(positives, (p) => p.weight);
    this.acc = new Float64Array(positives.length);
    this.topI = new Int32Array(Math.max(1, k));
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
    for (let k = 0; k < indices.length; k++) {
      const s = this.slots.get(indices[k]);
      if (s < 0) continue;
      const v = values[k];
      margin += this.weight[s] * v;
      for (let j = this.start[s], end = this.start[s + 1]; j < end; j++) acc[this.postP[j]] += this.postV[j] * v;
    }
    if (row.dense) {
      for (let i = 0; i < this.positives.length; i++) {
        const d = this.positives[i].row.dense;
        if (!d) continue;
        let s = 0;
        for (let k = 0; k < d.length && k < row.dense.length; k++) s += d[k] * row.dense[k];
        acc[i] += s;
      }
    }
    return margin;
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
