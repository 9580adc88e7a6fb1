/**
 * Similar papers: query by example over the retrieval service's
 * representations.
 *
 *   score(d) = cos_tfidf(q, d) + λ · cos_dense(q, d)
 *
 * Sparse similarity carries the exact terms (method names, data sets); the
 * dense model adds related wording. Pseudo-relevance feedback (Rocchio:
 * q′ = q + β · mean of the top-m papers of a first pass) is available but off:
 * on CSFCube its gain was within noise in paired tests and cross-validation,
 * and it lost on held-out queries (docs/retrieval.md).
 *
 * Candidates: every paper for small collections (exact), else the dense
 * index's nearest `candidates` — HNSW keeps a query at a million papers within
 * milliseconds, and the sparse rescoring only reads those rows.
 */
import type { Retrieval } from '../vectors/retrieval.ts';
import { SparseQuery } from '../vectors/sparse-query.ts';
import type { Hit, SparseVector, TextDoc } from '../vectors/types.ts';
import type { Store, StoredPaper } from '../store/types.ts';

export type SimilarMode = 'default' | 'tfidf' | 'dense';

export interface SimilarOptions {
  limit?: number;
  /** `tfidf`: sparse cosine only; `dense`: the dense model only; `default`: the combination above. */
  mode?: SimilarMode;
  /** Dense candidates rescored in large collections (default 300). */
  candidates?: number;
  /** λ: weight of the dense cosine (default 0.25). */
  denseWeight?: number;
  /** Pseudo-relevance feedback: top `docs` of the first pass, mixed in with `weight` (default false: off). */
  feedback?: { docs: number; weight: number } | false;
  /**
   * How the dense score joins the sparse one: `sum` adds λ · dense cosine (the
   * built-in LSA, whose cosines share TF-IDF's scale); `standardised` adds the
   * two scores as z-scores over the candidates, equal weights — an external
   * model's cosines sit in a narrow band of their own (SPECTER's mostly
   * 0.7–0.9), so only their spread says anything. Default: by the model.
   */
  fusion?: 'sum' | 'standardised';
  /** Up to this many papers, every paper is a candidate (default 20,000). */
  exactMax?: number;
  /** pks never returned (besides the query paper itself). */
  exclude?: ReadonlySet<number>;
}

export const SIMILAR_DEFAULTS: { limit: number; candidates: number; denseWeight: number; feedback: { docs: number; weight: number } | false; exactMax: number } = {
  limit: 10,
  candidates: 300,
  denseWeight: 0.25,
  feedback: false,
  exactMax: 20_000,
};

/** First-pass papers the feedback-expanded query re-ranks. */
const RESCORE_DEPTH = 1000;

interface Query {
  pk?: number;
  sparse?: SparseVector;
  dense?: Float32Array;
}

/** Papers similar to a stored paper, best first. */
export async function similarToPaper(r: Retrieval, pk: number, opts: SimilarOptions = {}): Promise<Hit[]> {
  await r.catchUp();
  const [s, d] = await Promise.all([r.sparseVectors([pk]), r.denseVectors([pk])]);
  return similarToVectors(r, { pk, sparse: s.get(pk), dense: d.get(pk) }, opts);
}

/** Papers similar to a text that need not be stored (a pasted abstract, a profile paper not imported). */
export async function similarToText(r: Retrieval, doc: TextDoc, opts: SimilarOptions = {}): Promise<Hit[]> {
  await r.catchUp();
  return similarToVectors(r, { sparse: r.sparseOfText(doc), dense: await r.denseOfText(doc) }, opts);
}

function addInto(acc: Map<number, number>, v: SparseVector, w: number): void {
  for (let k = 0; k < v.indices.length; k++) acc.set(v.indices[k], (acc.get(v.indices[k]) ?? 0) + w * v.values[k]);
}

function toUnitSparse(acc: Map<number, number>): SparseVector {
  const idx = [...acc.keys()].sort((a, b) => a - b);
  let n = 0;
  for (const i of idx) n += acc.get(i)! ** 2;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  return { indices: Uint32Array.from(idx), values: Float32Array.from(idx, (i) => acc.get(i)! * inv) };
}

