/**
 * TF-IDF of stored term rows straight from their bytes into reusable
 * scratch arrays: ranking a year of papers visits tens of thousands of rows,
 * and decoding each into fresh arrays (counts, then weights) was most of the
 * cost. The values are exactly `weigh(decodeTermsRow(row).counts)`'s.
 */
import { SUBLINEAR, tf } from './tfidf.ts';
import type { SparseVector } from './types.ts';

export class SparseScratch {
  indices = new Uint32Array(512);
  values = new Float32Array(512);
  private grow(n: number): void {
    if (n <= this.indices.length) return;
    let cap = this.indices.length;
    while (cap < n) cap *= 2;
    this.indices = new Uint32Array(cap);
    this.values = new Float32Array(cap);
  }

  /**
   * Weighs a stored terms row (epoch varint, term count, then gap/count
   * varint pairs) with `idf`, L2-normalised. The vector's arrays are views of
   * the scratch: valid until the next call.
   */
  weighRow(buf: Uint8Array, idf: Float32Array, sublinear: boolean): SparseVector {
    let pos = 0;
    const len = buf.length;
    const varint = (): number => {
      let v = 0;
      let shift = 0;
      for (;;) {
        if (pos >= len) throw new Error('terms row: truncated');
        const b = buf[pos++];
        v += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return v;
        shift += 7;
      }
    };
    varint(); // the epoch of the table save that counts the row
    const n = varint();
    this.grow(n);
    const { indices, values } = this;
    let id = 0;
    let m = 0;
    let norm = 0;
    for (let k = 0; k < n; k++) {
      // Most gaps and counts are one byte: read those inline.
      let b = pos < len ? buf[pos] : 0x80;
      if (b < 0x80) {
        pos++;
        id += b;
      } else id += varint();
      b = pos < len ? buf[pos] : 0x80;
      let count: number;
      if (b < 0x80) {
        pos++;
        count = b;
      } else count = varint() & 0xffff; // counts are kept as 16 bits when decoded (term-counts.ts): the same here
      const w = idf[id >>> 0];
      if (!(w > 0)) continue;
      const v = (sublinear ? (count < 64 ? SUBLINEAR[count] : tf(count, true)) : count) * w;
      indices[m] = id;
      values[m] = v;
      norm += v * v;
      m++;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < m; k++) values[k] *= inv;
    return { indices: indices.subarray(0, m), values: values.subarray(0, m) };
  }
}
