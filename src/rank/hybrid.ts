/**
 * Fusing ranked lists (BM25 keyword hits, dense-model hits) into one. Pure.
 *
 * - Reciprocal-rank fusion (Cormack et al. 2009): Σ 1/(k + rank). Needs no
 *   score calibration, but throws away how far apart the scores are.
 * - Convex combination of normalised scores (Bruch, Gai & Ingber 2023, "An
 *   Analysis of Fusion Functions for Hybrid Retrieval"): each list's scores are
 *   mapped to [0, 1] and mixed as α·dense + (1−α)·keyword. A paper missing from
 *   a list gets that list's floor (0). With α tuned on a few labelled queries it
 *   beats RRF in their study and on our seed set (docs/retrieval.md).
 *
 * Normalisation: min–max over the list's own top hits for BM25 (its scale
 * varies with the query); dense cosines are mapped from a fixed floor, so a
 * list of uniformly weak dense matches stays weak instead of being stretched
 * to [0, 1].
 */
import type { Hit } from '../vectors/types.ts';

export interface RankedList {
  hits: Hit[];
  /** Weight of this list (RRF) or its share α (convex; weights are normalised to sum 1). */
  weight?: number;
  /**
   * How to map scores to [0, 1] for the convex combination: `minmax` over the
   * list, or `fixed` from [floor, 1] (cosines).
   */
  norm?: { kind: 'minmax' } | { kind: 'fixed'; floor: number };
}

export function reciprocalRankFusion(lists: RankedList[], k = 60): Hit[] {
  const acc = new Map<number, number>();
  for (const l of lists) {
    const w = l.weight ?? 1;
    l.hits.forEach((h, i) => acc.set(h.pk, (acc.get(h.pk) ?? 0) + w / (k + i + 1)));
  }
  return sortHits(acc);
}

function normalised(l: RankedList): Map<number, number> {
  const out = new Map<number, number>();
  if (l.hits.length === 0) return out;
  const norm = l.norm ?? { kind: 'minmax' };
  if (norm.kind === 'fixed') {
    const span = 1 - norm.floor;
    for (const h of l.hits) out.set(h.pk, Math.max(0, Math.min(1, (h.score - norm.floor) / span)));
    return out;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of l.hits) {
    lo = Math.min(lo, h.score);
    hi = Math.max(hi, h.score);
  }
  for (const h of l.hits) out.set(h.pk, hi > lo ? (h.score - lo) / (hi - lo) : 1);
  return out;
}

export function convexFusion(lists: RankedList[]): Hit[] {
  const total = lists.reduce((s, l) => s + (l.weight ?? 1), 0) || 1;
  const acc = new Map<number, number>();
  for (const l of lists) {
    const w = (l.weight ?? 1) / total;
    for (const [pk, v] of normalised(l)) acc.set(pk, (acc.get(pk) ?? 0) + w * v);
  }
  return sortHits(acc);
}

function sortHits(acc: Map<number, number>): Hit[] {
  return [...acc].map(([pk, score]) => ({ pk, score })).sort((a, b) => b.score - a.score || a.pk - b.pk);
}

export type FusionMethod = 'rrf' | 'convex';

export interface HybridParams {
  method: FusionMethod;
  /** Convex: share of the dense list (0 = keyword only, 1 = dense only). */
  alpha: number;
  /** RRF constant. */
  rrfK: number;
  /** Dense cosines at or below this count as no evidence (convex). */
  denseFloor: number;
  /** Hits taken from each list before fusing. */
  depth: number;
}

/** Chosen on the seed set's labelled queries (test/fixtures/beir-seed), not on CSFCube. */
export const DEFAULT_HYBRID: HybridParams = { method: 'convex', alpha: 0.3, rrfK: 60, denseFloor: 0.2, depth: 100 };

/** Keyword + dense hits → one ranking. */
export function fuseKeywordDense(keyword: Hit[], dense: Hit[], p: HybridParams = DEFAULT_HYBRID): Hit[] {
  const kw = keyword.slice(0, p.depth);
  const de = dense.slice(0, p.depth);
  if (p.method === 'rrf') return reciprocalRankFusion([{ hits: kw }, { hits: de }], p.rrfK);
  return convexFusion([
    { hits: kw, weight: 1 - p.alpha, norm: { kind: 'minmax' } },
    { hits: de, weight: p.alpha, norm: { kind: 'fixed', floor: p.denseFloor } },
  ]);
}