async function similarToVectors(r: Retrieval, q: Query, opts: SimilarOptions): Promise<Hit[]> {
  const limit = opts.limit ?? SIMILAR_DEFAULTS.limit;
  const mode = opts.mode ?? 'default';
  const lambda = opts.denseWeight ?? SIMILAR_DEFAULTS.denseWeight;
  const feedback = opts.feedback === undefined ? SIMILAR_DEFAULTS.feedback : opts.feedback;
  const exclude = (pk: number) => pk === q.pk || (opts.exclude?.has(pk) ?? false);
  const index = r.dense?.index;

  if (mode === 'dense') {
    if (!q.dense || !index) return [];
    return (await r.nearest(q.dense, limit + 1, (pk) => !exclude(pk))).filter((h) => !exclude(h.pk)).slice(0, limit);
  }
  if (!q.sparse) return [];

  // Candidates and their dense scores.
  const denseScore = new Map<number, number>();
  let pool: number[];
  const exact = r.papers <= (opts.exactMax ?? SIMILAR_DEFAULTS.exactMax);
  if (index && q.dense && (mode === 'default' || !exact)) {
    const want = exact ? index.size : Math.max(opts.candidates ?? SIMILAR_DEFAULTS.candidates, limit * 3);
    for (const h of index.search(q.dense, want)) denseScore.set(h.pk, h.score);
  }
  const all = exact ? await r.allSparse() : undefined;
  pool = all ? [...all.keys()] : [...denseScore.keys()];
  pool = pool.filter((pk) => !exclude(pk));
  const vectors = all ?? (await r.sparseVectors(pool));
  const w = mode === 'default' ? lambda : 0;
  const external = r.dense !== undefined && r.dense.state.model === undefined;
  const standardised = mode === 'default' && denseScore.size > 0 && (opts.fusion ?? (external ? 'standardised' : 'sum')) === 'standardised';

  const score = (qs: SparseVector, pks: number[]): Hit[] => {
    const sq = new SparseQuery(qs);
    if (standardised) return fuseStandardised(pks.flatMap((pk) => (vectors.has(pk) ? [{ pk, sparse: sq.dot(vectors.get(pk)!), dense: denseScore.get(pk) ?? 0 }] : [])));
    const out: Hit[] = [];
    for (const pk of pks) {
      const v = vectors.get(pk);
      if (!v) continue;
      const s = sq.dot(v) + w * (denseScore.get(pk) ?? 0);
      // Nothing in common is not a neighbour: a zero would pad short lists with arbitrary papers.
      if (s > 0) out.push({ pk, score: s });
    }
    return out.sort((a, b) => b.score - a.score || a.pk - b.pk);
  };
  let hits = score(q.sparse, pool);
  if (mode === 'default' && feedback && feedback.docs > 0 && hits.length > 0) {
    const acc = new Map<number, number>();
    addInto(acc, q.sparse, 1);
    const top = hits.slice(0, feedback.docs);
    for (const h of top) addInto(acc, vectors.get(h.pk)!, feedback.weight / top.length);
    // The expanded query re-ranks the first pass's head: a paper far down the
    // first ranking does not reach the top ten through feedback from the top five.
    hits = score(toUnitSparse(acc), hits.slice(0, Math.max(RESCORE_DEPTH, limit)).map((h) => h.pk));
  }
  return hits.slice(0, limit);
}

/** Sparse and dense scores as z-scores over the candidates, summed; a candidate with neither signal above zero is dropped. */
function fuseStandardised(rows: { pk: number; sparse: number; dense: number }[]): Hit[] {
  const stats = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length || 1)) || 1;
    return { m, sd };
  };
  const sp = stats(rows.map((r) => r.sparse));
  const de = stats(rows.map((r) => r.dense));
  return rows
    .filter((r) => r.sparse > 0 || r.dense > 0)
    .map((r) => ({ pk: r.pk, score: (r.sparse - sp.m) / sp.sd + (r.dense - de.m) / de.sd }))
    .sort((a, b) => b.score - a.score || a.pk - b.pk);
}

export interface SimilarPaper {
  paper: StoredPaper;
  score: number;
}

/** `radar similar` / the API: by any id the store knows; undefined when the id is unknown. */
export async function similarPapers(
  store: Store,
  r: Retrieval,
  id: string,
  opts: SimilarOptions = {},
): Promise<{ query: StoredPaper; results: SimilarPaper[]; indexed: boolean } | undefined> {
  const query = await store.papers.getPaper(id);
  if (!query) return undefined;
  const hits = await similarToPaper(r, query.pk, opts);
  const papers = new Map((await store.papers.getPapersByPk(hits.map((h) => h.pk))).map((p) => [p.pk, p]));
  const results = hits.flatMap((h) => {
    const paper = papers.get(h.pk);
    return paper ? [{ paper, score: h.score }] : [];
  });
  return { query, results, indexed: (await r.sparseVectors([query.pk])).size > 0 };
}
