/**
 * Nearest-neighbour indexes over unit vectors, keyed by paper pk.
 *
 * - `ExactIndex`: a flat float32 matrix scanned in full. Exact, no build cost,
 *   and fast enough for small collections (bench/similar.ts measures where the
 *   crossover lies).
 * - `HnswIndex`: hnswlib's HNSW graph (C++ via hnswlib-node): sub-millisecond
 *   queries at a million vectors, updates in place, deletions by tombstone.
 *
 * Both score by inner product, which is the cosine for unit vectors.
 */
import hnswlib from 'hnswlib-node';
import type { Hit } from './types.ts';

export interface VectorIndex {
  readonly kind: 'exact' | 'hnsw';
  readonly dims: number;
  /** Live vectors. */
  readonly size: number;
  has(pk: number): boolean;
  /** Adds or replaces a paper's vector. */
  upsert(pk: number, v: Float32Array): void;
  remove(pk: number): void;
  /** Up to k best by inner product, best first; `accept` filters pks (the filter is applied during the search). */
  search(q: Float32Array, k: number, accept?: (pk: number) => boolean): Hit[];
  pks(): number[];
}

export class ExactIndex implements VectorIndex {
  readonly kind = 'exact' as const;
  private data: Float32Array;
  private labels: Float64Array;
  private slots = new Map<number, number>();
  private n = 0;

