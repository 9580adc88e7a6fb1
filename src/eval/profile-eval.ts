/**
 * `radar eval profile`: the feed model on replayed days of a real corpus.
 *
 * Synthetic researchers are authors with many papers in the corpus (default:
 * arxiv-daily). Each one's papers are split in time: the earlier ones (by
 * listing day) form the profile; every later paper is a positive among all the
 * papers listed on its day, which the methods rank. Author names are removed
 * from every text — authorship defines the positives, so a method that reads
 * names would be told the answer; what is measured is topical judgement.
 * Metrics per (researcher, day), then averaged: AUC, nDCG@10, P@10.
 *
 * Caveat: a common name may stand for several people; that adds the same noise
 * to every method.
 *
 * Every method sees the corpus as it stood when the profile was made: negatives
 * come from papers listed up to the profile's last day, never the researcher's
 * own. The baselines follow their code: arxiv-sanity-lite trains its SVM on the
 * profile against every other paper of that corpus (`sanityNegatives` caps it
 * for a quick run); zotero-arxiv-daily embeds abstracts only and needs a dense
 * model (skipped, and said so, when the corpus is too small to fit one).
 */
import { fitSanityTfidf, sanitySvmScores } from '../rank/baselines/arxiv-sanity-lite.ts';
import { zoteroArxivDailyScores } from '../rank/baselines/zotero-arxiv-daily.ts';
import { mulberry32 } from '../text/random.ts';
import { recencyWeight, trainProfileModel, type PaperFeatures } from '../rank/recommend.ts';
import type { TextDoc } from '../vectors/types.ts';
import type { CorpusPaper } from './background.ts';
import { MODEL_VARIANTS, type FitFeaturizer } from './expertise.ts';
import { bootstrapCI, pairedTest, type Interval, type PairedResult } from './stats.ts';

export type { CorpusPaper } from './background.ts';

export interface ProfileEvalOptions {
  /** Synthetic researchers to evaluate (default 40). */
  researchers?: number;
  /** Authors need at least this many papers (default 12). */
  minPapers?: number;
  /** Share of each author's papers (earliest first) that forms the profile (default 0.7). */
  profileShare?: number;
  /** Background negatives for the profile model (default 2000, as the feed). */
  negatives?: number;
  /** At most this many later days per researcher, the first after the profile (default: all). */
  days?: number;
  /** Cap on arxiv-sanity-lite's negatives (default: every other paper, as its svm_rank). */
  sanityNegatives?: number;
  seed?: number;
  progress?: (line: string) => void;
}

export interface RankMetrics {
  auc: number;
  'ndcg@10': number;
  'p@10': number;
}

export interface ProfileEvalReport {
  researchers: number;
  days: number;
  features: string;
  /** Means over researchers (each researcher's days averaged first: days of one researcher are not independent). */
  methods: Record<string, RankMetrics>;
  /** 95% bootstrap intervals over researchers. */
  intervals: Record<string, Record<keyof RankMetrics, Interval>>;
  /** Default minus each method, paired by researcher. */
  paired: Record<string, Record<keyof RankMetrics, PairedResult>>;
  /** Methods that could not run, and why. */
  skipped: Record<string, string>;
}

/** AUC (ties count half), nDCG@10 and P@10 of one ranked day with binary relevance. */
export function rankMetrics(scores: number[], relevant: boolean[]): RankMetrics {
  const order = scores.map((s, i) => ({ s, r: relevant[i] })).sort((a, b) => b.s - a.s);
  const nPos = relevant.filter(Boolean).length;
  const nNeg = relevant.length - nPos;
  // AUC by ranks (Mann–Whitney U) with average ranks for ties.
  const asc = scores.map((s, i) => ({ s, r: relevant[i] })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < asc.length; ) {
    let j = i;
    while (j + 1 < asc.length && asc[j + 1].s === asc[i].s) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (asc[k].r) rankSum += avg;
    i = j + 1;
  }
  const auc = nPos && nNeg ? (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg) : 0.5;
  let dcg = 0;
  let idcg = 0;
  for (let i = 0; i < 10 && i < order.length; i++) {
    if (order[i].r) dcg += 1 / Math.log2(i + 2);
    if (i < nPos) idcg += 1 / Math.log2(i + 2);
  }
  const p10 = order.slice(0, 10).filter((o) => o.r).length / 10;
  return { auc, 'ndcg@10': idcg ? dcg / idcg : 0, 'p@10': p10 };
}

