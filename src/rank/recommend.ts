/**
 * The per-profile ranking model: what a profile likes, learned from its papers
 * and its feedback, scored on new papers. Pure: features in, scores out.
 *
 * The score combines two kinds of evidence over one joint feature space
 * (TF-IDF terms, and dense embedding dimensions when present):
 *
 * - a neighbour term: the candidate's similarity to the profile's papers at
 *   three granularities (the nearest paper, the weighted mean of the k
 *   nearest, the weighted mean of all), each standardised, then averaged. It
 *   keeps a paper close to one narrow profile paper from being drowned by the
 *   profile's majority topic;
 * - a classifier term: the standardised margin of a linear SVM that learns
 *   which terms separate the profile from the background stream
 *   (arxiv-sanity-lite's approach).
 *
 * score = (classifierWeight · classifier + 3 · neighbour) / (classifierWeight + 3),
 * so with the default weight 1 the classifier is one of four equal votes
 * beside the three neighbour parts. Every part is standardised by its mean and
 * spread over the background sample, so a score reads as "standard deviations
 * above a random paper": the same scale every day, which is what makes a fixed
 * relevance cut-off meaningful (a quiet day yields a short feed).
 *
 * Cold start: with fewer than `minPositivesForClassifier` positives a
 * classifier has nothing to generalise from, so the score is the neighbour
 * term alone (the mean of its three standardised parts).
 */
import { ProfileIndex, type Classifier, type Parts } from './profile-index.ts';
import type { SelectedTerms } from '../vectors/sparse-scan.ts';
import type { TermTable } from '../vectors/term-table.ts';
import { trainLinearSvm, type Example, type FeatureRow } from './recommend-linear.ts';

/** A paper's features: L2-normalised sparse TF-IDF and (optionally) an L2-normalised dense embedding. */
export interface PaperFeatures {
  indices: Uint32Array;
  values: Float32Array;
  dense?: Float32Array;
}

export interface Positive {
  features: PaperFeatures;
  /** Relative importance (recency decay, feedback kind); default 1. */
  weight?: number;
  /** Carried through to explanations: which profile paper this is. */
  key?: string | number;
  /** A paper the researcher liked or saved (not one of their own): its evidence is capped, see feedbackShare. */
  feedback?: boolean;
}

/**
 * The share of the neighbour evidence that liked/saved papers get, by how
 * many there are next to the profile's own papers: n / (n + own), at most one
 * half. One like beside three own papers counts for a quarter: on the seed
 * profiles its neighbours take 1–3 of the top 10 and at most 1 of the top 5,
 * where a single off-topic like used to put them in 3 of the top 5 (a sixth
 * brought none into the top 10: no visible effect). Many likes grow it
 * towards half; a profile with no papers of its own is all feedback.
 */
export function feedbackShare(feedback: number, own: number): number {
  if (feedback === 0) return 0;
  if (own === 0) return 1;
  return Math.min(0.5, feedback / (feedback + own));
}

export interface Negative {
  features: PaperFeatures;
  weight?: number;
}

export interface RecommendOptions {
  /**
   * Share of the dense part in the joint space, 0…1 (0.5 weighs sparse and
   * dense equally: the joint cosine is the mean of the two cosines). Unset:
   * 0 with the built-in LSA model (every share tried made reviewer-match
   * worse, docs/retrieval.md), EXTERNAL_DENSE_SHARE with an external model.
   */
  denseShare?: number;
  /** SVM regularisation. */
  C: number;
  /** The middle neighbour part: weighted mean of the k highest similarities to the positives. */
  k: number;
  /** Weight of the classifier term; each of the three neighbour parts weighs 1. */
  classifierWeight: number;
  minPositivesForClassifier: number;
  seed?: number;
}

/**
 * Dense share with an external embedder (a SPECTER2-class model through ONNX
 * or an endpoint): fused at an equal share with TF-IDF, never substituted —
 * with published SPECTER scores, fusion with TF-IDF beat both alone on CSFCube
 * and reviewer-match.
 */
export const EXTERNAL_DENSE_SHARE = 0.5;

export const DEFAULT_RECOMMEND: RecommendOptions = {
  C: 0.1,
  k: 3,
  classifierWeight: 1,
  minPositivesForClassifier: 3,
  seed: 1,
};

export interface Neighbour {
  key: string | number | undefined;
  similarity: number;
}

export interface ScoreDetail {
  score: number;
  /** Standardised parts, for explanations. */
  classifier?: number;
  neighbour: number;
  /** The neighbour term's standardised parts: nearest profile paper, mean of the k nearest, mean of all. */
  parts: { max: number; topk: number; mean: number };
  /** The positives it is closest to, best first. */
  nearest: Neighbour[];
}

