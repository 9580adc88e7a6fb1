/**
 * Unit vectors as the store keeps them (quantize.ts: int8 per dimension and
 * one scale), in one flat matrix: a quarter of a float32 copy's memory, read
 * straight from the stored bytes.
 *
 * Scores are the inner product of a float32 query with each row's decoded,
 * re-normalised vector — the same number an exact float32 scan of
 * `decodeDense` vectors gives (to float rounding), so re-ranking candidates
 * here keeps the exact order, and a full scan is the exact baseline.
 */
import { TopK, type VectorIndex } from './ann.ts';
import { encodeDense } from './quantize.ts';
import type { Hit } from './types.ts';

export class Int8Matrix implements VectorIndex {
  readonly kind = 'exact' as const;
  private data: Int8Array;
  /** Per row: the stored scale divided by the stored vector's norm, so a row's dot times it is the cosine. */
  private mult: Float64Array;
  private labels: Float64Array;
  private slots = new Map<number, number>();
  private n = 0;

  constructor(
    readonly dims: number,
    capacity = 1024,
  ) {
    this.data = new Int8Array(Math.max(1, capacity) * dims);
    this.mult = new Float64Array(Math.max(1, capacity));
    this.labels = new Float64Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.n;
  }
  has(pk: number): boolean {
    return this.slots.has(pk);
  }
  pks(): number[] {
    return [...this.slots.keys()];
  }

  /** Adds or replaces a row from its stored encoding (4-byte scale, then one int8 per dimension). */
  upsertEncoded(pk: number, buf: Uint8Array): void {
    if (buf.length !== 4 + this.dims) throw new Error(`stored vector of ${buf.length - 4} dimensions for a matrix of ${this.dims}`);
    const scale = new DataView(buf.buffer, buf.byteOffset, 4).getFloat32(0, true);
    const slot = this.slotFor(pk);
    const row = new Int8Array(buf.buffer, buf.byteOffset + 4, this.dims);
    this.data.set(row, slot * this.dims);
    let sq = 0;
    for (let i = 0; i < this.dims; i++) sq += row[i] * row[i];
    // scale·x / ‖scale·x‖ = x / ‖x‖: the scale cancels once the row is re-normalised.
    this.mult[slot] = sq > 0 && scale > 0 ? 1 / Math.sqrt(sq) : 0;
  }

  upsert(pk: number, v: Float32Array): void {
    if (v.length !== this.dims) throw new Error(`vector of ${v.length} dimensions for a matrix of ${this.dims}`);
    this.upsertEncoded(pk, encodeDense(v));
  }

  remove(pk: number): void {
    const slot = this.slots.get(pk);
    if (slot === undefined) return;
    const last = --this.n;
    if (slot !== last) {
      this.data.copyWithin(slot * this.dims, last * this.dims, (last + 1) * this.dims);
      this.mult[slot] = this.mult[last];
      const moved = this.labels[last];
      this.labels[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.slots.delete(pk);
  }

  /** Cosine of `q` with each of `pks`' rows (pks not held are left out), best first. */
  rerank(q: Float32Array, pks: Iterable<number>): Hit[] {
    const out: Hit[] = [];
    for (const pk of pks) {
      const slot = this.slots.get(pk);
      if (slot !== undefined) out.push({ pk, score: this.dotSlot(q, slot) });
    }
    return out.sort((a, b) => b.score - a.score || a.pk - b.pk);
  }

  /** Exact scan of every row. */
  search(q: Float32Array, k: number, accept?: (pk: number) => boolean): Hit[] {
    const heap = new TopK(k);
    for (let s = 0; s < this.n; s++) {
      const dot = this.dotSlot(q, s);
      if (dot > heap.threshold && (!accept || accept(this.labels[s]))) heap.push(this.labels[s], dot);
    }
    return heap.sorted();
  }

  private dotSlot(q: Float32Array, slot: number): number {
    const d = this.dims;
    const data = this.data;
    const o = slot * d;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += data[o + i] * q[i];
    return dot * this.mult[slot];
  }

  private slotFor(pk: number): number {
    let slot = this.slots.get(pk);
    if (slot !== undefined) return slot;
    if (this.n === this.labels.length) this.grow();
    slot = this.n++;
    this.slots.set(pk, slot);
    this.labels[slot] = pk;
    return slot;
  }

  private grow(): void {
    const cap = this.labels.length * 2;
    const data = new Int8Array(cap * this.dims);
    data.set(this.data);
    this.data = data;
    const mult = new Float64Array(cap);
    mult.set(this.mult);
    this.mult = mult;
    const labels = new Float64Array(cap);
    labels.set(this.labels);
    this.labels = labels;
  }
}
