/**
 * `radar eval expertise DIR`: how well each method orders a researcher's rated
 * papers by their self-reported expertise, from their own papers alone
 * (reviewer-match; metric in expertise-metric.ts). Every method sees the same
 * features, fitted once on the background corpus plus the data set's texts.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fitSanityTfidf, sanitySvmScores } from '../rank/baselines/arxiv-sanity-lite.ts';
import type { FeatureRow } from '../rank/recommend-linear.ts';
import { mulberry32 } from '../text/random.ts';
import type { PaperFeatures } from '../rank/recommend.ts';
import { fitFeaturizer } from '../vectors/featurizer.ts';
import type { TextDoc } from '../vectors/types.ts';
import { readBackground } from './background.ts';
import { readExpertiseData, type ExpertisePaper } from './expertise-data.ts';
import { blendMethod, similarityMethod, zoteroMethod, type Blend, type EvalDoc, type Method, type ResearcherCase } from './expertise-methods.ts';
import { bootstrapCI, crossValidate, pairedTest, type Interval, type PairedResult } from './stats.ts';
import { kendallParts, weightedKendallLoss, type LossParts } from './expertise-metric.ts';

/** Fits representations on a corpus and featurises documents (the product's sparse + dense features). */
export interface Featurizer {
  dims: { sparse: number; dense: number };
  /** A name for the report, e.g. `tfidf(1-2g)+lsa-256`. */
  name: string;
  featurize(docs: TextDoc[]): Promise<PaperFeatures[]>;
}
export type FitFeaturizer = (corpus: TextDoc[], progress: (line: string) => void) => Promise<Featurizer>;

/**
 * The product's features fitted on a corpus of texts: the analyzer, hashed
 * TF-IDF weighting and built-in dense model that index maintenance keeps in
 * the store, so the evaluations score what the feed would.
 */
export const fitProductFeaturizer: FitFeaturizer = (corpus, progress) => fitFeaturizer(corpus, progress);

export interface ExpertiseOptions {
  /** Background corpus (JSON lines, optionally gzipped, fields title/abstract/authors). */
  background?: string;
  /** Use at most this many background papers (default: all). */
  backgroundLimit?: number;
  /** Negatives per profile model (default 2000, as the feed). */
  negatives?: number;
  /** Random halves for the split-half check (default 50). */
  splits?: number;
  /** Only these methods (default: all). */
  methods?: string[];
  /** arxiv-sanity-lite's negatives: a fixed random sample of this many background papers (default SANITY_NEGATIVES; Infinity: all). */
  sanityNegatives?: number;
  /** Run without a background corpus (cold start: no negatives for the classifier). Without it a missing background is an error. */
  noBackground?: boolean;
  progress?: (line: string) => void;
}

export interface MethodResult {
  loss: number;
  /** 95% bootstrap interval over researchers. */
  ci: Interval;
  /** Over random halves of the researchers: mean and range of the loss. */
  halves: { mean: number; min: number; max: number };
  /** Default minus this method, paired by researcher (negative: default loses less). */
  vsDefault?: PairedResult;
}

/** Repeated k-fold selection among the model's variants, over researchers. */
export interface ExpertiseSelection {
  candidates: string[];
  chosen: Record<string, number>;
  folds: number;
  repeats: number;
  /** Loss of "pick the variant with the least training-fold loss", on held-out researchers. */
  heldOut: Interval;
  /** Default minus that selection, paired by researcher. */
  defaultVsSelection: PairedResult;
  /** The selection's held-out loss minus each baseline's, paired by researcher. */
  selectionVsBaselines: Record<string, PairedResult>;
}