export interface ProfileModel {
  readonly coldStart: boolean;
  readonly options: RecommendOptions;
  /** The classifier's weight of a sparse feature (0 in cold start), for term explanations. */
  sparseWeight(index: number): number;
  /** Joint-space row of a paper (what the linear model and similarities read). */
  row(f: PaperFeatures): FeatureRow;
  score(f: PaperFeatures): ScoreDetail;
  /** The terms the model reads: a window scan selects a row's terms by it (vectors/sparse-scan.ts weighRowSelected). */
  readonly terms: TermTable;
  /**
   * `score(f).score` alone, from the paper's terms as `terms` selected them
   * (scaled in place) and its dense vector: what ranking a whole window needs.
   */
  quickScoreSelected(sel: SelectedTerms, dense?: Float32Array): number;
}

/** The dense part's share a model over `dims` uses (0: the model reads no dense vectors). */
export function effectiveDenseShare(dims: { dense: number; external?: boolean }, options: Partial<RecommendOptions>): number {
  return dims.dense > 0 ? (options.denseShare ?? (dims.external ? EXTERNAL_DENSE_SHARE : 0)) : 0;
}

/** Scales a paper's parts so the joint vector has unit length with the chosen dense share. */
export function jointRow(f: PaperFeatures, denseShare: number): FeatureRow {
  const hasDense = !!f.dense && denseShare > 0;
  const sparseScale = hasDense ? Math.sqrt(1 - denseShare) : 1;
  const row: FeatureRow = {
    indices: f.indices,
    values: sparseScale === 1 ? f.values : Float32Array.from(f.values, (v) => v * sparseScale),
  };
  if (hasDense) {
    const s = Math.sqrt(denseShare);
    row.dense = Float32Array.from(f.dense!, (v) => v * s);
  }
  return row;
}

export function rowCosine(a: FeatureRow, b: FeatureRow): number {
  let s = 0;
  let i = 0;
  let j = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i];
    const bj = b.indices[j];
    if (ai === bj) {
      s += a.values[i++] * b.values[j++];
    } else if (ai < bj) i++;
    else j++;
  }
  if (a.dense && b.dense) {
    const n = Math.min(a.dense.length, b.dense.length);
    for (let k = 0; k < n; k++) s += a.dense[k] * b.dense[k];
  }
  return s;
}

function meanStd(values: number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(v) || 1 };
}

/**
 * Trains a profile's model. `negatives` should hold the background sample plus
 * dismissed papers (give the latter a larger weight); `sparseDims` is the TF-IDF
 * vocabulary size, `denseDims` the embedding size (0 when there is none).
 */
