/**
 * The arxiv-sanity-lite recipe (karpathy/arxiv-sanity-lite: `compute.py` builds
 * the features, `serve.py`'s svm_rank ranks), reproduced faithfully:
 *
 * - text = title + ' ' + abstract + ' ' + author names;
 * - scikit-learn TfidfVectorizer(strip_accents='unicode', lowercase=True,
 *   stop_words='english', token_pattern=r'(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b',
 *   ngram_range=(1, 2), max_features=20000, norm='l2', use_idf=True,
 *   smooth_idf=True, sublinear_tf=True, max_df=0.1, min_df=5) fitted on the
 *   whole corpus — the analyzer is reproduced here because it differs from Paper
 *   Radar's own (no stemming, that token pattern);
 * - LinearSVC(class_weight='balanced', C=0.01) with the tagged (profile) papers
 *   as positives and every other paper as negatives, scored by the margin.
 *
 * Pure: texts in, scores out.
 */
import { STOP_WORDS } from '../../text/stopwords.ts';
import { dot, trainLinearSvm, type FeatureRow } from '../recommend-linear.ts';

export interface SanityDoc {
  title: string;
  abstract: string;
  authors?: string[];
}

export const SANITY_TFIDF = { minDf: 5, maxDf: 0.1, maxFeatures: 20_000, C: 0.01 } as const;

const TOKEN = /(?<![\p{L}\p{N}_])[a-zA-Z_][a-zA-Z0-9_]+(?![\p{L}\p{N}_])/gu;

/** scikit-learn's word analyzer with the settings above: unigrams then bigrams of the stop-word-filtered tokens. */
export function sanityAnalyze(d: SanityDoc): string[] {
  const text = `${d.title} ${d.abstract} ${(d.authors ?? []).join(' ')}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const toks: string[] = [];
  for (const m of text.matchAll(TOKEN)) if (!STOP_WORDS.has(m[0])) toks.push(m[0]);
  const out = [...toks];
  for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i]} ${toks[i + 1]}`);
  return out;
}

export interface SanityVectorizer {
  vocabulary: Map<string, number>;
  idf: Float64Array;
  transform(d: SanityDoc): FeatureRow;
  /** The corpus's own rows, in corpus order (analysing 75k abstracts twice is the slow part). */
  corpusRows: FeatureRow[];
}

export function fitSanityTfidf(corpus: Iterable<SanityDoc>, opts: { minDf?: number; maxDf?: number; maxFeatures?: number } = {}): SanityVectorizer {
  const minDf = opts.minDf ?? SANITY_TFIDF.minDf;
  const maxDf = opts.maxDf ?? SANITY_TFIDF.maxDf;
  const maxFeatures = opts.maxFeatures ?? SANITY_TFIDF.maxFeatures;
  const df = new Map<string, number>();
  const tf = new Map<string, number>();
  let n = 0;
  const analysed: string[][] = [];
  for (const d of corpus) {
    n++;
    const toks = sanityAnalyze(d);
    analysed.push(toks);
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of new Set(toks)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  // scikit-learn: max_df as a fraction of documents, min_df as a count; then the
  // max_features terms by corpus frequency (ties broken alphabetically, as its stable sort over sorted vocabulary).
  const maxDocs = maxDf * n;
  let kept = [...df.keys()].filter((t) => df.get(t)! >= minDf && df.get(t)! <= maxDocs).sort();
  if (kept.length > maxFeatures) {
    kept = kept
      .map((t, i) => ({ t, i }))
      .sort((a, b) => tf.get(b.t)! - tf.get(a.t)! || a.i - b.i)
      .slice(0, maxFeatures)
      .map((x) => x.t)
      .sort();
  }
  const vocabulary = new Map(kept.map((t, i) => [t, i]));
  const idf = new Float64Array(kept.length);
  kept.forEach((t, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1));
  const rowOf = (toks: string[]): FeatureRow => {
    const counts = new Map<number, number>();
    for (const t of toks) {
      const i = vocabulary.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const indices = [...counts.keys()].sort((a, b) => a - b);
    const values = indices.map((i) => (1 + Math.log(counts.get(i)!)) * idf[i]);
    let sq = 0;
    for (const v of values) sq += v * v;
    const norm = Math.sqrt(sq) || 1;
    return { indices: Uint32Array.from(indices), values: Float32Array.from(values, (v) => v / norm) };
  };
  const corpusRows = analysed.map(rowOf);
  analysed.length = 0;
  return { vocabulary, idf, transform: (d) => rowOf(sanityAnalyze(d)), corpusRows };
}

/** svm_rank: positives vs every other paper, LinearSVC(C=0.01, balanced), margin as the score. */
export function sanitySvmScores(positives: FeatureRow[], negatives: FeatureRow[], candidates: FeatureRow[], dims: number, C: number = SANITY_TFIDF.C): number[] {
  const model = trainLinearSvm(
    [...positives.map((x) => ({ x, y: 1 as const })), ...negatives.map((x) => ({ x, y: -1 as const }))],
    { sparse: dims, dense: 0 },
    // serve.py: LinearSVC(class_weight='balanced', verbose=False, max_iter=10000, tol=1e-6, C=C)
    { C, classWeight: 'balanced', maxIter: 10_000, tol: 1e-6 },
  );
  return candidates.map((x) => dot(model, x));
}
