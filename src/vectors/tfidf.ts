/**
 * TF-IDF weighting of term counts, with scikit-learn's conventions so the
 * figures compare with the usual baselines:
 *   tf  = count, or 1 + ln(count) when `sublinear`;
 *   idf = ln((1 + n) / (1 + df)) + 1 (smooth) or ln(n / df) + 1;
 *   min_df / max_df: an integer is a document count, a fraction a share of n;
 *   max_features: the most frequent surviving terms over the corpus (by total count);
 *   rows are L2-normalised.
 *
 * The document-frequency table is kept as running counts (`DocFreq`), so the
 * IDF follows the corpus as papers arrive without re-reading anything.
 */
import type { SparseVector } from './types.ts';
import type { TermCounts } from './term-counts.ts';

export interface WeightingConfig {
  sublinear: boolean;
  smoothIdf: boolean;
  /** ≥ 1: at least this many documents; < 1: at least this share of them. */
  minDf: number;
  /** ≤ 1: at most this share of documents; > 1: at most this many. */
  maxDf: number;
  /** Keep only this many features (most frequent over the corpus). */
  maxFeatures?: number;
}

export const DEFAULT_WEIGHTING: WeightingConfig = { sublinear: true, smoothIdf: true, minDf: 1, maxDf: 0.5 };

/** Running document and corpus frequencies over a fixed feature space. */
export class DocFreq {
  readonly df: Uint32Array;
  /** Total count of each feature over the corpus (for max_features). */
  readonly cf: Uint32Array;
  n = 0;
  constructor(size: number) {
    this.df = new Uint32Array(size);
    this.cf = new Uint32Array(size);
  }

  get size(): number {
    return this.df.length;
  }

  add(c: TermCounts): void {
    this.n++;
    for (let k = 0; k < c.ids.length; k++) {
      this.df[c.ids[k]]++;
      this.cf[c.ids[k]] += c.counts[k];
    }
  }

  /** Takes a document back out (its text changed, or it went away). Never goes below zero. */
  remove(c: TermCounts): void {
    if (this.n > 0) this.n--;
    for (let k = 0; k < c.ids.length; k++) {
      const id = c.ids[k];
      if (this.df[id] > 0) this.df[id]--;
      this.cf[id] = this.cf[id] > c.counts[k] ? this.cf[id] - c.counts[k] : 0;
    }
  }

  /** Layout: n (float64) | df (uint32 × size) | cf (uint32 × size). */
  toBuffer(): Buffer {
    const buf = Buffer.alloc(8 + 8 * this.size);
    buf.writeDoubleLE(this.n, 0);
    Buffer.from(this.df.buffer, this.df.byteOffset, this.df.byteLength).copy(buf, 8);
    Buffer.from(this.cf.buffer, this.cf.byteOffset, this.cf.byteLength).copy(buf, 8 + 4 * this.size);
    return buf;
  }

  static fromBuffer(buf: Buffer): DocFreq {
    const size = (buf.length - 8) / 8;
    if (!Number.isInteger(size) || size <= 0) throw new Error(`document-frequency table: bad length ${buf.length}`);
    const t = new DocFreq(size);
    t.n = buf.readDoubleLE(0);
    buf.copy(Buffer.from(t.df.buffer), 0, 8, 8 + 4 * size);
    buf.copy(Buffer.from(t.cf.buffer), 0, 8 + 4 * size, 8 + 8 * size);
    return t;
  }
}

/**
 * IDF per feature under a config, with 0 for features the cut-offs remove.
 * O(size) to build: rebuild when the table has changed, not per document.
 */
export function idfWeights(table: DocFreq, cfg: WeightingConfig): Float32Array {
  const n = table.n;
  const idf = new Float32Array(table.size);
  if (n === 0) return idf;
  const lo = cfg.minDf >= 1 ? cfg.minDf : Math.ceil(cfg.minDf * n);
  const hi = cfg.maxDf <= 1 ? cfg.maxDf * n : cfg.maxDf;
  const df = table.df;
  let kept = 0;
  for (let i = 0; i < idf.length; i++) {
    const d = df[i];
    if (d === 0 || d < lo || d > hi) continue;
    idf[i] = cfg.smoothIdf ? Math.log((1 + n) / (1 + d)) + 1 : Math.log(n / d) + 1;
    kept++;
  }
  if (cfg.maxFeatures !== undefined && kept > cfg.maxFeatures) {
    const ids: number[] = [];
    for (let i = 0; i < idf.length; i++) if (idf[i] > 0) ids.push(i);
    // Most frequent first; ties by id so the choice is deterministic.
    ids.sort((a, b) => table.cf[b] - table.cf[a] || a - b);
    for (let k = cfg.maxFeatures; k < ids.length; k++) idf[ids[k]] = 0;
  }
  return idf;
}

/** 1 + ln(count) for small counts (the common case), without a log per term. */
export const SUBLINEAR = Float64Array.from({ length: 64 }, (_, c) => (c > 0 ? 1 + Math.log(c) : 0));

/** The tf factor of a count (1 + ln(count) when sublinear). */
export function tf(count: number, sublinear: boolean): number {
  return sublinear ? (count < 64 ? SUBLINEAR[count] : 1 + Math.log(count)) : count;
}

/** One term's TF-IDF weight before the row is normalised (what `weigh` gives each term). */
export function termWeight(count: number, idf: number, sublinear: boolean): number {
  return (sublinear ? (count < 64 ? SUBLINEAR[count] : 1 + Math.log(count)) : count) * idf;
}

/** TF-IDF of one document's counts, L2-normalised (an empty vector when nothing survives). */
export function weigh(c: TermCounts, idf: Float32Array, sublinear: boolean): SparseVector {
  const n = c.ids.length;
  const indices = new Uint32Array(n);
  const values = new Float32Array(n);
  let m = 0;
  let norm = 0;
  for (let k = 0; k < n; k++) {
    const id = c.ids[k];
    const w = idf[id];
    if (!(w > 0)) continue;
    const count = c.counts[k];
    const v = (sublinear ? (count < 64 ? SUBLINEAR[count] : 1 + Math.log(count)) : count) * w;
    indices[m] = id;
    values[m] = v;
    norm += v * v;
    m++;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < m; k++) values[k] *= inv;
  return m === n ? { indices, values } : { indices: indices.slice(0, m), values: values.slice(0, m) };
}

/** Dot product of two sparse vectors with sorted indices (cosine when both are L2-normalised). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.indices;
  const bi = b.indices;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) {
      s += a.values[i++] * b.values[j++];
    } else if (x < y) i++;
    else j++;
  }
  return s;
}
