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
import { trainLinearSvm, type Example, type FeatureRow, type LinearModel } from './recommend-linear.ts';

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
  const denseShare = dims.dense > 0 ? (opts.denseShare ?? (dims.external ? EXTERNAL_DENSE_SHARE : 0)) : 0;
  opts.denseShare = denseShare;
  const posRows = positives.map((p) => ({ row: jointRow(p.features, denseShare), weight: p.weight ?? 1, key: p.key, feedback: !!p.feedback }));
  const nFeedback = posRows.filter((p) => p.feedback).length;
  const share = feedbackShare(nFeedback, posRows.length - nFeedback);
  const negRows = negatives.map((n) => ({ row: jointRow(n.features, denseShare), weight: n.weight ?? 1 }));
  const coldStart = positives.length < opts.minPositivesForClassifier || negatives.length === 0;

  // Hashed feature spaces are large (2^21 ids): training on the ids the examples
  // actually use keeps the weight vector small enough to stay in cache — the
  // difference between seconds and tens of milliseconds per model.
  let weights: Map<number, number> | undefined;
  let linear: LinearModel | undefined;
  let denseW: Float64Array | undefined;
  let bias = 0;
  if (!coldStart) {
    const local = new Map<number, number>();
    const compact = (row: FeatureRow): FeatureRow => {
      const idx = new Uint32Array(row.indices.length);
      for (let k = 0; k < row.indices.length; k++) {
        let l = local.get(row.indices[k]);
        if (l === undefined) local.set(row.indices[k], (l = local.size));
        idx[k] = l;
      }
      return { indices: idx, values: row.values, dense: row.dense };
    };
    const examples: Example[] = [
      ...posRows.map((p) => ({ x: compact(p.row), y: 1 as const, weight: p.weight })),
      ...negRows.map((n) => ({ x: compact(n.row), y: -1 as const, weight: n.weight })),
    ];
    linear = trainLinearSvm(examples, { sparse: local.size, dense: denseShare > 0 ? dims.dense : 0 }, {
      C: opts.C,
      classWeight: 'balanced',
      seed: opts.seed,
      // A ranking needs the margin's order, not liblinear's last digits.
      tol: 1e-3,
      maxIter: 300,
    });
    weights = new Map();
    for (const [id, l] of local) if (linear.sparse[l] !== 0) weights.set(id, linear.sparse[l]);
    denseW = linear.dense;
    bias = linear.bias;
  }
  const margin = (row: FeatureRow): number => {
    let s = bias;
    for (let k = 0; k < row.indices.length; k++) {
      const w = weights!.get(row.indices[k]);
      if (w !== undefined) s += w * row.values[k];
    }
    if (row.dense && denseW) for (let k = 0; k < denseW.length && k < row.dense.length; k++) s += denseW[k] * row.dense[k];
    return s;
  };

  // Positives as an inverted index (term → positive, value): a candidate's
  // similarity to every positive in one pass over its own terms.
  const postings = new Map<number, { p: number; v: number }[]>();
  posRows.forEach((p, i) => {
    for (let k = 0; k < p.row.indices.length; k++) {
      const id = p.row.indices[k];
      const list = postings.get(id);
      if (list) list.push({ p: i, v: p.row.values[k] });
      else postings.set(id, [{ p: i, v: p.row.values[k] }]);
    }
  });
  const similarities = (row: FeatureRow): Float64Array => {
    const acc = new Float64Array(posRows.length);
    for (let k = 0; k < row.indices.length; k++) {
      const list = postings.get(row.indices[k]);
      if (list) for (const { p, v } of list) acc[p] += v * row.values[k];
    }
    if (row.dense) {
      for (let i = 0; i < posRows.length; i++) {
        const d = posRows[i].row.dense;
        if (!d) continue;
        let s = 0;
        for (let k = 0; k < d.length && k < row.dense.length; k++) s += d[k] * row.dense[k];
        acc[i] += s;
      }
    }
    return acc;
  };

  // Neighbour evidence at three granularities — the nearest profile paper, the
  // mean of the k nearest, the mean of all — each weighted by the positives'
  // weights. Which aggregation is best differs between researchers (their order
  // flips between evaluation data sets), so the model uses all three.
  const neighbours = (row: FeatureRow): { own: [number, number, number]; fb: [number, number, number]; nearest: Neighbour[] } => {
    const acc = similarities(row);
    const sims = posRows.map((p, i) => ({ key: p.key, similarity: acc[i], w: p.weight, feedback: p.feedback }));
    sims.sort((a, b) => b.similarity - a.similarity);
    const wmean = (xs: typeof sims) => {
      let num = 0;
      let den = 0;
      for (const s of xs) {
        num += s.similarity * s.w;
        den += s.w;
      }
      return den > 0 ? num / den : 0;
    };
    const parts = (xs: typeof sims): [number, number, number] => [xs[0]?.similarity ?? 0, wmean(xs.slice(0, Math.max(1, opts.k))), wmean(xs)];
    // The profile's own papers and the liked ones are separate evidence, mixed by feedbackShare.
    return {
      own: parts(share < 1 ? sims.filter((s) => !s.feedback) : sims),
      fb: share > 0 ? parts(sims.filter((s) => s.feedback)) : [0, 0, 0],
      nearest: sims.slice(0, 3).map(({ key, similarity }) => ({ key, similarity })),
    };
  };

  // Calibrate every part on the background: z-scores against "a random paper".
  const bgParts = negRows.map((n) => neighbours(n.row));
  const bgOwn = [0, 1, 2].map((i) => meanStd(bgParts.map((p) => p.own[i])));
  const bgFb = [0, 1, 2].map((i) => meanStd(bgParts.map((p) => p.fb[i])));
  const bgClassifier = weights ? meanStd(negRows.map((n) => margin(n.row))) : undefined;
  const z = (v: number, m: { mean: number; std: number }) => (negRows.length ? (v - m.mean) / m.std : v);

  return {
    coldStart,
    options: opts,
    sparseWeight: (index) => weights?.get(index) ?? 0,
    row: (f) => jointRow(f, denseShare),
    score(f) {
      const row = jointRow(f, denseShare);
      const nb = neighbours(row);
      // Own papers and liked ones mixed part by part (feedbackShare), so the parts explain the score.
      const mix = (i: number) => {
        const own = z(nb.own[i], bgOwn[i]);
        return share > 0 && share < 1 ? (1 - share) * own + share * z(nb.fb[i], bgFb[i]) : own;
      };
      const parts = { max: mix(0), topk: mix(1), mean: mix(2) };
      const neighbour = (parts.max + parts.topk + parts.mean) / 3;
      if (!weights || !bgClassifier) return { score: neighbour, neighbour, parts, nearest: nb.nearest };
      const classifier = (margin(row) - bgClassifier.mean) / bgClassifier.std;
      // The classifier counts as one of four equal votes against the three neighbour parts.
      const w = opts.classifierWeight;
      return { score: (w * classifier + 3 * neighbour) / (w + 3), classifier, neighbour, parts, nearest: nb.nearest };
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
