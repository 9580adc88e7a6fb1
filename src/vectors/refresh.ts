/**
 * Index maintenance: brings the stored representations in step with the
 * papers, incrementally.
 *
 * 1. Sparse: papers changed since the sparse index's seq are counted; their
 *    previous rows come out of the document-frequency table and the new ones go
 *    in. Nothing else is touched (importing 100 papers writes 100 rows + the table).
 * 2. Dense: with the built-in model, LSA is fitted once the store holds
 *    `minDocsForDense` papers and refitted when it has grown `refitGrowth`-fold
 *    since (amortised: each paper is re-embedded O(1) times). A (re)fit writes a
 *    new generation of vectors and switches to it when complete, so readers
 *    never mix two models. Otherwise only changed papers are embedded.
 * 3. ANN snapshot (HNSW, large collections): refreshed when the papers changed
 *    since the last snapshot exceed `snapshotEvery` of the collection, so an
 *    opening server has little to catch up.
 */
import { catchUpIndex, DEFAULT_EXACT_MAX, loadSnapshot, openIndex, saveSnapshot, snapshotSeq, type IndexOptions } from './ann-store.ts';
import { HnswIndex } from './ann.ts';
import { BuiltinEmbedder } from './embedders/builtin.ts';
import { DEFAULT_LSA, fitLsa, LsaModel, type LsaConfig } from './lsa.ts';
import { encodeDense } from './quantize.ts';
import { decodeTermsRow, DEFAULT_SPARSE, SparseIndex, TERMS_MODEL, type SparseConfig } from './sparse-index.ts';
import type { TermCounts } from './term-counts.ts';
import type { Embedder, TextDoc } from './types.ts';
import type { Store, StoredPaper } from '../store/types.ts';

export interface RefreshProgress {
  stage: 'sparse' | 'fit' | 'embed' | 'index';
  done: number;
  total?: number;
  message?: string;
}

export interface RefreshOptions {
  /** The dense model: `builtin` (default: LSA fitted on the corpus) or any Embedder (ONNX, endpoint). */
  embedder?: 'builtin' | Embedder;
  /** Used when the sparse index is first created. */
  sparse?: SparseConfig;
  lsa?: Partial<LsaConfig>;
  /**
   * The built-in model is fitted once the store holds this many papers (default
   * 1000; an SVD of fewer papers learns little), or at once when `fitExtra` gives it more text.
   */
  minDocsForDense?: number;
  /** …and refitted when the store has grown by this factor since (default 2). */
  refitGrowth?: number;
  /** Refit the built-in model now, whatever the growth. */
  forceRefit?: boolean;
  /**
   * Extra texts the built-in model is fitted on besides the store's papers (a
   * background corpus: more text for the SVD). They are not stored or indexed.
   */
  fitExtra?: () => AsyncIterable<TextDoc> | Iterable<TextDoc>;
  batchSize?: number;
  /** Vector-index snapshot policy (see ann-store.ts). */
  index?: IndexOptions;
  /** Re-snapshot when changes since the last snapshot exceed this share of the collection (default 0.05). */
  snapshotEvery?: number;
  progress?: (p: RefreshProgress) => void;
}

export interface RefreshReport {
  sparse: { updated: number; removed: number; papers: number };
  dense: { embedder?: string; vectors?: string; updated: number; refit: boolean; total: number };
  snapshot?: { saved: boolean; vectors: number };
  ms: number;
}

/** The active dense representation (ModelStore `dense:state`). */
export interface DenseState {
  embedder: string;
  /** VectorStore model holding this generation's vectors. */
  vectors: string;
  generation: number;
  seq: number;
  dims: number;
  /** Built-in model: papers in the store when it was fitted. */
  fittedAt?: number;
  /** Built-in model: ModelStore name of the fitted LSA. */
  model?: string;
}

const DENSE_STATE = 'dense:state';

export async function readDenseState(store: Store): Promise<DenseState | undefined> {
  const m = await store.getModel(DENSE_STATE);
  return m ? (m.meta as unknown as DenseState) : undefined;
}

async function writeDenseState(store: Store, s: DenseState): Promise<void> {
  await store.putModel(DENSE_STATE, Buffer.alloc(0), s as unknown as Record<string, unknown>);
}

export function paperText(p: StoredPaper): TextDoc {
  return { title: p.title, abstract: p.abstract, authors: p.authors };
}

const hasText = (p: StoredPaper) => !!(p.title || p.abstract);

/** Loads the built-in embedder of a dense state (undefined when the state is not the built-in one). */
export async function loadBuiltin(store: Store, state: DenseState, sparse: SparseIndex): Promise<BuiltinEmbedder | undefined> {
  if (!state.model) return undefined;
  const m = await store.getModel(state.model);
  return m ? new BuiltinEmbedder(LsaModel.fromBuffer(m.data), sparse) : undefined;
}