export interface ExpertiseReport {
  researchers: number;
  ratings: number;
  background: { path?: string; papers: number };
  features: string;
  methods: Record<string, MethodResult>;
  /** Share of random halves in which `default` has a lower loss than each other method. */
  splitHalf: { splits: number; defaultWins: Record<string, number> };
  /** Selection among every variant of the model. */
  selection?: ExpertiseSelection;
  /** Selection within narrower families fixed in advance (SUBFAMILIES), the default always a candidate. */
  subfamilies: Record<string, ExpertiseSelection>;
  /** Per researcher, per method: the summed pair loss (Σ losses / Σ weights is the pooled loss), for further analysis. */
  losses: Record<string, number[]>;
  weights: number[];
  published: Record<string, number>;
  problems: string[];
}

/** The public recipes and the plain similarity the default must not lose to. */
export const BASELINES = ['arxiv-sanity-lite', 'zotero-arxiv-daily', 'tfidf-mean'];

/** Default size of arxiv-sanity-lite's negative sample (see arxivSanityMethod). */
export const SANITY_NEGATIVES = 5000;

/** The published algorithms' own predictions, scored on exactly these 38 researchers (data README). */
export const PUBLISHED = { 'SPECTER+MFR': 0.215, SPECTER: 0.247, TPMS: 0.252, ACL: 0.269, ELMo: 0.317 };

/** Where the background corpus is by default: the arxiv-daily set beside the data set, if present. */
export function defaultBackground(dir: string): string | undefined {
  const p = join(dirname(resolve(dir)), 'arxiv-daily', 'papers.jsonl.gz');
  return existsSync(p) ? p : undefined;
}

const text = (p: ExpertisePaper): TextDoc => ({ title: p.title, abstract: p.abstract });

