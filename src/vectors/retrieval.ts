/**
 * The per-process retrieval service: what rankers, the server and the feed use
 * to read representations. Open it once per process (`openRetrieval(store)`);
 * it loads the sparse table, the active dense model and its vector index
 * (snapshot + catch-up, or built from stored vectors when small), and follows
 * changes other processes make (`catchUp`). `refresh()` runs index
 * maintenance in this process and reloads.
 *
 * Following is cheap and off the request path: queries at most every
 * `catchUpEveryMs` start a check of two small records (the dense state and
 * the sparse table's head) and do not wait for it. Only what changed is
 * read: newly embedded papers go into the index in place; a new sparse table
 * or model generation is loaded in the background while queries keep using
 * the current one, and swapped in when ready.
 *
 * It is also the profile feed's FeatureSource (`features`, `term`, `dims`).
 */
import { catchUpIndex, openIndex, type IndexOptions } from './ann-store.ts';
import type { VectorIndex } from './ann.ts';
import { BuiltinEmbedder } from './embedders/builtin.ts';
import { decodeDense } from './quantize.ts';
import { loadBuiltin, readDenseState, refreshIndexes, type DenseState, type RefreshOptions, type RefreshReport } from './refresh.ts';
import { embedderForStored, refreshOptionsFor, type EmbedderSetting } from './select.ts';
import { decodeTermsRow, SparseIndex, TERMS_MODEL } from './sparse-index.ts';
import { SparseScratch, type SelectedTerms } from './sparse-scan.ts';
import type { TermTable } from './term-table.ts';
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
   * The entry point's embedder setting (select.ts resolveEmbedder): its model
   * embeds query texts when the stored vectors are that model's, and
   * `refresh()` maintains the indexes with it.
   */
  setting?: EmbedderSetting;
  /**
   * Embedder for query texts when the stored vectors come from an external
   * model (ONNX, endpoint): it must be the same model. Without one, the model
   * is rebuilt from the spec stored with the vectors. The built-in model is
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

/** Stores saved before the sparse head existed: the table is re-read at most this often. */
const HEADLESS_RELOAD_MS = 60_000;

export class Retrieval {
  sparse?: SparseIndex;
  dense?: Dense;
  private lastCheck = 0;
  private sparseLoadedAt = 0;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private scratch?: SparseScratch;
  private allCache?: { key: string; owner: SparseIndex; vectors: Map<number, SparseVector> };

  constructor(
    readonly store: Store,
    readonly opts: RetrievalOptions = {},
  ) {}

  /** Feature-space sizes (dense 0 while there is no dense model). */
  /** Feature sizes; `external` when the dense part comes from an external model (ONNX, an endpoint), not the built-in LSA. */
  get dims(): { sparse: number; dense: number; external?: boolean } {
    const state = this.dense?.state;
    return { sparse: this.sparse?.space.size ?? 0, dense: state?.dims ?? 0, ...(state && state.model === undefined ? { external: true } : {}) };
  }

  /** Papers the sparse index covers. */
  get papers(): number {
    return this.sparse?.papers ?? 0;
  }

  private get ownEmbedder(): Embedder | undefined {
    if (this.opts.embedder) return this.opts.embedder;
    const c = this.opts.setting?.choice;
    return c && c !== 'builtin' ? c : undefined;
  }

  async load(): Promise<void> {
    const sparse = await SparseIndex.load(this.store.models);
    this.sparseLoadedAt = Date.now();
    const dense = await this.openDense(await readDenseState(this.store), sparse);
    this.sparse = sparse;
    this.dense = dense;
  }

  private async embedderFor(state: DenseState, sparse: SparseIndex): Promise<Embedder | undefined> {
    if (state.model) return loadBuiltin(this.store, state, sparse);
    return embedderForStored(state, this.ownEmbedder, this.opts.progress, this.opts.setting?.rebuilt);
  }

  private async openDense(state: DenseState | undefined, sparse: SparseIndex | undefined): Promise<Dense | undefined> {
    if (!state || !sparse) return undefined;
    const embedder = await this.embedderFor(state, sparse);
    const opened = await openIndex(this.store, state.vectors, state.dims, state.seq, { ...this.opts.index, progress: this.opts.progress });
    const seq = opened.seq < state.seq ? await catchUpIndex(this.store, opened.index, state.vectors, opened.seq, state.seq) : opened.seq;
    return { state, embedder, index: opened.index, seq };
  }

