/**
 * The dense step of index maintenance (refresh.ts): which model embeds, and
 * when a new generation is built.
 *
 * The store's model is kept unless the caller says the user changed it
 * (`switchModel`). Kept means: the built-in LSA is maintained (fitted once the
 * store holds `minDocsForDense` papers, refitted when it has grown
 * `refitGrowth`-fold, each paper re-embedded O(1) times amortised); an
 * external model (ONNX, endpoint) embeds the changed papers, with the
 * caller's embedder when it is that model, else one rebuilt from the spec
 * recorded with the vectors. When neither is possible the new papers wait —
 * the stored vectors are never replaced by another model's for want of one.
 *
 * A new generation is written under fresh names and switched to when complete
 * (generations.ts), so readers never mix two models.
 */
import { BuiltinEmbedder } from './embedders/builtin.ts';
import { generationNames, markPending, switchGeneration, writeDenseState, readDenseState, type DenseState } from './generations.ts';
import type { HeldLease } from './lease.ts';
import { DEFAULT_LSA, fitLsa, LsaModel, type LsaConfig } from './lsa.ts';
import { encodeDense } from './quantize.ts';
import type { RefreshOptions, RefreshProgress, RefreshReport } from './refresh.ts';
import { embedderForStored } from './select.ts';
import { decodeTermsRow, TERMS_MODEL, type SparseIndex } from './sparse-index.ts';
import type { TermCounts } from './term-counts.ts';
import type { Embedder, TextDoc } from './types.ts';
import type { Store, StoredPaper } from '../store/types.ts';

type Progress = (p: RefreshProgress) => void;
type DenseReport = RefreshReport['dense'];

export function paperText(p: StoredPaper): TextDoc {
  return { title: p.title, abstract: p.abstract, authors: p.authors };
}

const hasText = (p: StoredPaper) => !!(p.title || p.abstract);

/** Loads the built-in embedder of a dense state (undefined when the state is not the built-in one, or was dropped). */
export async function loadBuiltin(store: Store, state: DenseState, sparse: SparseIndex): Promise<BuiltinEmbedder | undefined> {
  if (!state.model) return undefined;
  const m = await store.models.getModel(state.model);
  return m && m.data.length ? new BuiltinEmbedder(LsaModel.fromBuffer(m.data), sparse) : undefined;
}

const describe = (e: 'builtin' | Embedder) => (e === 'builtin' ? 'the built-in model' : e.name);

export async function refreshDense(store: Store, sparse: SparseIndex, opts: RefreshOptions, progress: Progress, lease: HeldLease): Promise<DenseReport> {
  const state = await readDenseState(store);
  const wanted = opts.embedder ?? 'builtin';
  const same = !state || (wanted === 'builtin' ? state.model !== undefined : state.model === undefined && state.embedder === wanted.name);
  const say = (message: string) => progress({ stage: 'embed', done: 0, message });
  if (same) return wanted === 'builtin' ? refreshBuiltin(store, sparse, state, opts, progress, lease) : refreshExternal(store, wanted, state, progress, lease);

  if (opts.switchModel) {
    const switched = { from: state!.embedder, to: wanted === 'builtin' ? 'builtin' : wanted.name };
    say(`dense model: the store holds ${state!.embedder}, this process is set to ${describe(wanted)}: re-embedding every paper into a new generation (readers switch when it is complete)`);
    const r = wanted === 'builtin' ? await refreshBuiltin(store, sparse, state, opts, progress, lease) : await refreshExternal(store, wanted, state, progress, lease);
    return r.refit ? { ...r, switched } : r;
  }
  // Not told to switch: keep the store's model, whatever this process defaults to.
  if (state!.model) return refreshBuiltin(store, sparse, state, opts, progress, lease);
  return keepExternal(store, state!, wanted, opts.rebuilt, progress, lease);
}

/** Maintains a stored external model with whatever embedder can reproduce it here. */
async function keepExternal(
  store: Store,
  state: DenseState,
  own: 'builtin' | Embedder | undefined,
  rebuilt: Map<string, Embedder> | undefined,
  progress: Progress,
  lease: HeldLease,
): Promise<DenseReport> {
  const say = (message: string) => progress({ stage: 'embed', done: 0, message });
  const e = embedderForStored(state, own, say, rebuilt);
  if (e) return refreshExternal(store, e, state, progress, lease);
  const skipped = `no embedder for the stored model ${state.embedder} in this process: new papers are not embedded until one refreshes with it`;
  say(`dense model: ${skipped}`);
  return { embedder: state.embedder, vectors: state.vectors, updated: 0, refit: false, total: await store.vectors.countVectors(state.vectors), skipped };
}

async function refreshBuiltin(store: Store, sparse: SparseIndex, state: DenseState | undefined, opts: RefreshOptions, progress: Progress, lease: HeldLease): Promise<DenseReport> {
  const papers = sparse.papers;
  const minDocs = opts.minDocsForDense ?? 1000;
  const growth = opts.refitGrowth ?? 2;
  const current = state?.model !== undefined ? state : undefined;
  const due = !current || opts.forceRefit || (current.fittedAt !== undefined && papers >= current.fittedAt * growth);
  if (due && papers + (opts.fitExtra ? minDocs : 0) >= minDocs) {
    const fitted = await fitBuiltin(store, sparse, state, opts, progress, lease);
    return { embedder: fitted.embedder, vectors: fitted.vectors, updated: papers, refit: true, total: await store.vectors.countVectors(fitted.vectors) };
  }
  if (!current) {
    if (!state) return { updated: 0, refit: false, total: 0 };
    // Switching to the built-in model, but too few papers to fit it yet: the external one stays until then.
    progress({ stage: 'embed', done: 0, message: `dense model: ${papers} papers are too few to fit the built-in model (needs ${minDocs}); keeping ${state.embedder} until then` });
    return keepExternal(store, state, undefined, opts.rebuilt, progress, lease);
  }
  const builtin = await loadBuiltin(store, current, sparse);
  if (!builtin) throw new Error(`dense model ${current.embedder}: its fitted model ${current.model} is missing from the store`);
  const updated = await embedChanges(store, current, progress, async (ps) => {
    const counts = await sparse.counts(store.vectors, ps.map((p) => p.pk));
    return ps.map((p) => {
      const c = counts.get(p.pk);
      return c ? builtin.embedCounts(c) : undefined;
    });
  });
  return { embedder: current.embedder, vectors: current.vectors, updated, refit: false, total: await store.vectors.countVectors(current.vectors) };
}

