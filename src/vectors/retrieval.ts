/**
 * The per-process retrieval service: what rankers, the server and the feed use
 * to read representations. Open it once per process (`openRetrieval(store)`);
 * it loads the sparse table, the active dense model and its vector index
 * (snapshot + catch-up, or built from stored vectors when small), and follows
 * changes other processes make (`catchUp`, throttled, called by the query
 * methods). `refresh()` runs index maintenance in this process and reloads.
 *
 * It is also the profile feed's FeatureSource (`features`, `term`, `dims`).
 */
import { catchUpIndex, openIndex, type IndexOptions } from './ann-store.ts';
import type { VectorIndex } from './ann.ts';
import { decodeDense } from './quantize.ts';
import { loadBuiltin, readDenseState, refreshIndexes, type DenseState, type RefreshOptions, type RefreshReport } from './refresh.ts';
import { decodeTermsRow, SparseIndex, TERMS_MODEL } from './sparse-index.ts';
import type { Embedder, Hit, SparseVector, TextDoc } from './types.ts';
import type { Store } from '../store/types.ts';

/** A paper's features as the feed model reads them (same shape as src/rank/recommend.ts PaperFeatures). */
export interface Features {
  indices: Uint32Array;
  values: Float32Array;
  dense?: Float32Array;
}

export interface RetrievalOptions {
  /**
   * Embedder for query texts when the stored vectors come from an external
   * model (ONNX, endpoint): it must be the same model. The built-in model is
   * loaded from the store.
   */
  embedder?: Embedder;
  index?: IndexOptions;
  /** Minimum time between checks for changes made by other processes (default 2 s). */
  catchUpEveryMs?: number;
  progress?: (line: string) => void;
}

interface Dense {
  state: DenseState;
  embedder?: Embedder;
  index: VectorIndex;
  /** Change seq the index covers. */
  seq: number;
}

export class Retrieval {
  sparse?: SparseIndex;
  dense?: Dense;
  private lastCheck = 0;
  private sparseLoadedAt = 0;
  private allCache?: { key: string; owner: SparseIndex; vectors: Map<number, SparseVector> };

  constructor(
    readonly store: Store,
    readonly opts: RetrievalOptions = {},
  ) {}

  /** Feature-space sizes (dense 0 while there is no dense model). */
  get dims(): { sparse: number; dense: number } {
    return { sparse: this.sparse?.space.size ?? 0, dense: this.dense?.state.dims ?? 0 };
  }

  /** Papers the sparse index covers. */
  get papers(): number {
    return this.sparse?.papers ?? 0;
  }

  async load(): Promise<void> {
    this.sparse = await SparseIndex.load(this.store);
    this.sparseLoadedAt = Date.now();
    await this.loadDense();
  }

  private async loadDense(): Promise<void> {
    const state = await readDenseState(this.store);
    if (!state || !this.sparse) {
      this.dense = undefined;
      return;
    }
    let embedder: Embedder | undefined;
    if (state.model) embedder = await loadBuiltin(this.store, state, this.sparse);
    else if (this.opts.embedder?.name === state.embedder) embedder = this.opts.embedder;
    const opened = await openIndex(this.store, state.vectors, state.dims, state.seq, { ...this.opts.index, progress: this.opts.progress });
    this.dense = { state, embedder, index: opened.index, seq: opened.seq };
    if (opened.seq < state.seq) this.dense.seq = await catchUpIndex(this.store, opened.index, state.vectors, opened.seq, state.seq);
  }

