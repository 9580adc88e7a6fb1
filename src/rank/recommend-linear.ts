/**
 * A small linear classifier trainer: L2-regularised linear SVM with squared
 * hinge loss, solved by dual coordinate descent (Hsieh et al., ICML 2008 — the
 * algorithm of liblinear, hence of scikit-learn's LinearSVC, which
 * arxiv-sanity-lite uses). Pure and deterministic (seeded shuffles).
 *
 * Examples mix a sparse part (TF-IDF) and an optional dense part (embeddings):
 * w·x is the sum of both dot products plus a bias, so one model weighs both
 * kinds of evidence. Per-example costs carry class balancing and sample weights
 * (recency decay of profile papers, feedback strength).
 */
import { mulberry32 } from '../text/random.ts';

/** One example's features: sparse indices/values, and optionally a dense block after them. */
export interface FeatureRow {
  indices: Uint32Array;
  values: Float32Array;
  dense?: Float32Array;
}

export interface Example {
  x: FeatureRow;
  /** +1 relevant, -1 not. */
  y: 1 | -1;
  /** Multiplies the example's cost (default 1). */
  weight?: number;
}

export interface LinearModel {
  sparse: Float64Array;
  dense: Float64Array;
  bias: number;
}

export interface SvmOptions {
  /** Regularisation: larger C fits the examples harder. */
  C: number;
  /** `balanced` weighs each class by n / (2 · n_class), like scikit-learn's class_weight='balanced'. */
  classWeight?: 'balanced' | 'none';
  /** Value of the constant feature that carries the bias (liblinear's intercept_scaling). */
  biasScale?: number;
  maxIter?: number;
  /** Stop when the projected-gradient spread falls below this (liblinear's eps). */
  tol?: number;
  seed?: number;
}

export function dot(model: LinearModel, x: FeatureRow, biasScale = 1): number {
  let s = model.bias * biasScale;
  const w = model.sparse;
  for (let k = 0; k < x.indices.length; k++) s += w[x.indices[k]] * x.values[k];
  if (x.dense) {
    const d = model.dense;
    const n = Math.min(d.length, x.dense.length);
    for (let k = 0; k < n; k++) s += d[k] * x.dense[k];
  }
  return s;
}

export function trainLinearSvm(examples: Example[], dims: { sparse: number; dense: number }, opts: SvmOptions): LinearModel {
  const model: LinearModel = { sparse: new Float64Array(dims.sparse), dense: new Float64Array(dims.dense), bias: 0 };
  const n = examples.length;
  if (n === 0) return model;
  const biasScale = opts.biasScale ?? 1;
  const nPos = examples.filter((e) => e.y > 0).length;
  const nNeg = n - nPos;
  const classW = (y: number) =>
    opts.classWeight === 'balanced' ? n / (2 * Math.max(1, y > 0 ? nPos : nNeg)) : 1;

  // Squared hinge: D_ii = 1 / (2 C_i), no upper bound on alpha.
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = examples[i];
    const c = opts.C * classW(e.y) * (e.weight ?? 1);
    diag[i] = c > 0 ? 0.5 / c : Number.POSITIVE_INFINITY;
    let sq = biasScale * biasScale;
    for (const v of e.x.values) sq += v * v;
    if (e.x.dense) for (const v of e.x.dense) sq += v * v;
    qd[i] = sq + diag[i];
  }
  const alpha = new Float64Array(n);
  const index = Array.from({ length: n }, (_, i) => i);
  const rand = mulberry32(opts.seed ?? 1);
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-4;

  // liblinear's solve_l2r_l1l2_svc with shrinking: an example at alpha = 0 whose
  // gradient says it will stay there leaves the active set; when the active set
  // has converged, every example is checked once more before stopping.
  let pgMaxOld = Number.POSITIVE_INFINITY;
  let active = n;
  for (let iter = 0; iter < maxIter; iter++) {
    for (let k = active - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [index[k], index[j]] = [index[j], index[k]];
    }
    let pgMax = Number.NEGATIVE_INFINITY;
    let pgMin = Number.POSITIVE_INFINITY;
    for (let s = 0; s < active; s++) {
      const i = index[s];
      if (!Number.isFinite(diag[i])) continue;
      const e = examples[i];
      const g = e.y * dot(model, e.x, biasScale) - 1 + diag[i] * alpha[i];
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          active--;
          [index[s], index[active]] = [index[active], index[s]];
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qd[i], 0);
        const step = (alpha[i] - old) * e.y;
        if (step !== 0) {
          for (let k = 0; k < e.x.indices.length; k++) model.sparse[e.x.indices[k]] += step * e.x.values[k];
          if (e.x.dense) {
            const n2 = Math.min(model.dense.length, e.x.dense.length);
            for (let k = 0; k < n2; k++) model.dense[k] += step * e.x.dense[k];
          }
          model.bias += step * biasScale;
        }
      }
    }
    if (pgMax - pgMin <= tol) {
      if (active === n) break;
      active = n;
      pgMaxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    pgMaxOld = pgMax <= 0 ? Number.POSITIVE_INFINITY : pgMax;
  }
  return model;
}
