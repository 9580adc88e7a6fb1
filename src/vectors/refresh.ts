/**
 * Index maintenance: brings the stored representations in step with the
 * papers, incrementally.
 *
 * 1. Sparse: papers changed since the sparse index's seq are counted; their
 *    previous rows come out of the document-frequency table and the new ones go
 *    in. Nothing else is touched (importing 100 papers writes 100 rows + the table).
 * 2. Dense (dense-refresh.ts): only changed papers are embedded, with the
 *    store's model; a new generation only when the built-in model is due for a
 *    refit, or the caller says the model changed (`switchModel`).
 * 3. ANN snapshot (HNSW, large collections): refreshed when the papers changed
 *    since the last snapshot exceed `snapshotEvery` of the collection, so an
 *    opening server has little to catch up.
 * 4. Topics and the map (topics/refresh.ts): new papers assigned and placed;
 *    rebuilt with a new dense generation or when the corpus has grown.
 *
 * The whole refresh runs under the store's index lease (lease.ts): one
 * refresher per database at a time, in whatever process it started.
 */
import { catchUpIndex, DEFAULT_EXACT_MAX, loadSnapshot, openIndex, saveSnapshot, snapshotSeq, type IndexOptions } from './ann-store.ts';
import { HnswIndex } from './ann.ts';
import { refreshDense } from './dense-refresh.ts';
import { DEFAULT_RETIRE_AFTER_MS, dropAbandoned, dropRetired, readDenseState, type DenseState } from './generations.ts';
import { INDEX_LEASE, withLease, type HeldLease } from './lease.ts';
import type { LsaConfig } from './lsa.ts';
import { DEFAULT_SPARSE, SparseIndex, type SparseConfig } from './sparse-index.ts';
import type { Embedder, TextDoc } from './types.ts';
import type { Store } from '../store/types.ts';
import { paperText } from './dense-refresh.ts';
import { refreshTopics, type TopicRefreshOptions, type TopicRefreshReport } from './topics/refresh.ts';

export { loadBuiltin, paperText } from './dense-refresh.ts';
export { readDenseState, type DenseState } from './generations.ts';

export interface RefreshProgress {
  stage: 'sparse' | 'fit' | 'embed' | 'index' | 'topics';
  done: number;
  total?: number;
  message?: string;
}

export interface RefreshOptions {
  /** The dense model this process is set up with: `builtin` (default: LSA fitted on the corpus) or any Embedder (ONNX, endpoint). */
  embedder?: 'builtin' | Embedder;
  /**
   * Replace the store's dense model when it is not `embedder` (the user
   * changed the setting): every paper is re-embedded into a new generation.
   * Without it the store's model is kept — the built-in one is maintained,
   * an external one is rebuilt from its recorded spec — and a process that
   * merely defaults to another model never discards the store's vectors.
   */
  switchModel?: boolean;
  /** Embedders already rebuilt from stored specs (EmbedderSetting.rebuilt), reused instead of loaded again. */
  rebuilt?: Map<string, Embedder>;
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
  /** A replaced generation is kept this long for readers that have not switched yet (default 10 min). */
  retireAfterMs?: number;
  /** When another process is refreshing: wait for it, then run (default), or skip (its refresh covers these papers). */
  onBusy?: 'wait' | 'skip';
  /** Index lease length (default 5 min), renewed while the refresh runs. */
  leaseMs?: number;
  /** Topic maintenance settings; `false` leaves topics alone (default: maintained). */
  topics?: TopicRefreshOptions | false;
  progress?: (p: RefreshProgress) => void;
}

export interface RefreshReport {
  sparse: { updated: number; removed: number; papers: number };
  dense: {
    embedder?: string;
    vectors?: string;
    updated: number;
    refit: boolean;
    total: number;
    /** The store's model was replaced (switchModel). */
    switched?: { from: string; to: string };
    /** Why new papers were not embedded (no embedder for the stored model here). */
    skipped?: string;
  };
  snapshot?: { saved: boolean; vectors: number };
  topics?: TopicRefreshReport;
  /** Another process held the index lease and `onBusy` was `skip`: nothing was done here. */
  skipped?: { holder: string; until: string };
  ms: number;
}

