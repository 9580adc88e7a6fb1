/**
 * Why a paper is in a profile's feed, in words a researcher can check: the
 * profile paper(s) it is closest to, the terms that pushed its score up most,
 * and the rules (followed authors/organisations, keywords) that applied. Pure.
 */
import type { PaperFeatures, ProfileModel, ScoreDetail } from './recommend.ts';

export type Reason =
  | { kind: 'similar'; id: string; title: string; similarity: number; via: 'profile' | 'like' | 'save'; text: string }
  | { kind: 'terms'; terms: string[]; text: string }
  | { kind: 'author'; name: string; text: string }
  | { kind: 'organization'; name: string; text: string }
  | { kind: 'keyword'; keyword: string; text: string };

export interface PositiveInfo {
  id: string;
  title: string;
  via: 'profile' | 'like' | 'save';
}

export interface ExplainInput {
  model: ProfileModel;
  features: PaperFeatures;
  detail: ScoreDetail;
  /** Positive key (what `Positive.key` held) → what to call it. */
  positives: ReadonlyMap<string | number, PositiveInfo>;
  /** TF-IDF feature index → readable term (undefined for unknown indices). */
  term: (index: number) => string | undefined;
  /** Reasons from rules, already worded (see src/profile/rules.ts). */
  ruleReasons?: Reason[];
  maxTerms?: number;
  maxSimilar?: number;
}

const quote = (title: string) => `“${title.length > 90 ? `${title.slice(0, 87)}…` : title}”`;

/**
 * Term contributions: with a classifier, w_j·x_j (what each term added to the
 * margin); in cold start, x_j·p_j against the nearest profile paper (the terms
 * the two share, by weight).
 */
export function topTerms(input: ExplainInput, nearestFeatures?: PaperFeatures): string[] {
  const { model, features } = input;
  const row = model.row(features);
  const contributions: { index: number; value: number }[] = [];
  if (model.linear) {
    for (let k = 0; k < row.indices.length; k++) {
      const v = model.linear.sparse[row.indices[k]] * row.values[k];
      if (v > 0) contributions.push({ index: row.indices[k], value: v });
    }
  } else if (nearestFeatures) {
    const near = new Map<number, number>();
    nearestFeatures.indices.forEach((ix, k) => near.set(ix, nearestFeatures.values[k]));
    for (let k = 0; k < features.indices.length; k++) {
      const p = near.get(features.indices[k]);
      if (p) contributions.push({ index: features.indices[k], value: p * features.values[k] });
    }
  }
  contributions.sort((a, b) => b.value - a.value);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of contributions) {
    const t = input.term(c.index);
    if (!t || seen.has(t)) continue;
    // A unigram already covered by a chosen bigram adds nothing for a reader.
    if (!t.includes(' ') && out.some((o) => o.split(' ').includes(t))) continue;
    seen.add(t);
    out.push(t);
    if (out.length >= (input.maxTerms ?? 5)) break;
  }
  return out;
}

export function explain(input: ExplainInput, nearestFeatures?: PaperFeatures): Reason[] {
  const reasons: Reason[] = [...(input.ruleReasons ?? [])];
  const nearest = input.detail.nearest.slice(0, input.maxSimilar ?? 2);
  nearest.forEach((n, i) => {
    const info = n.key !== undefined ? input.positives.get(n.key) : undefined;
    if (!info) return;
    // The second neighbour only when it is nearly as close as the first.
    if (i > 0 && n.similarity < nearest[0].similarity * 0.8) return;
    const via = info.via === 'profile' ? 'your paper' : info.via === 'like' ? 'a paper you liked' : 'a paper you saved';
    reasons.push({
      kind: 'similar',
      id: info.id,
      title: info.title,
      similarity: Math.round(n.similarity * 1000) / 1000,
      via: info.via,
      text: `close to ${via} ${quote(info.title || info.id)}`,
    });
  });
  const terms = topTerms(input, nearestFeatures);
  if (terms.length) reasons.push({ kind: 'terms', terms, text: `about ${terms.join(', ')}` });
  return reasons;
}