  /**
   * Follows what other processes wrote (see the top of this file). Without
   * `force` it returns at once and the work, if any, runs in the background;
   * with `force` (this process just changed something) it waits until this
   * instance has caught up with everything written before the call.
   */
  async catchUp(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastCheck < (this.opts.catchUpEveryMs ?? 2000)) return;
    this.lastCheck = now;
    if (force) return this.follow(true);
    if (!this.running) {
      this.follow(false).catch((err) => {
        this.opts.progress?.(`indexes: following changes failed (retrying on a later query): ${(err as Error).message}`);
      });
    }
  }

  /** Resolves when no catch-up is running (tests, and callers that want the newest state). */
  async idle(): Promise<void> {
    while (this.running || this.queued) await (this.queued ?? this.running)!.catch(() => {});
  }

  /** One pass at a time; a forced call during a pass gets one more pass after it (the running one may predate its change). */
  private follow(again: boolean): Promise<void> {
    if (this.running) {
      if (!again) return this.running;
      this.queued ??= this.running
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          return this.follow(false);
        });
      return this.queued;
    }
    this.running = this.sync().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sync(): Promise<void> {
    const head = await SparseIndex.head(this.store.models);
    let sparse = this.sparse;
    const stale = !sparse || (head !== undefined ? head !== sparse.mark : Date.now() - this.sparseLoadedAt > HEADLESS_RELOAD_MS);
    if (stale) {
      sparse = (await SparseIndex.load(this.store.models)) ?? sparse;
      this.sparseLoadedAt = Date.now();
    }
    const state = await readDenseState(this.store);
    let dense = this.dense;
    if (!state || !sparse) dense = undefined;
    else if (!dense || dense.state.generation !== state.generation || dense.state.vectors !== state.vectors) {
      // A new generation: built here, in the background; queries keep the current one until the swap below.
      dense = await this.openDense(state, sparse);
    } else {
      if (sparse !== this.sparse && dense.embedder instanceof BuiltinEmbedder) dense = { ...dense, embedder: new BuiltinEmbedder(dense.embedder.model, sparse) };
      if (!dense.embedder && state.spec && state.spec !== dense.state.spec) dense = { ...dense, embedder: await this.embedderFor(state, sparse) };
      if (state.seq > dense.seq) {
        // Incremental: only the papers embedded since, read and upserted in place.
        dense.seq = await catchUpIndex(this.store, dense.index, state.vectors, dense.seq, state.seq);
      }
      dense.state = state;
    }
    this.sparse = sparse;
    this.dense = dense;
  }

  /** Runs index maintenance here (with this process's embedder setting), then follows it. */
  async refresh(opts: RefreshOptions = {}): Promise<RefreshReport> {
    const base = this.opts.setting ? refreshOptionsFor(this.opts.setting) : { embedder: this.opts.embedder };
    const report = await refreshIndexes(this.store, { ...base, ...opts });
    await this.catchUp(true);
    return report;
  }

  async sparseVectors(pks: number[]): Promise<Map<number, SparseVector>> {
    return this.sparse ? this.sparse.vectors(this.store.vectors, pks) : new Map();
  }

  /** TF-IDF cosine of `q` with each of `pks` that is indexed (cheaper than `sparseVectors` when only the score is wanted). */
  async sparseCosines(q: SparseVector, pks: number[]): Promise<Map<number, number>> {
    return this.sparse ? this.sparse.cosines(this.store.vectors, q, pks) : new Map();
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
    for await (const rows of this.store.vectors.scanVectors(TERMS_MODEL, 5000)) for (const row of rows) vectors.set(row.pk, sparse.weigh(decodeTermsRow(row.vector).counts));
    this.allCache = { key, owner: sparse, vectors };
    return vectors;
  }

  async denseVectors(pks: number[]): Promise<Map<number, Float32Array>> {
    const out = new Map<number, Float32Array>();
    if (!this.dense) return out;
    for (const [pk, buf] of await this.store.vectors.getVectors(this.dense.state.vectors, pks)) out.set(pk, decodeDense(buf));
    return out;
  }

  /** Sparse TF-IDF + dense vector (unless `dense` is false) of stored papers (papers not indexed yet are absent). */
  async features(pks: number[], opts: { dense: boolean } = { dense: true }): Promise<Map<number, Features>> {
    const [sparse, dense] = await Promise.all([this.sparseVectors(pks), opts.dense ? this.denseVectors(pks) : new Map<number, Float32Array>()]);
    const out = new Map<number, Features>();
    for (const [pk, s] of sparse) {
      const d = dense.get(pk);
      out.set(pk, d ? { ...s, dense: d } : s);
    }
    return out;
  }

  /**
   * Visits stored papers' features one at a time without an object per paper:
   * the sparse part is a view of a scratch buffer, valid only during `visit`
   * (copy what you keep). `dense`: also read their dense vectors (skip when
   * the caller's model does not use them). Returns how many were visited;
   * papers not indexed yet are skipped.
   */
  async scanFeatures(pks: number[], opts: { dense: boolean }, visit: (pk: number, f: Features) => void): Promise<number> {
    const sparse = this.sparse;
    if (!sparse) return 0;
    const [rows, dense] = await Promise.all([this.store.vectors.getVectors(TERMS_MODEL, pks), opts.dense ? this.denseVectors(pks) : undefined]);
    const idf = sparse.idf();
    const sublinear = sparse.cfg.weighting.sublinear;
    const scratch = (this.scratch ??= new SparseScratch());
    let n = 0;
    for (const [pk, buf] of rows) {
      const v = scratch.weighRow(buf, idf, sublinear);
      const d = dense?.get(pk);
      visit(pk, d ? { indices: v.indices, values: v.values, dense: d } : v);
      n++;
    }
    return n;
  }

  /**
   * Visits stored papers' terms as `table` selects them (sparse-scan.ts
   * weighRowSelected): what scoring a long window with a fitted model reads,
   * one cache line per term. The selection is a view of a scratch buffer,
   * valid only during `visit`. Returns how many were visited; papers not
   * indexed yet are skipped.
   */
  async scanSelected(
    pks: number[],
    table: TermTable,
    opts: { dense: boolean },
    visit: (pk: number, sel: SelectedTerms, dense: Float32Array | undefined) => void,
  ): Promise<number> {
    const sparse = this.sparse;
    if (!sparse) return 0;
    const [rows, dense] = await Promise.all([this.store.vectors.getVectors(TERMS_MODEL, pks), opts.dense ? this.denseVectors(pks) : undefined]);
    const idf = sparse.idf();
    table.syncIdf(idf);
    const sublinear = sparse.cfg.weighting.sublinear;
    const scratch = (this.scratch ??= new SparseScratch());
    let n = 0;
    for (const [pk, buf] of rows) {
      visit(pk, scratch.weighRowSelected(buf, idf, sublinear, table), dense?.get(pk));
      n++;
    }
    return n;
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

export interface CurrentOptions extends RetrievalOptions {
  /** Another process is refreshing: `skip` (default) opens as is and follows its refresh; `wait` waits for it and runs one here. */
  onBusy?: 'wait' | 'skip';
}

/**
 * How every long-lived reader opens the indexes (server, feed, digests): with
 * the entry point's embedder setting, and — when papers changed that the indexes
 * do not cover yet (written without the after-import hook) — after an
 * incremental index maintenance run.
 */
export async function openCurrentRetrieval(store: Store, opts: CurrentOptions & { setting: EmbedderSetting }): Promise<Retrieval> {
  const { onBusy, ...ropts } = opts;
  const r = await openRetrieval(store, ropts);
  const behind = await store.papers.changesSince(r.sparse?.seq ?? 0, 1);
  if (behind.papers.length || behind.removed.length) {
    const say = ropts.progress;
    await r.refresh({ onBusy: onBusy ?? 'skip', progress: say ? (p) => say(`indexes: ${p.message ?? `${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`}`) : undefined });
  }
  return r;
}
