/**
 * TF-IDF of stored term rows straight from their bytes into reusable
 * scratch arrays: ranking a year of papers visits tens of thousands of rows,
 * and decoding each into fresh arrays (counts, then weights) was most of the
 * cost. The values are exactly `weigh(decodeTermsRow(row).counts)`'s.
 */
import { SUBLINEAR, tf } from './tfidf.ts';
import { IDF, type TermTable } from './term-table.ts';
import type { SparseVector } from './types.ts';

/** The terms of a row that have an entry in a TermTable: entry offsets and their L2-normalised TF-IDF values. */
export interface SelectedTerms {
  entries: Int32Array;
  values: Float32Array;
}

export class SparseScratch {
  indices = new Uint32Array(512);
  values = new Float32Array(512);
  entries = new Int32Array(512);
  /** Terms in the row `start` last read. */
  private terms = 0;

  /** Reads a row's header (the epoch of the table save that counts it, then its term count); returns where its terms begin. */
  private start(buf: Uint8Array): number {
    const len = buf.length;
    let pos = 0;
    while (pos < len && buf[pos] >= 0x80) pos++;
    pos++;
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= len) throw new Error('terms row: truncated');
      const b = buf[pos++];
      n |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.grow(n);
    this.terms = n;
    return pos;
  }

  private grow(n: number): void {
    if (n <= this.indices.length) return;
    let cap = this.indices.length;
    while (cap < n) cap *= 2;
    this.indices = new Uint32Array(cap);
    this.values = new Float32Array(cap);
    this.entries = new Int32Array(cap);
  }

  /**
   * Weighs a stored terms row (epoch varint, term count, then gap/count
   * varint pairs) with `idf`, L2-normalised. The vector's arrays are views of
   * the scratch: valid until the next call.
   */
  weighRow(buf: Uint8Array, idf: Float32Array, sublinear: boolean): SparseVector {
    // Small-integer arithmetic only (ids < 2^28, counts < 2^16): a varint reader returning doubles made
    // this loop several times slower.
    const len = buf.length;
    let pos = this.start(buf);
    const n = this.terms;
    const { indices, values } = this;
    let id = 0;
    let m = 0;
    let norm = 0;
    for (let k = 0; k < n; k++) {
      if (pos >= len) throw new Error('terms row: truncated');
      let b = buf[pos++];
      let gap = b & 0x7f;
      for (let shift = 7; b >= 0x80; shift += 7) {
        b = buf[pos++];
        gap |= (b & 0x7f) << shift;
      }
      id += gap;
      b = buf[pos++];
      let count = b & 0x7f;
      for (let shift = 7; b >= 0x80; shift += 7) {
        b = buf[pos++];
        count |= (b & 0x7f) << shift;
      }
      // Counts are kept as 16 bits when decoded (term-counts.ts): the same here.
      count &= 0xffff;
      const w = idf[id];
      if (!(w > 0)) continue;
      const v = (sublinear ? (count < 64 ? SUBLINEAR[count] : tf(count, true)) : count) * w;
      indices[m] = id;
      values[m] = v;
      norm += v * v;
      m++;
    }
    if (pos > len) throw new Error('terms row: truncated');
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < m; k++) values[k] *= inv;
    return { indices: indices.subarray(0, m), values: values.subarray(0, m) };
  }

  /**
   * `weighRow` for the terms `table` has an entry for, in row order: their
   * values are exactly weighRow's (the norm still counts every term), and a
   * term's IDF comes from its entry, next to what the caller scores it with.
   * Ranking a window touches one cache line per term this way instead of the
   * IDF array's and then the scorer's. `table` must be synced to `idf`.
   * The term loop repeats weighRow's decoding on purpose: a shared decoder
   * calling back per term costs more than the scoring it feeds.
   */
  weighRowSelected(buf: Uint8Array, idf: Float32Array, sublinear: boolean, table: TermTable): SelectedTerms {
    const len = buf.length;
    let pos = this.start(buf);
    const n = this.terms;
    const { entries, values } = this;
    const idfs = table.floats;
    let id = 0;
    let m = 0;
    let norm = 0;
    for (let k = 0; k < n; k++) {
      if (pos >= len) throw new Error('terms row: truncated');
      let b = buf[pos++];
      let gap = b & 0x7f;
      for (let shift = 7; b >= 0x80; shift += 7) {
        b = buf[pos++];
        gap |= (b & 0x7f) << shift;
      }
      id += gap;
      b = buf[pos++];
      let count = b & 0x7f;
      for (let shift = 7; b >= 0x80; shift += 7) {
        b = buf[pos++];
        count |= (b & 0x7f) << shift;
      }
      count &= 0xffff;
      const at = table.mayHave(id) ? table.probe(id) : -1;
      const w = at >= 0 ? idfs[at + IDF] : idf[id];
      if (!(w > 0)) continue;
      const v = (sublinear ? (count < 64 ? SUBLINEAR[count] : tf(count, true)) : count) * w;
      norm += v * v;
      if (at < 0) continue;
      entries[m] = at;
      values[m] = v;
      m++;
    }
    if (pos > len) throw new Error('terms row: truncated');
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < m; k++) values[k] *= inv;
    return { entries: entries.subarray(0, m), values: values.subarray(0, m) };
  }
}
