/**
 * The 2-D map: UMAP (umap-js) fitted on a sample of the papers, every other
 * paper placed from its nearest sample points.
 *
 * Why fit on a sample: UMAP's neighbour graph and layout cost grow faster
 * than linearly and need the whole graph in memory; a few thousand papers
 * already fix the shape of the field. Placing the rest is UMAP's own transform
 * initialisation (the similarity-weighted mean of the nearest fitted points)
 * without its per-point optimisation, which at a million papers would cost
 * more than the rest of the build. The search for neighbours is restricted to
 * the sample points of the paper's few nearest topics, so placing a paper
 * costs O(sample/k · few · d), not O(sample · d).
 */
import { UMAP } from 'umap-js';
import { mulberry32 } from '../../text/random.ts';
import { dot, nearestFew, type Matrix } from './kmeans.ts';

export interface ProjectOptions {
  seed?: number;
  nNeighbors?: number;
  /**
   * Optimisation epochs (default: 200, what umap-js itself uses for large
   * inputs, fewer for a sample of a few hundred, which settles sooner; its 500
   * for small inputs costs 2.5× for a layout a map reader cannot tell apart).
   */
  nEpochs?: number;
}

/** Fits UMAP on the sample rows; returns x,y pairs scaled into [-1, 1]. */
export function fitProjection(sample: Matrix, opts: ProjectOptions = {}): Float32Array {
  const out = new Float32Array(sample.n * 2);
  if (sample.n === 0) return out;
  if (sample.n < 4) {
    // Too few to embed: spread them on a line.
    for (let i = 0; i < sample.n; i++) out[i * 2] = sample.n === 1 ? 0 : -1 + (2 * i) / (sample.n - 1);
    return out;
  }
  const rows: number[][] = [];
  for (let i = 0; i < sample.n; i++) rows.push(Array.from(sample.data.subarray(i * sample.d, (i + 1) * sample.d)));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(opts.nNeighbors ?? 15, sample.n - 1),
    minDist: 0.1,
    nEpochs: opts.nEpochs ?? Math.max(60, Math.min(200, Math.round(sample.n / 8))),
    random: mulberry32(opts.seed ?? 7),
  });
  const xy = umap.fit(rows);
  for (let i = 0; i < sample.n; i++) {
    out[i * 2] = xy[i][0];
    out[i * 2 + 1] = xy[i][1];
  }
  return rescale(out);
}

/** Scales points into [-1, 1] on both axes, keeping the aspect ratio; far outliers (beyond the 0.5–99.5 percentiles) are clamped. */
export function rescale(xy: Float32Array): Float32Array {
  const n = xy.length / 2;
  const bounds = (axis: number) => {
    const v = Array.from({ length: n }, (_, i) => xy[i * 2 + axis]).sort((a, b) => a - b);
    return [v[Math.floor((n - 1) * 0.005)], v[Math.ceil((n - 1) * 0.995)]];
  };
  const [x0, x1] = bounds(0);
  const [y0, y1] = bounds(1);
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const out = new Float32Array(xy.length);
  for (let i = 0; i < n; i++) {
    out[i * 2] = clamp(((xy[i * 2] - cx) / span) * 2);
    out[i * 2 + 1] = clamp(((xy[i * 2 + 1] - cy) / span) * 2);
  }
  return out;
}

const clamp = (v: number) => Math.max(-1, Math.min(1, v));

/** Places papers on a fitted map: a precomputed index of the sample points by topic. */
export class MapPlacer {
  private readonly byTopic: number[][];

  constructor(
    private readonly centroids: Matrix,
    private readonly sample: Matrix,
    private readonly sampleXY: Float32Array,
    sampleTopic: Int32Array,
    /** Neighbours averaged, and topics searched. */
    private readonly neighbours = 5,
    private readonly topicsSearched = 3,
  ) {
    this.byTopic = Array.from({ length: centroids.n }, () => []);
    sampleTopic.forEach((t, i) => this.byTopic[t]?.push(i));
  }

  /** Topic and map position of a unit vector. */
  place(v: Float32Array): { topic: number; x: number; y: number } {
    const few = nearestFew(this.centroids, v, this.topicsSearched);
    const topic = few[0];
    const best: { i: number; s: number }[] = [];
    const d = this.sample.d;
    for (const t of few) {
      for (const i of this.byTopic[t]) {
        const s = dot(this.sample.data, i * d, v, 0, d);
        if (best.length < this.neighbours) {
          best.push({ i, s });
          best.sort((a, b) => b.s - a.s);
        } else if (s > best[best.length - 1].s) {
          best[best.length - 1] = { i, s };
          best.sort((a, b) => b.s - a.s);
        }
      }
    }
    if (best.length === 0) return { topic, x: 0, y: 0 };
    // Weights sharpen with similarity, so a near-duplicate of a sample point lands on it.
    let wx = 0;
    let wy = 0;
    let w = 0;
    for (const b of best) {
      const wi = Math.exp(8 * b.s);
      wx += wi * this.sampleXY[b.i * 2];
      wy += wi * this.sampleXY[b.i * 2 + 1];
      w += wi;
    }
    return { topic, x: wx / w, y: wy / w };
  }
}