export function trainProfileModel(
  positives: Positive[],
  negatives: Negative[],
  dims: { sparse: number; dense: number; external?: boolean },
  options: Partial<RecommendOptions> = {},
): ProfileModel {
  const opts = { ...DEFAULT_RECOMMEND, ...options };
  const denseShare = effectiveDenseShare(dims, opts);
  opts.denseShare = denseShare;
  const posRows = positives.map((p) => ({ row: jointRow(p.features, denseShare), weight: p.weight ?? 1, key: p.key, feedback: !!p.feedback }));
  const nFeedback = posRows.filter((p) => p.feedback).length;
  const share = feedbackShare(nFeedback, posRows.length - nFeedback);
  const negRows = negatives.map((n) => ({ row: jointRow(n.features, denseShare), weight: n.weight ?? 1 }));
  const coldStart = positives.length < opts.minPositivesForClassifier || negatives.length === 0;

  // Hashed feature spaces are large (2^21 ids): training on the ids the examples
  // actually use keeps the weight vector small enough to stay in cache — the
  // difference between seconds and tens of milliseconds per model.
  let classifier: Classifier | undefined;
  let denseW: Float64Array | undefined;
  let bias = 0;
  if (!coldStart) {
    // Feature id → its index among the ids the examples use (a flat array: a Map was half the fit's time).
    const local = new Int32Array(dims.sparse).fill(-1);
    const ids: number[] = [];
    const compact = (row: FeatureRow): FeatureRow => {
      const idx = new Uint32Array(row.indices.length);
      for (let k = 0; k < row.indices.length; k++) {
        const id = row.indices[k];
        if (id >= local.length) throw new Error(`feature id ${id} outside the sparse space of ${local.length}`);
        let l = local[id];
        if (l < 0) {
          l = local[id] = ids.length;
          ids.push(id);
        }
        idx[k] = l;
      }
      return { indices: idx, values: row.values, dense: row.dense };
    };
    const examples: Example[] = [
      ...posRows.map((p) => ({ x: compact(p.row), y: 1 as const, weight: p.weight })),
      ...negRows.map((n) => ({ x: compact(n.row), y: -1 as const, weight: n.weight })),
    ];
    const linear = trainLinearSvm(examples, { sparse: ids.length, dense: denseShare > 0 ? dims.dense : 0 }, {
      C: opts.C,
      classWeight: 'balanced',
      seed: opts.seed,
      // A ranking needs the margin's order, not liblinear's last digits.
      tol: 1e-3,
      maxIter: 300,
    });
    classifier = { ids, weights: linear.sparse };
    denseW = linear.dense;
    bias = linear.bias;
  }
  // Positives as an inverted index (term → positive, value) beside the classifier's weights: a
  // candidate's similarity to every positive and its margin in one pass over its own terms.
  const index = new ProfileIndex(
    posRows.map((p) => ({ row: p.row, weight: p.weight })),
    classifier,
    Math.max(1, opts.k),
  );
  // The profile's own papers and the liked ones are separate evidence, mixed by feedbackShare.
  const ownGroup = Int32Array.from(posRows.flatMap((p, i) => (share < 1 && p.feedback ? [] : [i])));
  const fbGroup = Int32Array.from(posRows.flatMap((p, i) => (p.feedback ? [i] : [])));
  const ZERO: Parts = [0, 0, 0];

  // Neighbour evidence at three granularities — the nearest profile paper, the
  // mean of the k nearest, the mean of all — each weighted by the positives'
  // weights. Which aggregation is best differs between researchers (their order
  // flips between evaluation data sets), so the model uses all three.
  const withDense = (margin: number, dense: Float32Array | undefined): { margin: number; own: Parts; fb: Parts } => {
    if (dense && denseW) for (let k = 0; k < denseW.length && k < dense.length; k++) margin += denseW[k] * dense[k];
    return { margin, own: index.parts(ownGroup), fb: share > 0 ? index.parts(fbGroup) : ZERO };
  };
  const evaluate = (row: FeatureRow) => withDense(index.sparsePass(row, bias), row.dense);

  // Calibrate every part on the background: z-scores against "a random paper".
  const bgParts = negRows.map((n) => evaluate(n.row));
  const bgOwn = [0, 1, 2].map((i) => meanStd(bgParts.map((p) => p.own[i])));
  const bgFb = [0, 1, 2].map((i) => meanStd(bgParts.map((p) => p.fb[i])));
  const bgClassifier = classifier ? meanStd(bgParts.map((p) => p.margin)) : undefined;
  const z = (v: number, m: { mean: number; std: number }) => (negRows.length ? (v - m.mean) / m.std : v);

  const combine = (e: { margin: number; own: Parts; fb: Parts }): Omit<ScoreDetail, 'nearest'> => {
    // Own papers and liked ones mixed part by part (feedbackShare), so the parts explain the score.
    const mix = (i: number) => {
      const own = z(e.own[i], bgOwn[i]);
      return share > 0 && share < 1 ? (1 - share) * own + share * z(e.fb[i], bgFb[i]) : own;
    };
    const parts = { max: mix(0), topk: mix(1), mean: mix(2) };
    const neighbour = (parts.max + parts.topk + parts.mean) / 3;
    if (!bgClassifier) return { score: neighbour, neighbour, parts };
    const classifier = (e.margin - bgClassifier.mean) / bgClassifier.std;
    // The classifier counts as one of four equal votes against the three neighbour parts.
    const w = opts.classifierWeight;
    return { score: (w * classifier + 3 * neighbour) / (w + 3), classifier, neighbour, parts };
  };

  return {
    coldStart,
    options: opts,
    sparseWeight: (id) => index.weightOf(id),
    row: (f) => jointRow(f, denseShare),
    score(f) {
      const detail = combine(evaluate(jointRow(f, denseShare)));
      const nearest = index.nearest(3).map((i) => ({ key: posRows[i].key, similarity: index.acc[i] }));
      return { ...detail, nearest };
    },
    terms: index.terms,
    quickScoreSelected(sel, dense) {
      // As jointRow scales a paper's parts, so the sums are the same numbers.
      const hasDense = !!dense && denseShare > 0;
      const d = hasDense ? Float32Array.from(dense!, (v) => v * Math.sqrt(denseShare)) : undefined;
      return combine(withDense(index.selectedPass(sel, bias, hasDense ? Math.sqrt(1 - denseShare) : 1, d), d)).score;
    },
  };
}

/**
 * Recency weight of a profile paper: exp(-ln2 · age / halfLife), floored.
 * Interests drift, so a paper from three years ago should pull less than last
 * month's; but a researcher's older work still says what they can judge (the
 * reviewer-match ratings are about expertise built over years), so the weight
 * never drops below `floor`. Half-life 3 years, floor 0.3 by default.
 */
export function recencyWeight(ageYears: number | undefined, halfLifeYears = 3, floor = 0.3): number {
  if (ageYears === undefined || !Number.isFinite(ageYears) || ageYears <= 0) return 1;
  return Math.max(floor, Math.exp((-Math.LN2 * ageYears) / halfLifeYears));
}