export async function refreshIndexes(store: Store, opts: RefreshOptions = {}): Promise<RefreshReport> {
  const started = performance.now();
  const progress = opts.progress ?? (() => {});
  const batch = opts.batchSize ?? 2000;

  // 1. Sparse.
  const sparse = (await SparseIndex.load(store)) ?? new SparseIndex(opts.sparse ?? DEFAULT_SPARSE);
  let updated = 0;
  let removed = 0;
  let sinceSave = 0;
  for (;;) {
    const page = await store.changesSince(sparse.seq, batch);
    if (page.papers.length === 0 && page.removed.length === 0) {
      sparse.seq = Math.max(sparse.seq, page.lastSeq);
      break;
    }
    await sparse.update(store, page.papers.map((p) => ({ pk: p.pk, doc: paperText(p) })));
    updated += page.papers.length;
    removed += page.removed.length;
    sinceSave += page.papers.length;
    sparse.seq = page.lastSeq;
    progress({ stage: 'sparse', done: updated });
    if (sinceSave >= 100_000) {
      await sparse.save(store);
      sinceSave = 0;
    }
  }
  // Merged-away papers took their rows with them (the store cascades); recount when many went, so the table stays exact.
  if (removed > Math.max(50, 0.01 * sparse.papers)) await sparse.recount(store);
  if (updated || removed || sparse.epoch === 0) await sparse.save(store);

  // 2. Dense.
  const dense = await refreshDense(store, sparse, opts, progress);

  // 3. Snapshot of the vector index, for large collections.
  let snapshot: RefreshReport['snapshot'];
  const state = await readDenseState(store);
  if (state) {
    const total = await store.countVectors(state.vectors);
    if (total > (opts.index?.exactMax ?? DEFAULT_EXACT_MAX)) {
      const at = await snapshotSeq(store, state.vectors);
      const pending = at === undefined ? Infinity : (await countChangesSince(store, at, Math.ceil(total * (opts.snapshotEvery ?? 0.05)) + 1));
      if (pending > total * (opts.snapshotEvery ?? 0.05)) {
        progress({ stage: 'index', done: 0, total, message: 'vector index snapshot' });
        const snap = at === undefined ? undefined : await loadSnapshot(store, state.vectors, opts.index);
        let index: HnswIndex;
        let seq: number;
        if (snap) {
          index = snap.index;
          seq = await catchUpIndex(store, index, state.vectors, snap.seq, state.seq);
        } else {
          const opened = await openIndex(store, state.vectors, state.dims, state.seq, { ...opts.index, progress: (m) => progress({ stage: 'index', done: 0, total, message: m }) });
          index = opened.index as HnswIndex;
          seq = opened.seq;
        }
        await saveSnapshot(store, state.vectors, index, seq);
        snapshot = { saved: true, vectors: index.size };
      } else snapshot = { saved: false, vectors: total };
    }
  }
  return { sparse: { updated, removed, papers: sparse.papers }, dense, snapshot, ms: Math.round(performance.now() - started) };
}

async function countChangesSince(store: Store, seq: number, cap: number): Promise<number> {
  let n = 0;
  for (;;) {
    const page = await store.changesSince(seq, Math.min(5000, cap - n));
    n += page.papers.length + page.removed.length;
    if (n >= cap || page.lastSeq === seq || (page.papers.length === 0 && page.removed.length === 0)) return n;
    seq = page.lastSeq;
  }
}

async function refreshDense(store: Store, sparse: SparseIndex, opts: RefreshOptions, progress: (p: RefreshProgress) => void): Promise<RefreshReport['dense']> {
  const wanted = opts.embedder ?? 'builtin';
  let state = await readDenseState(store);
  const papers = sparse.papers;
  if (wanted === 'builtin') {
    const minDocs = opts.minDocsForDense ?? 1000;
    const growth = opts.refitGrowth ?? 2;
    const isBuiltin = state?.model !== undefined;
    const due = !isBuiltin || opts.forceRefit || (state!.fittedAt !== undefined && papers >= state!.fittedAt * growth);
    if (due && papers + (opts.fitExtra ? 1 : 0) * minDocs >= minDocs) {
      const fitted = await fitBuiltin(store, sparse, state, opts, progress);
      return { embedder: fitted.embedder, vectors: fitted.vectors, updated: papers, refit: true, total: await store.countVectors(fitted.vectors) };
    }
    if (!isBuiltin) return { updated: 0, refit: false, total: 0 };
    const builtin = (await loadBuiltin(store, state!, sparse))!;
    const updated = await embedChanges(store, state!, progress, async (ps) => {
      const counts = await sparse.counts(store, ps.map((p) => p.pk));
      return ps.map((p) => {
        const c = counts.get(p.pk);
        return c ? builtin.embedCounts(c) : undefined;
      });
    });
    return { embedder: state!.embedder, vectors: state!.vectors, updated, refit: false, total: await store.countVectors(state!.vectors) };
  }

  // An external embedder: a new generation when it differs from the stored one, then only changes.
  if (!state || state.embedder !== wanted.name || state.model) {
    const generation = (state?.generation ?? 0) + 1;
    const previous = state;
    state = { embedder: wanted.name, vectors: `dense:${wanted.name}:g${generation}`, generation, seq: 0, dims: wanted.dims };
    await store.deleteVectors(state.vectors);
    const updated = await embedChanges(store, state, progress, (ps) => embedTexts(wanted, ps), false);
    state.dims = wanted.dims;
    await writeDenseState(store, state);
    if (previous) await dropGeneration(store, previous);
    return { embedder: state.embedder, vectors: state.vectors, updated, refit: true, total: await store.countVectors(state.vectors) };
  }
  const updated = await embedChanges(store, state, progress, (ps) => embedTexts(wanted, ps));
  return { embedder: state.embedder, vectors: state.vectors, updated, refit: false, total: await store.countVectors(state.vectors) };
}

