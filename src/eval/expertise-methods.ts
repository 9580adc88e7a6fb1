/**
 * The methods `radar eval expertise` compares. Each scores one researcher's
 * rated papers from their own papers; features are computed once per run by
 * the caller (see expertise.ts) so every method sees the same representations.
 */
import type { TextDoc } from '../vectors/types.ts';
import { zoteroArxivDailyScores } from '../rank/baselines/zotero-arxiv-daily.ts';
import { recencyWeight, rowCosine, trainProfileModel, type PaperFeatures, type RecommendOptions } from '../rank/recommend.ts';

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

/** The trained model's standardised parts for each rated paper (see ScoreDetail). */
export interface PartScores {
  classifier: number[];
  max: number[];
  topk: number[];
  mean: number[];
}

export interface ModelSetup extends Partial<RecommendOptions> {
  /** Weigh profile papers by age (recencyWeight); false: every paper 1. */
  recency?: boolean;
}

// Training is the cost (seconds per researcher); every blend of one model's parts reuses it.
const partsCache = new WeakMap<ResearcherCase, Map<string, PartScores>>();

export function modelParts(c: ResearcherCase, ctx: MethodContext, setup: ModelSetup = {}): PartScores {
  const key = JSON.stringify(setup);
  let byKey = partsCache.get(c);
  if (!byKey) partsCache.set(c, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const { recency = true, ...overrides } = setup;
  const model = trainProfileModel(
    c.own.map((d, i) => ({ features: d.features, weight: recency ? recencyWeight(ageOf(d, ctx.refYear)) : 1, key: i })),
    ctx.background.map((features) => ({ features })),
    ctx.dims,
    overrides,
  );
  const out: PartScores = { classifier: [], max: [], topk: [], mean: [] };
  for (const d of c.rated) {
    const s = model.score(d.features);
    out.classifier.push(s.classifier ?? 0);
    out.max.push(s.parts.max);
    out.topk.push(s.parts.topk);
    out.mean.push(s.parts.mean);
  }
  byKey.set(key, out);
  return out;
}

export type Blend = Partial<Record<keyof PartScores, number>>;

/** A weighted sum of the model's standardised parts (the product's score is {classifier 1, max 1, topk 1, mean 1}). */
export function blendMethod(blend: Blend, setup: ModelSetup = {}): Method {
  return (c, ctx) => {
    const parts = modelParts(c, ctx, setup);
    return c.rated.map((_, i) => Object.entries(blend).reduce((s, [k, w]) => s + (w ?? 0) * parts[k as keyof PartScores][i], 0));
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
