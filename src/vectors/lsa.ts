/**
 * The built-in dense model: latent semantic analysis (a truncated SVD of the
 * TF-IDF term-document matrix), fitted on the corpus itself — offline, nothing
 * to download. A document's vector is its TF-IDF row times the top right
 * singular vectors, so new papers are embedded without refitting.
 *
 * The model freezes the IDF and the column set it was fitted with: vectors of
 * papers embedded later stay comparable with the ones embedded at fit time.
 * It reads the same hashed term counts the sparse index stores, so embedding a
 * stored paper needs no tokenisation.
 */
import { DocFreq, idfWeights } from './tfidf.ts';
import { HashedSpace } from './feature-space.ts';
import { randomizedSvd } from './rsvd.ts';
import type { Csr } from './linalg.ts';
import type { TermCounts } from './term-counts.ts';

export interface LsaConfig {
  /** Output dimensions. */
  dims: number;
  /** Column selection over the fitting documents (see WeightingConfig). */
  minDf: number;
  maxDf: number;
  maxFeatures: number;
  /** Read single words only (n-grams add little to a low-rank model and cost columns). */
  wordsOnly: boolean;
  /**
   * Singular-value scaling of the output: coordinates are multiplied by
   * (σ₁/σᵢ)^beta — 0 keeps UΣ (classic LSA), 1 whitens to U.
   */
  beta: number;
  powerIters: number;
  /** Fit on at most this many documents (a uniform sample beyond that): bounds fit time and memory. */
  maxFitDocs: number;
  seed: number;
}

export const DEFAULT_LSA: LsaConfig = {
  dims: 128,
  minDf: 3,
  maxDf: 0.5,
  maxFeatures: 60_000,
  wordsOnly: true,
  beta: 0,
  powerIters: 2,
  maxFitDocs: 120_000,
  seed: 17,
};

export class LsaModel {
  /** Column of each feature id, -1 for none: one typed-array read per term when embedding a million papers. */
  private readonly colOf: Int32Array;
  /** Per-call scratch of a document's columns and weights. */
  private cs = new Int32Array(256);
  private ws = new Float64Array(256);

  constructor(
    /** Sorted feature ids of the columns. */
    readonly cols: Uint32Array,
    /** Frozen IDF per column. */
    readonly idf: Float32Array,
    /** cols × dims projection, singular-value scaling folded in. */
    readonly proj: Float32Array,
    readonly dims: number,
    /** How many documents it was fitted on. */
    readonly fittedOn: number,
  ) {
    this.colOf = new Int32Array(cols.length ? cols[cols.length - 1] + 1 : 0).fill(-1);
    cols.forEach((id, c) => (this.colOf[id] = c));
  }

  /** Unit vector of a document's counts (all zeros when it shares no column with the model). */
  project(c: TermCounts): Float32Array {
    const out = new Float32Array(this.dims);
    const d = this.dims;
    if (c.ids.length > this.cs.length) {
      this.cs = new Int32Array(c.ids.length * 2);
      this.ws = new Float64Array(c.ids.length * 2);
    }
    const { cs, ws, colOf } = this;
    let m = 0;
    let norm = 0;
    for (let k = 0; k < c.ids.length; k++) {
      const id = c.ids[k];
      const col = id < colOf.length ? colOf[id] : -1;
      if (col < 0) continue;
      const w = (1 + Math.log(c.counts[k])) * this.idf[col];
      ws[m] = w;
      cs[m++] = col;
      norm += w * w;
    }
    if (norm === 0) return out;
    const inv = 1 / Math.sqrt(norm);
    const acc = new Float64Array(d);
    const proj = this.proj;
    for (let k = 0; k < m; k++) {
      const w = ws[k] * inv;
      const o = cs[k] * d;
      for (let i = 0; i < d; i++) acc[i] += w * proj[o + i];
    }
    let n2 = 0;
    for (let i = 0; i < d; i++) n2 += acc[i] * acc[i];
    const s = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
    for (let i = 0; i < d; i++) out[i] = acc[i] * s;
    return out;
  }

