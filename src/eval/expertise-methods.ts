/**
 * The methods `radar eval expertise` compares. Each scores one researcher's
 * rated papers from their own papers; features are computed once per run by
 * the caller (see expertise.ts) so every method sees the same representations.
 */
import type { TextDoc } from '../vectors/types.ts';
import { zoteroArxivDailyScores } from '../rank/baselines/zotero-arxiv-daily.ts';
import { recencyWeight, rowCosine, trainProfileModel, type PaperFeatures, type ProfileModel, type RecommendOptions } from '../rank/recommend.ts';

export interface EvalDoc {
  /** Our TF-IDF features (+ dense embedding) of the document. */
  features: PaperFeatures;
  year?: number;
}

export interface ResearcherCase {
  own: EvalDoc[];
  rated: EvalDoc[];
  /** Raw texts, for recipes that build their own representation. */
  ownText: TextDoc[];
  ratedText: TextDoc[];
}

export interface MethodContext {
  dims: { sparse: number; dense: number };
  /** Background negatives (our features). */
  background: PaperFeatures[];
  /** Reference year for recency weights (the data set's latest profile year). */
  refYear: number;
}

export type Method = (c: ResearcherCase, ctx: MethodContext) => number[];

function aggregate(sims: number[], how: 'max' | 'mean' | 'top3'): number {
  if (sims.length === 0) return 0;
  const s = [...sims].sort((a, b) => b - a);
  if (how === 'max') return s[0];
  const k = how === 'mean' ? s.length : Math.min(3, s.length);
  return s.slice(0, k).reduce((a, b) => a + b, 0) / k;
}

function sparseOnly(f: PaperFeatures): PaperFeatures {
  return { indices: f.indices, values: f.values };
}

function denseSim(a: PaperFeatures, b: PaperFeatures): number {
  if (!a.dense || !b.dense) return 0;
  let s = 0;
  for (let i = 0; i < a.dense.length; i++) s += a.dense[i] * b.dense[i];
  return s;
}

const ageOf = (d: EvalDoc, refYear: number) => (d.year !== undefined ? Math.max(0, refYear - d.year) : undefined);

/**
 * The profile model's evidence for each rated paper, every part standardised
 * against the background sample as the model does (z-scores against "a random
 * paper"): the classifier's margin, and the similarity to the profile papers
 * aggregated as the weighted mean of the k nearest (`top1` is the nearest
 * paper, the model's "max") for k = 1…5, and over all of them (`mean`).
 */
export const NEIGHBOUR_PARTS = ['top1', 'top2', 'top3', 'top4', 'top5', 'mean'] as const;
export type PartName = 'classifier' | (typeof NEIGHBOUR_PARTS)[number];
export type PartScores = Record<PartName, number[]>;

export interface ModelSetup extends Partial<RecommendOptions> {
  /** Weigh profile papers by age (recencyWeight); false: every paper 1. */
  recency?: boolean;
}

// Training is the cost (seconds per researcher); every blend of one model's parts reuses it.
const partsCache = new WeakMap<ResearcherCase, Map<string, PartScores>>();
// Similarities to the profile papers do not depend on the weights: one matrix per researcher and background.
const simsCache = new WeakMap<ResearcherCase, Map<number, { rated: Float64Array[]; background: Float64Array[] }>>();

function similarityRows(c: ResearcherCase, ctx: MethodContext, model: ProfileModel) {
  const share = model.options.denseShare ?? 0;
  let byShare = simsCache.get(c);
  if (!byShare) simsCache.set(c, (byShare = new Map()));
  const hit = byShare.get(share);
  if (hit) return hit;
  const own = c.own.map((d) => model.row(d.features));
  const toOwn = (f: PaperFeatures) => {
    const r = model.row(f);
    return Float64Array.from(own, (o) => rowCosine(r, o));
  };
  const out = { rated: c.rated.map((d) => toOwn(d.features)), background: ctx.background.map(toOwn) };
  byShare.set(share, out);
  return out;
}

/** Weighted means of the 1…5 highest similarities and of all, as trainProfileModel aggregates them. */
function aggregateAll(sims: Float64Array, weights: number[]): number[] {
  const order = Array.from(sims.keys()).sort((a, b) => sims[b] - sims[a]);
  const out: number[] = [];
  let num = 0;
  let den = 0;
  for (let i = 0; i < order.length; i++) {
    num += sims[order[i]] * weights[order[i]];
    den += weights[order[i]];
    if (i < 5) out.push(den > 0 ? num / den : 0);
  }
  while (out.length < 5) out.push(out[out.length - 1] ?? 0);
  out.push(den > 0 ? num / den : 0);
  return out;
}

function standardise(values: number[], background: number[]): number[] {
  if (background.length === 0) return values;
  const mean = background.reduce((a, b) => a + b, 0) / background.length;
  const std = Math.sqrt(background.reduce((a, b) => a + (b - mean) ** 2, 0) / background.length) || 1;
  return values.map((v) => (v - mean) / std);
}

export function modelParts(c: ResearcherCase, ctx: MethodContext, setup: ModelSetup = {}): PartScores {
  const key = JSON.stringify(setup);
  let byKey = partsCache.get(c);
  if (!byKey) partsCache.set(c, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const { recency = true, ...overrides } = setup;
  const weights = c.own.map((d) => (recency ? recencyWeight(ageOf(d, ctx.refYear)) : 1));
  const model = trainProfileModel(
    c.own.map((d, i) => ({ features: d.features, weight: weights[i], key: i })),
    ctx.background.map((features) => ({ features })),
    ctx.dims,
    overrides,
  );
  const sims = similarityRows(c, ctx, model);
  const rated = sims.rated.map((s) => aggregateAll(s, weights));
  const bg = sims.background.map((s) => aggregateAll(s, weights));
  const out = { classifier: c.rated.map((d) => model.score(d.features).classifier ?? 0) } as PartScores;
  NEIGHBOUR_PARTS.forEach((name, j) => {
    out[name] = standardise(
      rated.map((r) => r[j]),
      bg.map((r) => r[j]),
    );
  });
  byKey.set(key, out);
  return out;
}

export type Blend = Partial<Record<PartName, number>>;

/** A weighted sum of the model's standardised parts (the product's score is {classifier 1, top1 1, top3 1, mean 1}). */
export function blendMethod(blend: Blend, setup: ModelSetup = {}): Method {
  return (c, ctx) => {
    const parts = modelParts(c, ctx, setup);
    return c.rated.map((_, i) => Object.entries(blend).reduce((s, [k, w]) => s + (w ?? 0) * parts[k as PartName][i], 0));
  };
}

export function similarityMethod(space: 'tfidf' | 'dense', how: 'max' | 'mean' | 'top3'): Method {
  return (c) =>
    c.rated.map((r) =>
      aggregate(
        c.own.map((o) => (space === 'tfidf' ? rowCosine(sparseOnly(r.features), sparseOnly(o.features)) : denseSim(r.features, o.features))),
        how,
      ),
    );
}

/** zotero-arxiv-daily over our dense embedder; recency from the papers' years (file order breaks ties). */
export const zoteroMethod: Method = (c) =>
  zoteroArxivDailyScores(
    c.own.map((o) => ({ embedding: o.features.dense ?? new Float32Array(), time: o.year ?? 0 })),
    c.rated.map((r) => r.features.dense ?? new Float32Array()),
  );