export async function runExpertiseEval(dir: string, fit: FitFeaturizer, opts: ExpertiseOptions = {}): Promise<ExpertiseReport> {
  const say = opts.progress ?? (() => {});
  const data = readExpertiseData(dir);
  if (data.researchers.length === 0) throw new Error(`${dir}: no researcher with a profile and at least two ratings`);
  const bgPath = opts.noBackground ? undefined : (opts.background ?? defaultBackground(dir));
  if (!bgPath && !opts.noBackground) {
    throw new Error(
      `no background corpus: ${join(dirname(resolve(dir)), 'arxiv-daily', 'papers.jsonl.gz')} not found; give --background FILE (JSON lines with title/abstract), or --no-background to measure cold start on purpose`,
    );
  }
  const background = bgPath ? readBackground(bgPath, opts.backgroundLimit) : [];
  if (bgPath && background.length === 0) throw new Error(`background corpus ${bgPath}: no paper with a title or abstract`);
  say(`reviewer-match: ${data.researchers.length} researchers; background: ${bgPath ? `${background.length} papers from ${bgPath}` : 'none (--no-background: cold start)'}`);

  // Fit on background + every text of the data set (as arxiv-sanity fits on its whole database).
  const textOf = new Map<ExpertisePaper, TextDoc>();
  const docOf = (p: ExpertisePaper) => textOf.get(p) ?? (textOf.set(p, text(p)), textOf.get(p)!);
  const ownTexts = data.researchers.flatMap((r) => r.papers.map(docOf));
  const rated = [...data.papers.values()];
  const ratedTexts = rated.map(docOf);
  const featurizer = await fit([...background, ...ownTexts, ...ratedTexts], say);
  say(`features: ${featurizer.name}`);
  const ratedFeatures = new Map<string, PaperFeatures>();
  (await featurizer.featurize(ratedTexts)).forEach((f, i) => ratedFeatures.set(rated[i].id, f));
  const rand = mulberry32(20240601);
  const nNeg = Math.min(opts.negatives ?? 2000, background.length);
  const sampleIdx = new Set<number>();
  while (sampleIdx.size < nNeg) sampleIdx.add(Math.floor(rand() * background.length));
  const bgFeatures = await featurizer.featurize([...sampleIdx].map((i) => background[i]));

  const cases: { researcher: (typeof data.researchers)[number]; ids: string[]; truth: number[]; c: ResearcherCase }[] = [];
  for (const r of data.researchers) {
    const ownF = await featurizer.featurize(r.papers.map(docOf));
    const ids = [...r.ratings.keys()];
    cases.push({
      researcher: r,
      ids,
      truth: ids.map((id) => r.ratings.get(id)!),
      c: {
        own: r.papers.map((p, i): EvalDoc => ({ features: ownF[i], ...(p.year !== undefined ? { year: p.year } : {}) })),
        rated: ids.map((id) => ({ features: ratedFeatures.get(id)! })),
        ownText: r.papers.map(docOf),
        ratedText: ids.map((id) => docOf(data.papers.get(id)!)),
      },
    });
  }
  const refYear = Math.max(...data.researchers.flatMap((r) => r.papers.map((p) => p.year ?? 0)));
  const ctx = { dims: featurizer.dims, background: bgFeatures, refYear };

  const methods: Record<string, Method> = {
    ...Object.fromEntries(Object.entries(MODEL_VARIANTS).map(([k, v]) => [k, blendMethod(v.blend, v.setup)])),
    'zotero-arxiv-daily': zoteroMethod,
    'arxiv-sanity-lite': arxivSanityMethod(background, ownTexts, ratedTexts, opts.sanityNegatives ?? SANITY_NEGATIVES, say),
    'tfidf-max': similarityMethod('tfidf', 'max'),
    'tfidf-top3': similarityMethod('tfidf', 'top3'),
    'tfidf-mean': similarityMethod('tfidf', 'mean'),
    ...(featurizer.dims.dense > 0
      ? {
          'dense-max': similarityMethod('dense', 'max'),
          'dense-top3': similarityMethod('dense', 'top3'),
          'dense-mean': similarityMethod('dense', 'mean'),
          'default dense 0.5': blendMethod(MODEL_VARIANTS.default.blend, { denseShare: 0.5 }),
        }
      : {}),
  };
  const chosen = opts.methods?.length ? Object.fromEntries(Object.entries(methods).filter(([k]) => opts.methods!.includes(k))) : methods;

  const parts: Record<string, LossParts[]> = {};
  for (const [name, method] of Object.entries(chosen)) {
    const started = performance.now();
    let lastSaid = started;
    parts[name] = cases.map(({ c, truth }, i) => {
      const scores = method(c, ctx);
      const now = performance.now();
      if (now - lastSaid > 10_000) {
        say(`  ${name}: ${i + 1}/${cases.length} researchers (${Math.round((now - started) / 1000)} s)`);
        lastSaid = now;
      }
      return kendallParts(scores, truth);
    });
    say(`  ${name.padEnd(26)} ${weightedKendallLoss(parts[name]).toFixed(4)}  (${Math.round(performance.now() - started)} ms)`);
  }

  // Split-half check: random halves of the researchers, the same halves for every method.
  const splits = opts.splits ?? 50;
  const halfLosses: Record<string, number[]> = Object.fromEntries(Object.keys(parts).map((k) => [k, []]));
  const wins: Record<string, number> = {};
  const srand = mulberry32(7);
  for (let s = 0; s < splits; s++) {
    const order = cases.map((_, i) => i).sort(() => srand() - 0.5);
    for (const half of [order.slice(0, order.length >> 1), order.slice(order.length >> 1)]) {
      const loss: Record<string, number> = {};
      for (const k of Object.keys(parts)) {
        loss[k] = weightedKendallLoss(half.map((i) => parts[k][i]));
        halfLosses[k].push(loss[k]);
      }
      if (loss.default !== undefined) for (const k of Object.keys(parts)) if (k !== 'default') wins[k] = (wins[k] ?? 0) + (loss.default < loss[k] ? 1 : 0);
    }
  }
  const results: Record<string, MethodResult> = {};
  // Units are researchers; the pooled loss is Σ loss / Σ max, so max is each unit's weight.
  const weights = cases.map((_, i) => Object.values(parts)[0][i].max);
  const lossesOf = (k: string) => parts[k].map((p) => p.loss);
  for (const [k, p] of Object.entries(parts)) {
    const h = halfLosses[k];
    results[k] = {
      loss: round(weightedKendallLoss(p)),
      ci: roundInterval(bootstrapCI(lossesOf(k), { weights })),
      halves: { mean: round(h.reduce((a, b) => a + b, 0) / h.length), min: round(Math.min(...h)), max: round(Math.max(...h)) },
      ...(k !== 'default' && parts.default ? { vsDefault: roundPaired(pairedTest(lossesOf('default'), lossesOf(k), { weights })) } : {}),
    };
  }
  const select = (family: string[]): ExpertiseSelection | undefined => {
    if (family.length < 2 || !parts.default || cases.length < 4) return undefined;
    const cv = crossValidate(Object.fromEntries(family.map((k) => [k, lossesOf(k)])), { higherIsBetter: false, weights, folds: 5, repeats: 20 });
    return {
      candidates: family,
      chosen: cv.chosen,
      folds: cv.folds,
      repeats: cv.repeats,
      heldOut: roundInterval(bootstrapCI(cv.heldOut, { weights })),
      defaultVsSelection: roundPaired(pairedTest(lossesOf('default'), cv.heldOut, { weights })),
      selectionVsBaselines: Object.fromEntries(
        BASELINES.filter((k) => parts[k]).map((k) => [k, roundPaired(pairedTest(cv.heldOut, lossesOf(k), { weights }))]),
      ),
    };
  };
  const selection = select(Object.keys(MODEL_VARIANTS).filter((k) => parts[k]));
  const subfamilies: Record<string, ExpertiseSelection> = {};
  for (const [name, members] of Object.entries(SUBFAMILIES)) {
    const s = select(['default', ...members.filter((k) => k !== 'default' && parts[k])]);
    if (s) subfamilies[name] = s;
  }
  return {
    researchers: cases.length,
    ratings: cases.reduce((n, c) => n + c.ids.length, 0),
    background: { ...(bgPath ? { path: bgPath } : {}), papers: background.length },
    features: featurizer.name,
    methods: results,
    splitHalf: { splits: splits * 2, defaultWins: Object.fromEntries(Object.entries(wins).map(([k, v]) => [k, round(v / (splits * 2))])) },
    ...(selection ? { selection } : {}),
    subfamilies,
    losses: Object.fromEntries(Object.keys(parts).map((k) => [k, lossesOf(k).map(round)])),
    weights,
    published: PUBLISHED,
    problems: data.problems,
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const roundInterval = (i: Interval): Interval => ({ value: round(i.value), lo: round(i.lo), hi: round(i.hi) });
const roundPaired = (p: PairedResult): PairedResult => ({ ...p, diff: round(p.diff), lo: round(p.lo), hi: round(p.hi), p: round(p.p) });

/**
 * The product's profile model and the variants studied against it: blends of
 * its standardised parts — the classifier margin; similarity to the profile's
 * papers aggregated as the nearest (`max`), the weighted mean of the k nearest
 * (`topK`, k = 2…5) and of all (`mean`) — each with and without the
 * classifier, each with and without recency weights. Every variant is a
 * setting of the product's model (recommend.ts: part weights and k). The order
 * is the tie-break of cross-validated selection: the default first.
 */
const NEIGHBOUR_BLENDS: Record<string, Blend> = {
  'max+top3+mean': { top1: 1, top3: 1, mean: 1 },
  max: { top1: 1 },
  top2: { top2: 1 },
  top3: { top3: 1 },
  top4: { top4: 1 },
  top5: { top5: 1 },
  mean: { mean: 1 },
  'max+mean': { top1: 1, mean: 1 },
  'top2+mean': { top2: 1, mean: 1 },
  'top3+mean': { top3: 1, mean: 1 },
};

export interface ModelVariant {
  blend: Blend;
  setup?: { recency?: boolean };
}

function modelVariants(): Record<string, ModelVariant> {
  const out: Record<string, ModelVariant> = {};
  for (const recency of [true, false]) {
    const suffix = recency ? '' : ' no recency';
    const setup = recency ? undefined : { recency: false };
    for (const [name, blend] of Object.entries(NEIGHBOUR_BLENDS)) {
      const withC = { classifier: 1, ...blend };
      const cName = name === 'max+top3+mean' ? (recency ? 'default' : 'model no recency') : `model classifier+${name}${suffix}`;
      out[cName] = { blend: withC, ...(setup ? { setup } : {}) };
    }
    out[`model classifier only${suffix}`] = { blend: { classifier: 1 }, ...(setup ? { setup } : {}) };
    for (const [name, blend] of Object.entries(NEIGHBOUR_BLENDS)) {
      out[`model ${name === 'max+top3+mean' ? 'neighbours only' : name}${suffix}`] = { blend, ...(setup ? { setup } : {}) };
    }
  }
  return out;
}

export const MODEL_VARIANTS: Record<string, ModelVariant> = modelVariants();

/**
 * Narrower questions, each its own cross-validated selection: how to aggregate
 * the neighbour term beside the classifier (today's structure), without it,
 * and whether recency weights pay.
 */
const withRecency = Object.keys(MODEL_VARIANTS).filter((k) => !k.endsWith('no recency'));
export const SUBFAMILIES: Record<string, string[]> = {
  'aggregation, with the classifier': withRecency.filter((k) => k === 'default' || k.startsWith('model classifier+')),
  'aggregation, without the classifier': withRecency.filter((k) => !k.includes('classifier') && k !== 'default'),
  'classifier, neighbours or both': ['model classifier only', 'model neighbours only'],
  recency: ['model no recency'],
};

/**
 * arxiv-sanity-lite as it runs: its own TF-IDF fitted on the whole database
 * (background + the data set), the SVM trained on the researcher's papers
 * against negatives from that database. Its svm_rank takes every other paper
 * of the instance as a negative — a few thousand on a personal instance, which
 * keeps the last weeks of arXiv. Here the negatives are one fixed random
 * sample of the background (`negatives` papers, the same for every
 * researcher, their rows computed once); `Infinity` uses all of it, as a
 * 75,000-paper instance would (minutes per researcher).
 */
function arxivSanityMethod(background: TextDoc[], allOwn: TextDoc[], rated: TextDoc[], negatives: number, say: (s: string) => void): Method {
  let fitted: { vec: ReturnType<typeof fitSanityTfidf>; rows: Map<TextDoc, FeatureRow>; negatives: FeatureRow[] } | undefined;
  return (c) => {
    if (!fitted) {
      const corpus = [...background, ...allOwn, ...rated];
      const vec = fitSanityTfidf(corpus);
      const rows = new Map(corpus.map((d, i) => [d, vec.corpusRows[i]]));
      const pick = negatives >= background.length ? background : sampleOf(background, negatives, mulberry32(20240602));
      fitted = { vec, rows, negatives: pick.map((d) => rows.get(d)!) };
      say(`  arxiv-sanity-lite tfidf: ${vec.vocabulary.size} features over ${corpus.length} papers; ${fitted.negatives.length} background negatives`);
    }
    const { vec, rows } = fitted;
    const mine = new Set(c.ownText.map((d) => rows.get(d)));
    const row = (d: TextDoc) => rows.get(d) ?? vec.transform(d);
    return sanitySvmScores(c.ownText.map(row), fitted.negatives.filter((r) => !mine.has(r)), c.ratedText.map(row), vec.vocabulary.size);
  };
}

/** `n` distinct items drawn at random (partial Fisher–Yates), in draw order. */
function sampleOf<T>(items: readonly T[], n: number, rand: () => number): T[] {
  const idx = Array.from(items.keys());
  const m = Math.min(n, idx.length);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, m).map((i) => items[i]);
}
