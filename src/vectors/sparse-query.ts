/**
 * A sparse query vector prepared for scoring many documents: its weights in a
 * small open-addressing hash table (≥ 4× its nonzeros, so a lookup of a term
 * the query lacks ends at the first empty slot). The table stays in L1/L2
 * cache, so scoring a document costs one short probe per document nonzero —
 * about 3× faster than scattering the query into a feature-space-sized array
 * (cache misses) and than merging sorted index lists (branches).
 */
import type { SparseVector } from './types.ts';

export class SparseQuery {
  private readonly bits: number;
  private readonly keys: Int32Array;
  private readonly vals: Float32Array;

  constructor(q: SparseVector) {
    let bits = 6;
    while (1 << bits < 4 * q.indices.length) bits++;
    this.bits = bits;
    const size = 1 << bits;
    const mask = size - 1;
    this.keys = new Int32Array(size).fill(-1);
    this.vals = new Float32Array(size);
    for (let k = 0; k < q.indices.length; k++) {
      const id = q.indices[k];
      let h = Math.imul(id, 0x9e3779b1) >>> (32 - bits);
      while (this.keys[h] !== -1 && this.keys[h] !== id) h = (h + 1) & mask;
      this.keys[h] = id;
      this.vals[h] += q.values[k];
    }
  }

  /** The query's weight of feature `id` (0 when it lacks it). */
  weight(id: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let h = Math.imul(id, 0x9e3779b1) >>> (32 - this.bits);
    let key: number;
    while ((key = keys[h]) !== -1) {
      if (key === id) return this.vals[h];
      h = (h + 1) & mask;
    }
    return 0;
  }

  dot(v: SparseVector): number {
    const keys = this.keys;
    const vals = this.vals;
    const shift = 32 - this.bits;
    const mask = keys.length - 1;
    const idx = v.indices;
    const val = v.values;
    let d = 0;
    for (let k = 0; k < idx.length; k++) {
      const id = idx[k];
      let h = Math.imul(id, 0x9e3779b1) >>> shift;
      let key: number;
      while ((key = keys[h]) !== -1) {
        if (key === id) {
          d += vals[h] * val[k];
          break;
        }
        h = (h + 1) & mask;
      }
    }
    return d;
  }
}