  /** Layout: dims, fittedOn, m (uint32 ×3) | cols (uint32 × m) | idf (float32 × m) | proj (float32 × m·dims). */
  toBuffer(): Buffer {
    const m = this.cols.length;
    const buf = Buffer.alloc(12 + 8 * m + 4 * m * this.dims);
    buf.writeUInt32LE(this.dims, 0);
    buf.writeUInt32LE(this.fittedOn, 4);
    buf.writeUInt32LE(m, 8);
    Buffer.from(this.cols.buffer, this.cols.byteOffset, this.cols.byteLength).copy(buf, 12);
    Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength).copy(buf, 12 + 4 * m);
    Buffer.from(this.proj.buffer, this.proj.byteOffset, this.proj.byteLength).copy(buf, 12 + 8 * m);
    return buf;
  }

  static fromBuffer(buf: Buffer): LsaModel {
    const dims = buf.readUInt32LE(0);
    const fittedOn = buf.readUInt32LE(4);
    const m = buf.readUInt32LE(8);
    if (buf.length !== 12 + 8 * m + 4 * m * dims) throw new Error(`LSA model: ${buf.length} bytes does not match ${m} columns × ${dims} dimensions`);
    const copy = (offset: number, bytes: number) => {
      const ab = new ArrayBuffer(bytes);
      buf.copy(Buffer.from(ab), 0, offset, offset + bytes);
      return ab;
    };
    return new LsaModel(
      new Uint32Array(copy(12, 4 * m)),
      new Float32Array(copy(12 + 4 * m, 4 * m)),
      new Float32Array(copy(12 + 8 * m, 4 * m * dims)),
      dims,
      fittedOn,
    );
  }
}

/**
 * Fits LSA on documents' term counts. `docs` is read twice (column statistics,
 * then the matrix), so pass something re-iterable (an array, or a function
 * that restarts a scan); once when their frequencies are given.
 */
export async function fitLsa(
  docs: () => AsyncIterable<TermCounts> | Iterable<TermCounts>,
  size: number,
  cfg: LsaConfig = DEFAULT_LSA,
  progress: (line: string) => void = () => {},
  /** The fitting documents' frequencies when the caller keeps them (the sparse index's table): pass 1 is skipped. */
  known?: DocFreq,
): Promise<LsaModel> {
  // Pass 1: document frequencies of the fitting documents (a copy: the word-only cut below writes to it).
  const table = new DocFreq(size);
  if (known) {
    table.df.set(known.df);
    table.cf.set(known.cf);
    table.n = known.n;
  } else for await (const c of docs()) table.add(c);
  const n = table.n;
  if (cfg.wordsOnly) for (let id = 1; id < size; id += 2) table.df[id] = 0;
  const idfAll = idfWeights(table, { sublinear: true, smoothIdf: true, minDf: cfg.minDf, maxDf: cfg.maxDf, maxFeatures: cfg.maxFeatures });
  const colIds: number[] = [];
  for (let id = 0; id < size; id++) if (idfAll[id] > 0 && (!cfg.wordsOnly || HashedSpace.isSingleWord(id))) colIds.push(id);
  const cols = Uint32Array.from(colIds);
  const colOf = new Map<number, number>();
  cols.forEach((id, c) => colOf.set(id, c));
  const idf = Float32Array.from(cols, (id) => idfAll[id]);

  // Pass 2: the TF-IDF matrix of a uniform sample (every doc when n ≤ maxFitDocs).
  const keep = Math.min(1, cfg.maxFitDocs / Math.max(1, n));
  let rand = cfg.seed >>> 0 || 1;
  const next = () => {
    rand ^= rand << 13;
    rand ^= rand >>> 17;
    rand ^= rand << 5;
    return (rand >>> 0) / 4294967296;
  };
  const indptr: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for await (const c of docs()) {
    if (keep < 1 && next() >= keep) continue;
    let norm = 0;
    const start = indices.length;
    for (let k = 0; k < c.ids.length; k++) {
      const col = colOf.get(c.ids[k]);
      if (col === undefined) continue;
      const w = (1 + Math.log(c.counts[k])) * idf[col];
      indices.push(col);
      values.push(w);
      norm += w * w;
    }
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let p = start; p < values.length; p++) values[p] *= inv;
    indptr.push(indices.length);
  }
  const a: Csr = {
    rows: indptr.length - 1,
    cols: cols.length,
    indptr: Float64Array.from(indptr),
    indices: Uint32Array.from(indices),
    values: Float32Array.from(values),
  };
  progress(`lsa: fitting ${cfg.dims} dimensions on ${a.rows} documents × ${a.cols} terms`);
  const svd = randomizedSvd(a, cfg.dims, { powerIters: cfg.powerIters, seed: cfg.seed, progress });
  const k = svd.k;
  const proj = new Float32Array(cols.length * k);
  for (let j = 0; j < cols.length; j++)
    for (let c = 0; c < k; c++) proj[j * k + c] = svd.v[j * k + c] * (svd.sigma[c] > 0 ? (svd.sigma[0] / svd.sigma[c]) ** cfg.beta : 0);
  return new LsaModel(cols, idf, proj, k, a.rows);
}