  constructor(
    readonly dims: number,
    capacity = 1024,
  ) {
    this.data = new Float32Array(Math.max(1, capacity) * dims);
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
  /** A held vector (a view into the matrix: valid until the next change). */
  vectorOf(pk: number): Float32Array | undefined {
    const slot = this.slots.get(pk);
    return slot === undefined ? undefined : this.data.subarray(slot * this.dims, (slot + 1) * this.dims);
  }

  upsert(pk: number, v: Float32Array): void {
    if (v.length !== this.dims) throw new Error(`vector of ${v.length} dimensions for an index of ${this.dims}`);
    let slot = this.slots.get(pk);
    if (slot === undefined) {
      if (this.n === this.labels.length) this.grow();
      slot = this.n++;
      this.slots.set(pk, slot);
      this.labels[slot] = pk;
    }
    this.data.set(v, slot * this.dims);
  }

  remove(pk: number): void {
    const slot = this.slots.get(pk);
    if (slot === undefined) return;
    const last = --this.n;
    if (slot !== last) {
      // Move the last vector into the hole so the matrix stays dense.
      this.data.copyWithin(slot * this.dims, last * this.dims, (last + 1) * this.dims);
      const moved = this.labels[last];
      this.labels[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.slots.delete(pk);
  }

  private grow(): void {
    const data = new Float32Array(this.data.length * 2);
    data.set(this.data);
    this.data = data;
    const labels = new Float64Array(this.labels.length * 2);
    labels.set(this.labels);
    this.labels = labels;
  }

  search(q: Float32Array, k: number, accept?: (pk: number) => boolean): Hit[] {
    const d = this.dims;
    const heap = new TopK(k);
    const data = this.data;
    for (let s = 0; s < this.n; s++) {
      const o = s * d;
      let dot = 0;
      for (let i = 0; i < d; i++) dot += data[o + i] * q[i];
      if (dot > heap.threshold && (!accept || accept(this.labels[s]))) heap.push(this.labels[s], dot);
    }
    return heap.sorted();
  }
}

/** Keeps the k largest scores (a min-heap on score). */
export class TopK {
  private readonly pks: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}
  /** A score must beat this to enter. */
  get threshold(): number {
    return this.scores.length < this.k ? -Infinity : this.scores[0];
  }
  push(pk: number, score: number): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.pks.push(pk);
      this.scores.push(score);
      this.up(this.scores.length - 1);
    } else if (score > this.scores[0]) {
      this.pks[0] = pk;
      this.scores[0] = score;
      this.down(0);
    }
  }
  sorted(): Hit[] {
    return this.pks.map((pk, i) => ({ pk, score: this.scores[i] })).sort((a, b) => b.score - a.score || a.pk - b.pk);
  }
  private swap(i: number, j: number): void {
    [this.pks[i], this.pks[j]] = [this.pks[j], this.pks[i]];
    [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p] <= this.scores[i]) return;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l] < this.scores[m]) m = l;
      if (r < n && this.scores[r] < this.scores[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

export interface HnswParams {
  /** Graph degree (hnswlib's M): memory ≈ dims·4 + M·8 bytes per vector. */
  m: number;
  efConstruction: number;
  /** Search breadth: higher = better recall, slower; `auto`: by the number of vectors (`efSearchFor`). */
  efSearch: number | 'auto';
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 100, efSearch: 'auto' };

/**
 * The search breadth that keeps recall@10 against the exact scan at 0.95 or
 * more as the collection grows (M 16, efConstruction 100; bench/ann-synthetic.ts
 * and bench/similar-breakdown.ts): 74,728 real papers reach 0.998 at 96;
 * 250,000 synthetic vectors 0.876 at 96, 0.927 at 200, 0.968 at 400, 0.991 at
 * 800; a million bigram-synthetic papers 0.45 at 96 and 0.86 at 300 (an
 * earlier run). 1000 beyond 400,000 is extrapolated from those curves (misses
 * roughly halve as ef doubles), not measured at a million.
 */
export function efSearchFor(size: number): number {
  if (size <= 100_000) return 96;
  if (size <= 400_000) return 400;
  return 1000;
}

export class HnswIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  readonly index: hnswlib.HierarchicalNSW;
  private readonly live = new Set<number>();
  private readonly deleted = new Set<number>();

  constructor(
    readonly dims: number,
    readonly params: HnswParams = DEFAULT_HNSW,
    capacity = 1024,
    existing?: { index: hnswlib.HierarchicalNSW; live: number[]; deleted: number[] },
  ) {
    if (existing) {
      this.index = existing.index;
      for (const pk of existing.live) this.live.add(pk);
      for (const pk of existing.deleted) this.deleted.add(pk);
    } else {
      this.index = new hnswlib.HierarchicalNSW('ip', dims);
      this.index.initIndex({ maxElements: Math.max(16, capacity), m: params.m, efConstruction: params.efConstruction, randomSeed: 100 });
    }
    this.index.setEf(this.efSearch);
  }

  /** The search breadth in use (`auto` resolved by the live vectors). */
  get efSearch(): number {
    return this.params.efSearch === 'auto' ? efSearchFor(this.live.size) : this.params.efSearch;
  }

  get size(): number {
    return this.live.size;
  }
  has(pk: number): boolean {
    return this.live.has(pk);
  }
  pks(): number[] {
    return [...this.live];
  }
  /** Labels present in the graph but tombstoned (kept for the snapshot, reused on re-add). */
  deletedPks(): number[] {
    return [...this.deleted];
  }

  upsert(pk: number, v: Float32Array): void {
    if (v.length !== this.dims) throw new Error(`vector of ${v.length} dimensions for an index of ${this.dims}`);
    if (!this.live.has(pk) && !this.deleted.has(pk) && this.index.getCurrentCount() >= this.index.getMaxElements()) {
      this.index.resizeIndex(Math.ceil(this.index.getMaxElements() * 1.5) + 16);
    }
    // Adding an existing label (live or tombstoned) replaces its vector and revives it.
    this.index.addPoint(Array.from(v), pk);
    this.deleted.delete(pk);
    this.live.add(pk);
  }

  remove(pk: number): void {
    if (!this.live.has(pk)) return;
    this.index.markDelete(pk);
    this.live.delete(pk);
    this.deleted.add(pk);
  }

  search(q: Float32Array, k: number, accept?: (pk: number) => boolean): Hit[] {
    const n = Math.min(k, this.live.size);
    if (n <= 0) return [];
    // The search breadth is at least k: a wide query (similar papers' candidates) explores as widely as it asks.
    const ef = Math.max(n, this.efSearch);
    if (this.index.getEf() !== ef) this.index.setEf(ef);
    const res = accept ? this.index.searchKnn(Array.from(q), n, accept) : this.index.searchKnn(Array.from(q), n);
    return res.neighbors.map((pk, i) => ({ pk, score: 1 - res.distances[i] }));
  }
}