export async function refreshIndexes(store: Store, opts: RefreshOptions = {}): Promise<RefreshReport> {
  const started = performance.now();
  const progress = opts.progress ?? (() => {});
  const say = (message: string) => progress({ stage: 'sparse', done: 0, message });
  const out = await withLease(store, INDEX_LEASE, { onBusy: opts.onBusy, ttlMs: opts.leaseMs, say }, (lease) => refreshHeld(store, opts, progress, lease));
  if (out.ran) return { ...out.value, ms: Math.round(performance.now() - started) };
  say(`skipped: ${out.holder} is refreshing the indexes (lease until ${out.until}); its refresh covers these papers`);
  return { sparse: { updated: 0, removed: 0, papers: 0 }, dense: { updated: 0, refit: false, total: 0 }, skipped: { holder: out.holder, until: out.until }, ms: Math.round(performance.now() - started) };
}

async function refreshHeld(store: Store, opts: RefreshOptions, progress: (p: RefreshProgress) => void, lease: HeldLease): Promise<Omit<RefreshReport, 'ms'>> {
  const batch = opts.batchSize ?? 2000;

  // 1. Sparse.
  const sparse = (await SparseIndex.load(store.models)) ?? new SparseIndex(opts.sparse ?? DEFAULT_SPARSE);
  let updated = 0;
  let removed = 0;
  let sinceSave = 0;
  for (;;) {
    const page = await store.papers.changesSince(sparse.seq, batch);
    if (page.papers.length === 0 && page.removed.length === 0) {
      sparse.seq = Math.max(sparse.seq, page.lastSeq);
      break;
    }
    await sparse.update(store.vectors, page.papers.map((p) => ({ pk: p.pk, doc: paperText(p) })));
    updated += page.papers.length;
    removed += page.removed.length;
    sinceSave += page.papers.length;
    sparse.seq = page.lastSeq;
    progress({ stage: 'sparse', done: updated });
    // Store calls of an embedded database resolve without I/O: give the event loop a turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (sinceSave >= 100_000) {
      await lease.check();
      await sparse.save(store.models);
      sinceSave = 0;
    }
  }
  // Merged-away papers took their rows with them (the store cascades); recount when many went, so the table stays exact.
  if (removed > Math.max(50, 0.01 * sparse.papers)) await sparse.recount(store.vectors);
  if (updated || removed || sparse.epoch === 0) {
    await lease.check();
    await sparse.save(store.models);
  }

  // 2. Dense: first free what a refresh that died left half-built.
  await dropAbandoned(store, await readDenseState(store));
  const dense = await refreshDense(store, sparse, opts, progress, lease);
  const active = await readDenseState(store);
  if (active) await dropRetired(store, active, opts.retireAfterMs ?? DEFAULT_RETIRE_AFTER_MS);

  // 3. Snapshot of the vector index, for large collections.
  const snapshot = active ? await refreshSnapshot(store, active, opts, progress) : undefined;

  // 4. Topics and the map.
  let topics: TopicRefreshReport | undefined;
  if (opts.topics !== false) {
    await lease.check();
    topics = await refreshTopics(store, active, sparse, { ...opts.topics, progress: (message) => progress({ stage: 'topics', done: 0, message }) });
  }
  return { sparse: { updated, removed, papers: sparse.papers }, dense, snapshot, topics };
}

async function refreshSnapshot(store: Store, state: DenseState, opts: RefreshOptions, progress: (p: RefreshProgress) => void): Promise<RefreshReport['snapshot']> {
  const total = await store.vectors.countVectors(state.vectors);
  if (total <= (opts.index?.exactMax ?? DEFAULT_EXACT_MAX)) return undefined;
  const every = opts.snapshotEvery ?? 0.05;
  const at = await snapshotSeq(store, state.vectors);
  const pending = at === undefined ? Infinity : await countChangesSince(store, at, Math.ceil(total * every) + 1);
  if (pending <= total * every) return { saved: false, vectors: total };
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
  return { saved: true, vectors: index.size };
}

async function countChangesSince(store: Store, seq: number, cap: number): Promise<number> {
  let n = 0;
  for (;;) {
    const page = await store.papers.changesSince(seq, Math.min(5000, cap - n));
    n += page.papers.length + page.removed.length;
    if (n >= cap || page.lastSeq === seq || (page.papers.length === 0 && page.removed.length === 0)) return n;
    seq = page.lastSeq;
  }
}
