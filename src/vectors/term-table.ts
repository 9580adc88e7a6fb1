/**
 * A lookup from sparse feature ids to a few numbers per id, laid out for a
 * scan over tens of thousands of stored rows: each entry's key, IDF and the
 * caller's two values sit side by side in 16 bytes, so a term costs one cache
 * line where separate arrays (IDF, a hash of slots, weights, posting starts)
 * cost one miss each, and the table of a profile model (a few hundred
 * thousand terms) stays a few megabytes. A one-bit-per-id filter in front
 * turns away ids with no entry (ids are folded onto 2^21 bits; the hashed
 * feature space has exactly that many, so there the filter is exact).
 */

const FILTER_BITS = 21;
const FILTER_MASK = 2 ** FILTER_BITS - 1;
/** Slots per entry: key (ints), IDF (floats), `a` (floats), `b` (ints). */
export const ENTRY = 4;
export const IDF = 1;
export const A = 2;
export const B = 3;
/** Linear probing stays within a cache line or two up to this load. */
const MAX_LOAD = 0.7;

export class TermTable {
  /** The entries as integers: the key at `at`, the caller's `b` at `at + B`; key -1 is empty. */
  readonly ints: Int32Array;
  /** The same bytes as floats: the IDF at `at + IDF`, the caller's `a` at `at + A`. */
  readonly floats: Float32Array;
  private readonly filter = new Int32Array(2 ** (FILTER_BITS - 5));
  private readonly mask: number;
  /** The IDF array the entries' IDF column was copied from. */
  private idfFrom: Float32Array | undefined;
  size = 0;

  constructor(private readonly capacity: number) {
    let cap = 16;
    while (cap * MAX_LOAD < capacity) cap *= 2;
    this.mask = cap - 1;
    const bytes = new ArrayBuffer(cap * ENTRY * 4);
    this.ints = new Int32Array(bytes);
    this.floats = new Float32Array(bytes);
    for (let at = 0; at < this.ints.length; at += ENTRY) this.ints[at] = -1;
  }

  /** Whether `id` may have an entry (false: it certainly has none). */
  mayHave(id: number): boolean {
    const f = id & FILTER_MASK;
    return (this.filter[f >>> 5] & (1 << (f & 31))) !== 0;
  }

  /** Offset of `id`'s entry, or -1. */
  get(id: number): number {
    if (!this.mayHave(id)) return -1;
    return this.probe(id);
  }

  /** `get` without the filter, for a caller that has just checked `mayHave`. */
  probe(id: number): number {
    const ints = this.ints;
    let h = Math.imul(id, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= this.mask;
      const k = ints[h * ENTRY];
      if (k === id) return h * ENTRY;
      if (k === -1) return -1;
      h++;
    }
  }

  /** Offset of `id`'s entry, added (with a = 0, b = -1) when new. Ids are non-negative 31-bit integers. */
  add(id: number): number {
    const ints = this.ints;
    let h = Math.imul(id, 0x9e3779b1) >>> 0;
    for (;;) {
      h &= this.mask;
      const at = h * ENTRY;
      const k = ints[at];
      if (k === id) return at;
      if (k === -1) {
        if (this.size >= this.capacity) throw new Error(`term table: more than the ${this.capacity} terms it was made for`);
        const f = id & FILTER_MASK;
        this.filter[f >>> 5] |= 1 << (f & 31);
        ints[at] = id;
        this.floats[at + A] = 0;
        ints[at + B] = -1;
        this.size++;
        this.idfFrom = undefined;
        return at;
      }
      h++;
    }
  }

  /** Copies each entry's IDF from `idf` (once per IDF array: a new array means the weighting moved). */
  syncIdf(idf: Float32Array): void {
    if (this.idfFrom === idf) return;
    const { ints, floats } = this;
    for (let at = 0; at < ints.length; at += ENTRY) {
      const k = ints[at];
      if (k !== -1) floats[at + IDF] = k < idf.length ? idf[k] : 0;
    }
    this.idfFrom = idf;
  }
}
