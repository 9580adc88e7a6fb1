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
}

export interface ExpertiseReport {
  researchers: number;
  ratings: number;
  background: { path?: string; papers: number };
  features: string;
  methods: Record<string, MethodResult>;
  /** Share of random halves in which `default` has a lower loss than each other method. */
  splitHalf: { splits: number; defaultWins: Record<string, number> };
  selection?: ExpertiseSelection;
  published: Record<string, number>;
  problems: string[];
}

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
    'arxiv-sanity-lite': arxivSanityMethod(background, ownTexts, ratedTexts, say),
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
    parts[name] = cases.map(({ c, truth }, i) => {
      const scores = method(c, ctx);
      return kendallParts(scores, truth.map((t) => t));
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
  const family = Object.keys(MODEL_VARIANTS).filter((k) => parts[k]);
  let selection: ExpertiseSelection | undefined;
  if (family.length > 1 && parts.default && cases.length >= 4) {
    const cv = crossValidate(Object.fromEntries(family.map((k) => [k, lossesOf(k)])), { higherIsBetter: false, weights, folds: 5, repeats: 20 });
    selection = {
      candidates: family,
      chosen: cv.chosen,
      folds: cv.folds,
      repeats: cv.repeats,
      heldOut: roundInterval(bootstrapCI(cv.heldOut, { weights })),
      defaultVsSelection: roundPaired(pairedTest(lossesOf('default'), cv.heldOut, { weights })),
    };
  }
  return {
    researchers: cases.length,
    ratings: cases.reduce((n, c) => n + c.ids.length, 0),
    background: { ...(bgPath ? { path: bgPath } : {}), papers: background.length },
    features: featurizer.name,
    methods: results,
    splitHalf: { splits: splits * 2, defaultWins: Object.fromEntries(Object.entries(wins).map(([k, v]) => [k, round(v / (splits * 2))])) },
    ...(selection ? { selection } : {}),
    published: PUBLISHED,
    problems: data.problems,
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
const roundInterval = (i: Interval): Interval => ({ value: round(i.value), lo: round(i.lo), hi: round(i.hi) });
const roundPaired = (p: PairedResult): PairedResult => ({ ...p, diff: round(p.diff), lo: round(p.lo), hi: round(p.hi), p: round(p.p) });

/**
 * The product's profile model and the variants studied against it: blends of
 * its standardised parts (classifier margin; similarity to the nearest profile
 * paper, to the k nearest, to all), and the same without recency weights. The
 * order is the tie-break of cross-validated selection: the default first.
 */
export const MODEL_VARIANTS: Record<string, { blend: Blend; setup?: { recency?: boolean } }> = {
  default: { blend: { classifier: 1, max: 1, topk: 1, mean: 1 } },
  'model no recency': { blend: { classifier: 1, max: 1, topk: 1, mean: 1 }, setup: { recency: false } },
  'model classifier only': { blend: { classifier: 1 } },
  'model neighbours only': { blend: { max: 1, topk: 1, mean: 1 } },
  'model max': { blend: { max: 1 } },
  'model top3': { blend: { topk: 1 } },
  'model mean': { blend: { mean: 1 } },
  'model classifier+max': { blend: { classifier: 1, max: 1 } },
  'model classifier+top3': { blend: { classifier: 1, topk: 1 } },
  'model classifier+mean': { blend: { classifier: 1, mean: 1 } },
  'model max+mean': { blend: { max: 1, mean: 1 } },
};

/**
 * arxiv-sanity-lite as it runs: its own TF-IDF fitted on the whole database
 * (background + the data set), the SVM trained on the researcher's papers vs
 * every other paper in that database.
 */
function arxivSanityMethod(background: TextDoc[], allOwn: TextDoc[], rated: TextDoc[], say: (s: string) => void): Method {
  let fitted: { vec: ReturnType<typeof fitSanityTfidf>; rows: Map<TextDoc, FeatureRow> } | undefined;
  return (c) => {
    if (!fitted) {
      const corpus = [...background, ...allOwn, ...rated];
      const vec = fitSanityTfidf(corpus);
      say(`  arxiv-sanity-lite tfidf: ${vec.vocabulary.size} features over ${corpus.length} papers`);
      fitted = { vec, rows: new Map(corpus.map((d, i) => [d, vec.corpusRows[i]])) };
    }
    const { vec, rows } = fitted;
    const mine = new Set(c.ownText);
    const row = (d: TextDoc) => rows.get(d) ?? vec.transform(d);
    const negatives: FeatureRow[] = [];
    for (const [d, r] of rows) if (!mine.has(d)) negatives.push(r);
    return sanitySvmScores(c.ownText.map(row), negatives, c.ratedText.map(row), vec.vocabulary.size);
  };
}