/** An external embedder: a new generation when the store holds another model, else only the changes. */
async function refreshExternal(store: Store, e: Embedder, state: DenseState | undefined, progress: Progress, lease: HeldLease): Promise<DenseReport> {
  if (!state || state.embedder !== e.name || state.model) {
    const generation = (state?.generation ?? 0) + 1;
    const next: DenseState = { embedder: e.name, vectors: generationNames(e.name, generation).vectors, generation, seq: 0, dims: e.dims, spec: e.spec };
    await markPending(store, next);
    const updated = await embedChanges(store, next, progress, (ps) => embedTexts(e, ps), false);
    next.dims = e.dims;
    await lease.check();
    await switchGeneration(store, next, state);
    return { embedder: next.embedder, vectors: next.vectors, updated, refit: true, total: await store.vectors.countVectors(next.vectors) };
  }
  // Stores indexed before specs were recorded learn theirs from the first process configured with the model.
  if (e.spec && !state.spec) {
    state.spec = e.spec;
    await writeDenseState(store, state);
  }
  const updated = await embedChanges(store, state, progress, (ps) => embedTexts(e, ps));
  return { embedder: state.embedder, vectors: state.vectors, updated, refit: false, total: await store.vectors.countVectors(state.vectors) };
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
  progress: Progress,
  embed: (ps: StoredPaper[]) => Promise<(Float32Array | undefined)[]>,
  /** Save the state after each page (false while building a generation readers must not see yet). */
  persist = true,
): Promise<number> {
  let done = 0;
  for (;;) {
    const page = await store.papers.changesSince(state.seq, 500);
    if (page.papers.length === 0 && page.removed.length === 0) break;
    const vs = await embed(page.papers);
    const rows: { pk: number; vector: Buffer }[] = [];
    page.papers.forEach((p, i) => {
      const v = vs[i];
      if (v && v.some((x) => x !== 0)) rows.push({ pk: p.pk, vector: encodeDense(v) });
    });
    await store.vectors.putVectors(state.vectors, rows);
    done += page.papers.length;
    if (page.lastSeq === state.seq) break;
    state.seq = page.lastSeq;
    if (persist) await writeDenseState(store, state);
    progress({ stage: 'embed', done });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return done;
}

async function fitBuiltin(store: Store, sparse: SparseIndex, previous: DenseState | undefined, opts: RefreshOptions, progress: Progress, lease: HeldLease): Promise<DenseState> {
  const cfg: LsaConfig = { ...DEFAULT_LSA, ...opts.lsa };
  const extra: TermCounts[] = [];
  if (opts.fitExtra) for await (const d of opts.fitExtra()) extra.push(sparse.countQuery(d));
  async function* fitDocs(): AsyncIterable<TermCounts> {
    for await (const rows of store.vectors.scanVectors(TERMS_MODEL, 5000)) for (const r of rows) yield decodeTermsRow(r.vector).counts;
    yield* extra;
  }
  progress({ stage: 'fit', done: 0, total: sparse.papers + extra.length, message: `fitting the built-in model on ${sparse.papers + extra.length} documents` });
  // Without extra texts the fitting documents are the stored rows the sparse table counts: their frequencies need no second scan.
  const known = extra.length === 0 && sparse.table.size === sparse.space.size ? sparse.table : undefined;
  const model = await fitLsa(fitDocs, sparse.space.size, cfg, (m) => progress({ stage: 'fit', done: 0, message: m }), known);
  const generation = (previous?.generation ?? 0) + 1;
  const name = `lsa-${model.dims}`;
  const names = generationNames(name, generation);
  const state: DenseState = { embedder: name, vectors: names.vectors, generation, seq: sparse.seq, dims: model.dims, fittedAt: sparse.papers, model: names.model };
  await markPending(store, names);
  await store.models.putModel(names.model, model.toBuffer(), { dims: model.dims, columns: model.cols.length, fittedOn: model.fittedOn, config: cfg });
  const builtin = new BuiltinEmbedder(model, sparse);
  let done = 0;
  for await (const rows of store.vectors.scanVectors(TERMS_MODEL, 5000)) {
    const out: { pk: number; vector: Buffer }[] = [];
    for (const r of rows) {
      const v = builtin.embedCounts(decodeTermsRow(r.vector).counts);
      if (v.some((x) => x !== 0)) out.push({ pk: r.pk, vector: encodeDense(v) });
    }
    await store.vectors.putVectors(state.vectors, out);
    done += rows.length;
    progress({ stage: 'embed', done, total: sparse.papers });
  }
  // Switch readers to the new generation only now that it is complete (and this refresh still holds the lease).
  await lease.check();
  await switchGeneration(store, state, previous);
  return state;
}