async function embedTexts(e: Embedder, ps: StoredPaper[]): Promise<(Float32Array | undefined)[]> {
  const withText = ps.filter(hasText);
  const vs = withText.length ? await e.embed(withText.map(paperText)) : [];
  const byPk = new Map(withText.map((p, i) => [p.pk, vs[i]]));
  return ps.map((p) => byPk.get(p.pk));
}

/** Embeds papers changed since the state's seq into its vectors. */
async function embedChanges(
  store: Store,
  state: DenseState,
  progress: (p: RefreshProgress) => void,
  embed: (ps: StoredPaper[]) => Promise<(Float32Array | undefined)[]>,
  /** Save the state after each page (false while building a generation readers must not see yet). */
  persist = true,
): Promise<number> {
  let done = 0;
  for (;;) {
    const page = await store.changesSince(state.seq, 500);
    if (page.papers.length === 0 && page.removed.length === 0) break;
    const vs = await embed(page.papers);
    const rows: { pk: number; vector: Buffer }[] = [];
    page.papers.forEach((p, i) => {
      const v = vs[i];
      if (v && v.some((x) => x !== 0)) rows.push({ pk: p.pk, vector: encodeDense(v) });
    });
    await store.putVectors(state.vectors, rows);
    done += page.papers.length;
    if (page.lastSeq === state.seq) break;
    state.seq = page.lastSeq;
    if (persist) await writeDenseState(store, state);
    progress({ stage: 'embed', done });
  }
  return done;
}

async function fitBuiltin(
  store: Store,
  sparse: SparseIndex,
  previous: DenseState | undefined,
  opts: RefreshOptions,
  progress: (p: RefreshProgress) => void,
): Promise<DenseState> {
  const cfg: LsaConfig = { ...DEFAULT_LSA, ...opts.lsa };
  const extra: TermCounts[] = [];
  if (opts.fitExtra) for await (const d of opts.fitExtra()) extra.push(sparse.countQuery(d));
  async function* fitDocs(): AsyncIterable<TermCounts> {
    for await (const rows of store.scanVectors(TERMS_MODEL, 5000)) for (const r of rows) yield decodeTermsRow(r.vector).counts;
    yield* extra;
  }
  progress({ stage: 'fit', done: 0, total: sparse.papers + extra.length, message: `fitting the built-in model on ${sparse.papers + extra.length} documents` });
  const model = await fitLsa(fitDocs, sparse.space.size, cfg, (m) => progress({ stage: 'fit', done: 0, message: m }));
  const generation = (previous?.generation ?? 0) + 1;
  const name = `lsa-${model.dims}`;
  const state: DenseState = {
    embedder: name,
    vectors: `dense:${name}:g${generation}`,
    generation,
    seq: sparse.seq,
    dims: model.dims,
    fittedAt: sparse.papers,
    model: `lsa:g${generation}`,
  };
  await store.putModel(state.model!, model.toBuffer(), { dims: model.dims, columns: model.cols.length, fittedOn: model.fittedOn, config: cfg });
  await store.deleteVectors(state.vectors);
  const builtin = new BuiltinEmbedder(model, sparse);
  let done = 0;
  for await (const rows of store.scanVectors(TERMS_MODEL, 5000)) {
    const out: { pk: number; vector: Buffer }[] = [];
    for (const r of rows) {
      const v = builtin.embedCounts(decodeTermsRow(r.vector).counts);
      if (v.some((x) => x !== 0)) out.push({ pk: r.pk, vector: encodeDense(v) });
    }
    await store.putVectors(state.vectors, out);
    done += rows.length;
    progress({ stage: 'embed', done, total: sparse.papers });
  }
  // Switch readers to the new generation only now that it is complete.
  await writeDenseState(store, state);
  if (previous) await dropGeneration(store, previous);
  return state;
}

/** Frees an old generation: its vectors, and the big blobs (the store has no delete for models, so they are emptied). */
async function dropGeneration(store: Store, s: DenseState): Promise<void> {
  await store.deleteVectors(s.vectors);
  if (s.model) await store.putModel(s.model, Buffer.alloc(0), { dropped: true });
  const head = await store.getModel(`ann:${s.vectors}`);
  if (head) {
    const parts = Number(head.meta.parts ?? 0);
    for (let i = 0; i < parts; i++) await store.putModel(`ann:${s.vectors}:part:${i}`, Buffer.alloc(0), { dropped: true });
    await store.putModel(`ann:${s.vectors}`, Buffer.alloc(0), { dropped: true, parts: 0, seq: -1 });
  }
}
