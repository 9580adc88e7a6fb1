/**
 * Spherical k-means on unit vectors (cosine similarity), the clustering the
 * topics are made of.
 *
 * Why this method: the dense vectors are already unit-length LSA (or model)
 * embeddings in which cosine is the similarity every ranker uses, and
 * spherical k-means is the classic topic clusterer for LSA document vectors.
 * Its cost is O(n·k·d) per pass with no n² step (unlike HDBSCAN or
 * agglomerative clustering) and no graph to hold in memory, so a million
 * papers are: centroids fitted on a bounded random sample (Lloyd iterations),
 * then one streaming assignment pass over everything. Memory is the sample
 * plus the centroids, whatever the corpus size.
 *
 * Everything here is pure and seeded: the same vectors give the same topics.
 */
import { mulberry32 } from '../../text/random.ts';

/** Row-major n×d matrix of unit vectors. */
export interface Matrix {
  data: Float32Array;
  n: number;
  d: number;
}

export interface KMeansOptions {
  k: number;
  /** Lloyd iterations at most (stops earlier when assignments settle). */
  iterations?: number;
  seed?: number;
}

export interface KMeansResult {
  /** k×d unit centroids. */
  centroids: Matrix;
  /** Cluster of each input row. */
  assign: Int32Array;
  iterations: number;
}

export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.d, (i + 1) * m.d);
}

export function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ai + j] * b[bi + j];
  return s;
}

/** Index and similarity of the nearest centroid of vector `v` (offset `vi` into its array). */
export function nearest(c: Matrix, v: Float32Array, vi = 0): { topic: number; sim: number } {
  let best = -1;
  let bestSim = -Infinity;
  for (let t = 0; t < c.n; t++) {
    const s = dot(c.data, t * c.d, v, vi, c.d);
    if (s > bestSim) {
      bestSim = s;
      best = t;
    }
  }
  return { topic: best, sim: bestSim };
}

/** The `m` nearest centroids, best first. */
export function nearestFew(c: Matrix, v: Float32Array, m: number): number[] {
  const sims: { t: number; s: number }[] = [];
  for (let t = 0; t < c.n; t++) sims.push({ t, s: dot(c.data, t * c.d, v, 0, c.d) });
  sims.sort((a, b) => b.s - a.s);
  return sims.slice(0, m).map((x) => x.t);
}

/** k-means++ seeding with cosine distance 1 − cos: spread-out starting centroids, so small topics are not swallowed. */
function seedCentroids(x: Matrix, k: number, rand: () => number): Float32Array {
  const { n, d } = x;
  const out = new Float32Array(k * d);
  const dist = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    out.set(row(x, pick), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const di = Math.max(0, 1 - dot(x.data, i * d, out, c * d, d));
      if (di < dist[i]) dist[i] = di;
      total += dist[i];
    }
    if (c + 1 === k) break;
    if (total <= 0) {
      pick = Math.floor(rand() * n);
      continue;
    }
    let r = rand() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= dist[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  return out;
}

function normaliseRows(data: Float32Array, n: number, d: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[i * d + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) data[i * d + j] *= inv;
  }
}

/** Clusters the rows of `x` (unit vectors) into `k` topics. */
export function sphericalKMeans(x: Matrix, opts: KMeansOptions): KMeansResult {
  const { n, d } = x;
  if (n === 0) throw new Error('k-means: no vectors to cluster');
  const k = Math.max(1, Math.min(opts.k, n));
  const rand = mulberry32(opts.seed ?? 1);
  const cents = seedCentroids(x, k, rand);
  const assign = new Int32Array(n).fill(-1);
  const maxIter = opts.iterations ?? 20;
  let it = 0;
  for (; it < maxIter; it++) {
    const c: Matrix = { data: cents, n: k, d };
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const t = nearest(c, x.data, i * d).topic;
      if (t !== assign[i]) {
        assign[i] = t;
        moved++;
      }
    }
    const sums = new Float32Array(k * d);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const t = assign[i];
      sizes[t]++;
      for (let j = 0; j < d; j++) sums[t * d + j] += x.data[i * d + j];
    }
    // An emptied cluster restarts at the point its nearest centroid fits worst, so k topics stay k.
    for (let t = 0; t < k; t++) {
      if (sizes[t] > 0) continue;
      let worst = 0;
      let worstSim = Infinity;
      for (let i = 0; i < n; i++) {
        const s = dot(x.data, i * d, sums, assign[i] * d, d) / Math.max(1, sizes[assign[i]]);
        if (sizes[assign[i]] > 1 && s < worstSim) {
          worstSim = s;
          worst = i;
        }
      }
      sums.set(row(x, worst), t * d);
    }
    normaliseRows(sums, k, d);
    cents.set(sums);
    if (moved <= n * 0.001 && it > 0) {
      it++;
      break;
    }
  }
  return { centroids: { data: cents, n: k, d }, assign, iterations: it };
}

/**
 * How many topics for a corpus of `n` papers: about √(n/10) (~86 at 74k),
 * capped at 150 so a million papers still give topics a person can scan and a
 * build that stays within budget (k drives the O(n·k·d) assignment pass).
 */
export function topicCount(n: number, max = 150): number {
  return Math.max(2, Math.min(max, Math.round(Math.sqrt(n / 10))));
}