  /**
   * Follows what other processes wrote: newly embedded papers into the vector
   * index, a new model generation (reload), and — at most once a minute — the
   * document-frequency table.
   */
  async catchUp(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastCheck < (this.opts.catchUpEveryMs ?? 2000)) return;
    this.lastCheck = now;
    const state = await readDenseState(this.store);
    if (!this.sparse || (state && (!this.dense || state.generation !== this.dense.state.generation))) {
      await this.load();
      return;
    }
    if (force || now - this.sparseLoadedAt > 60_000) {
      const fresh = await SparseIndex.load(this.store);
      if (fresh && fresh.seq !== this.sparse.seq) this.sparse = fresh;
      this.sparseLoadedAt = now;
      if (this.dense?.embedder && this.dense.state.model) await this.loadDense();
    }
    if (state && this.dense && state.seq > this.dense.seq) {
      this.dense.state = state;
      this.dense.seq = await catchUpIndex(this.store, this.dense.index, state.vectors, this.dense.seq, state.seq);
    }
  }

  /** Runs index maintenance here, then follows it. */
  async refresh(opts: RefreshOptions = {}): Promise<RefreshReport> {
    const report = await refreshIndexes(this.store, { embedder: this.opts.embedder, ...opts });
    await this.catchUp(true);
    return report;
  }

  async sparseVectors(pks: number[]): Promise<Map<number, SparseVector>> {
    return this.sparse ? this.sparse.vectors(this.store, pks) : new Map();
  }

  /**
   * TF-IDF vectors of every indexed paper, kept in memory until the index
   * changes: exact scoring for small collections (callers check `papers`).
   */
  async allSparse(): Promise<Map<number, SparseVector>> {
    const sparse = this.sparse;
    if (!sparse) return new Map();
    const key = `${sparse.seq}:${this.dense?.seq ?? 0}`;
    if (this.allCache?.owner === sparse && this.allCache.key === key) return this.allCache.vectors;
    const vectors = new Map<number, SparseVector>();
    for await (const rows of this.store.scanVectors(TERMS_MODEL, 5000)) for (const row of rows) vectors.set(row.pk, sparse.weigh(decodeTermsRow(row.vector).counts));
    this.allCache = { key, owner: sparse, vectors };
    return vectors;
  }

  async denseVectors(pks: number[]): Promise<Map<number, Float32Array>> {
    const out = new Map<number, Float32Array>();
    if (!this.dense) return out;
    for (const [pk, buf] of await this.store.getVectors(this.dense.state.vectors, pks)) out.set(pk, decodeDense(buf));
    return out;
  }

  /** Sparse TF-IDF + dense vector of stored papers (papers not indexed yet are absent). */
  async features(pks: number[]): Promise<Map<number, Features>> {
    const [sparse, dense] = await Promise.all([this.sparseVectors(pks), this.denseVectors(pks)]);
    const out = new Map<number, Features>();
    for (const [pk, s] of sparse) {
      const d = dense.get(pk);
      out.set(pk, d ? { ...s, dense: d } : s);
    }
    return out;
  }

  /** Readable term of a sparse feature id (stemmed words; `@name` for authors). */
  term(id: number): string | undefined {
    return this.sparse?.term(id);
  }

  /** TF-IDF vector of a text that is not (necessarily) stored. */
  sparseOfText(doc: TextDoc): SparseVector | undefined {
    return this.sparse ? this.sparse.weigh(this.sparse.countQuery(doc)) : undefined;
  }

  /** Dense vector of a text with the active model (undefined when no model can embed here). */
  async denseOfText(doc: TextDoc): Promise<Float32Array | undefined> {
    const e = this.dense?.embedder;
    return e ? (await e.embed([doc]))[0] : undefined;
  }

  async denseOfQuery(text: string): Promise<Float32Array | undefined> {
    const e = this.dense?.embedder;
    if (!e) return undefined;
    return e.embedQuery ? e.embedQuery(text) : (await e.embed([{ title: text, abstract: '' }]))[0];
  }

  /** Nearest papers to a vector by the dense index. */
  async nearest(v: Float32Array, k: number, accept?: (pk: number) => boolean): Promise<Hit[]> {
    await this.catchUp();
    return this.dense ? this.dense.index.search(v, k, accept) : [];
  }

  /** Dense retrieval for a search query. Empty when there is no dense model (yet). */
  async denseSearch(text: string, k: number, accept?: (pk: number) => boolean): Promise<Hit[]> {
    await this.catchUp();
    const v = await this.denseOfQuery(text);
    if (!v || !v.some((x) => x !== 0)) return [];
    return this.nearest(v, k, accept);
  }
}

export async function openRetrieval(store: Store, opts: RetrievalOptions = {}): Promise<Retrieval> {
  const r = new Retrieval(store, opts);
  await r.load();
  return r;
}