export async function runProfileEval(corpus: CorpusPaper[], fit: FitFeaturizer, opts: ProfileEvalOptions = {}): Promise<ProfileEvalReport> {
  const say = opts.progress ?? (() => {});
  const minPapers = opts.minPapers ?? 12;
  const rand = mulberry32(opts.seed ?? 11);
  const byAuthor = new Map<string, number[]>();
  corpus.forEach((p, i) => {
    for (const a of p.authors ?? []) {
      const list = byAuthor.get(a);
      if (list) list.push(i);
      else byAuthor.set(a, [i]);
    }
  });
  const eligible = [...byAuthor.entries()].filter(([, l]) => l.length >= minPapers).sort((a, b) => a[0].localeCompare(b[0]));
  // A reproducible sample of authors.
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
  }
  const chosen = eligible.slice(0, opts.researchers ?? 40);
  say(`${eligible.length} authors with ≥ ${minPapers} papers; evaluating ${chosen.length}`);

  const noAuthors = corpus.map((p): TextDoc => ({ title: p.title, abstract: p.abstract }));
  const featurizer = await fit(noAuthors, say);
  const byDay = new Map<string, number[]>();
  corpus.forEach((p, i) => {
    const l = byDay.get(p.day);
    if (l) l.push(i);
    else byDay.set(p.day, [i]);
  });
  const cache = new Map<number, PaperFeatures>();
  const feats = async (idx: number[]) => {
    const missing = idx.filter((i) => !cache.has(i));
    const f = await featurizer.featurize(missing.map((i) => noAuthors[i]));
    missing.forEach((i, k) => cache.set(i, f[k]));
    return idx.map((i) => cache.get(i)!);
  };
  const nNeg = opts.negatives ?? 2000;
  // zotero-arxiv-daily embeds abstracts alone (its recommender encodes `summary` / `abstractNote`).
  const abstractOnly = new Map<number, Float32Array>();
  const abstractEmbedding = async (idx: number[]) => {
    const missing = idx.filter((i) => !abstractOnly.has(i));
    const f = await featurizer.featurize(missing.map((i) => ({ title: '', abstract: noAuthors[i].abstract || noAuthors[i].title })));
    missing.forEach((i, k) => abstractOnly.set(i, f[k].dense!));
    return idx.map((i) => abstractOnly.get(i)!);
  };
  const skipped: Record<string, string> = {};
  if (featurizer.dims.dense === 0) skipped['zotero-arxiv-daily'] = `needs a dense model, and ${corpus.length} papers are too few to fit the built-in one`;
  say('arxiv-sanity-lite: fitting its TF-IDF on the corpus (author names removed)');
  const sanity = fitSanityTfidf(noAuthors);
  const srow = (i: number) => sanity.corpusRows[i];
  // Corpus positions in listing order, so "the corpus up to a day" is a prefix.
  const chrono = corpus.map((_, i) => i).sort((a, b) => corpus[a].day.localeCompare(corpus[b].day) || a - b);

  // method → researcher → summed metrics and days.
  const sums = new Map<string, Map<string, RankMetrics & { n: number }>>();
  let author = '';
  const add = (m: string, r: RankMetrics) => {
    let byAuthor = sums.get(m);
    if (!byAuthor) sums.set(m, (byAuthor = new Map()));
    let s = byAuthor.get(author);
    if (!s) byAuthor.set(author, (s = { auc: 0, 'ndcg@10': 0, 'p@10': 0, n: 0 }));
    s.auc += r.auc;
    s['ndcg@10'] += r['ndcg@10'];
    s['p@10'] += r['p@10'];
    s.n++;
  };
  let cases = 0;
  for (const [name, idx] of chosen) {
    author = name;
    const sorted = [...idx].sort((a, b) => corpus[a].day.localeCompare(corpus[b].day) || a - b);
    const cut = Math.max(1, Math.floor(sorted.length * (opts.profileShare ?? 0.7)));
    const cutDay = corpus[sorted[cut - 1]].day;
    const profile = sorted.filter((i) => corpus[i].day <= cutDay);
    const later = sorted.filter((i) => corpus[i].day > cutDay);
    if (!later.length) continue;
    const mine = new Set(idx);
    // The corpus as it stood on the cut day, without the researcher's papers.
    let known = 0;
    while (known < chrono.length && corpus[chrono[known]].day <= cutDay) known++;
    const others = chrono.slice(0, known).filter((i) => !mine.has(i));
    const profF = await feats(profile);
    const lastDay = Date.parse(corpus[profile[profile.length - 1]].day);
    const model = trainProfileModel(
      profF.map((features, k) => ({ features, key: k, weight: recencyWeight((lastDay - Date.parse(corpus[profile[k]].day)) / 3.15576e10) })),
      (await feats(sampleWithout(others, nNeg, rand))).map((features) => ({ features })),
      featurizer.dims,
    );
    const profRows = profile.map(srow);
    const sanityNeg = (opts.sanityNegatives ? sampleWithout(others, opts.sanityNegatives, rand) : others).map(srow);
    const profAbstracts = featurizer.dims.dense > 0 ? await abstractEmbedding(profile) : [];
    for (const day of [...new Set(later.map((i) => corpus[i].day))].slice(0, opts.days ?? Infinity)) {
      const dayIdx = (byDay.get(day) ?? []).filter((i) => !profile.includes(i));
      const relevant = dayIdx.map((i) => mine.has(i));
      const dayF = await feats(dayIdx);
      const details = dayF.map((f) => model.score(f));
      // The default and the blends of its parts studied on reviewer-match (one trained model serves all).
      for (const [variant, { blend, setup }] of Object.entries(MODEL_VARIANTS)) {
        if (setup) continue;
        const w = (k: 'classifier' | 'max' | 'topk' | 'mean') => blend[k] ?? 0;
        add(variant, rankMetrics(details.map((d) => w('classifier') * (d.classifier ?? 0) + w('max') * d.parts.max + w('topk') * d.parts.topk + w('mean') * d.parts.mean), relevant));
      }
      if (featurizer.dims.dense > 0) {
        const library = profAbstracts.map((embedding, k) => ({ embedding, time: Date.parse(corpus[profile[k]].day) }));
        add('zotero-arxiv-daily', rankMetrics(zoteroArxivDailyScores(library, await abstractEmbedding(dayIdx)), relevant));
      }
      add('arxiv-sanity-lite', rankMetrics(sanitySvmScores(profRows, sanityNeg, dayIdx.map(srow), sanity.vocabulary.size), relevant));
      cases++;
    }
    say(`  ${name}: ${profile.length} profile papers, ${later.length} later, ${others.length} other papers known at the cut`);
  }
  // Units are researchers: a researcher's days share one profile and one model.
  const authors = [...(sums.get('default')?.keys() ?? [])];
  const perResearcher = (m: string, k: keyof RankMetrics) =>
    authors.map((a) => {
      const s = sums.get(m)?.get(a);
      return s && s.n ? s[k] / s.n : NaN;
    });
  const keys = ['auc', 'ndcg@10', 'p@10'] as const;
  const methods: Record<string, RankMetrics> = {};
  const intervals: ProfileEvalReport['intervals'] = {};
  const paired: ProfileEvalReport['paired'] = {};
  for (const m of sums.keys()) {
    const iv = Object.fromEntries(keys.map((k) => [k, roundInterval(bootstrapCI(perResearcher(m, k)))])) as Record<keyof RankMetrics, Interval>;
    intervals[m] = iv;
    methods[m] = { auc: iv.auc.value, 'ndcg@10': iv['ndcg@10'].value, 'p@10': iv['p@10'].value };
    if (m !== 'default') paired[m] = Object.fromEntries(keys.map((k) => [k, roundPaired(pairedTest(perResearcher('default', k), perResearcher(m, k)))])) as Record<keyof RankMetrics, PairedResult>;
  }
  return { researchers: authors.length, days: cases, features: featurizer.name, methods, intervals, paired, skipped };
}

const roundInterval = (i: Interval): Interval => ({ value: round(i.value), lo: round(i.lo), hi: round(i.hi) });
const roundPaired = (p: PairedResult): PairedResult => ({ ...p, diff: round(p.diff), lo: round(p.lo), hi: round(p.hi), p: round(p.p) });

/** Up to n distinct items of xs, drawn at random (partial Fisher–Yates on a copy). */
function sampleWithout<T>(xs: T[], n: number, rand: () => number): T[] {
  const a = [...xs];
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

const round = (x: number) => Math.round(x * 10000) / 10000;
