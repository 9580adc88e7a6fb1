/**
 * Why a paper is in a profile's feed, in words a researcher can check: the
 * profile paper(s) it is closest to, the terms that pushed its score up most,
 * and the rules (followed authors/organisations, keywords) that applied. Pure.
 */
import { isStopWord, stem, words } from '../text/tokenize.ts';
import type { PaperFeatures, ProfileModel, ScoreDetail } from './recommend.ts';

export type Reason =
  | { kind: 'similar'; id: string; title: string; similarity: number; via: 'profile' | 'like' | 'save'; text: string }
  | { kind: 'terms'; terms: string[]; text: string }
  | { kind: 'author'; name: string; text: string }
  | { kind: 'organization'; name: string; text: string }
  | { kind: 'keyword'; keyword: string; text: string }
  | { kind: 'lab'; members: number; text: string };

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
  /** The paper's text: stemmed terms are shown as the words the paper itself uses. */
  text?: string;
  /** Reasons from rules, already worded (see src/profile/rules.ts). */
  ruleReasons?: Reason[];
  maxTerms?: number;
  maxSimilar?: number;
}

/**
 * Maps stemmed terms (and stemmed bigrams) back to the first surface form the
 * text uses, so a reason says "neural collapse" rather than "neural collaps".
 */
export function surfaceForms(text: string): Map<string, string> {
  const forms = new Map<string, string>();
  let prev: { w: string; s: string } | undefined;
  // Stop words are skipped, not breaks: bigram features are built the same way.
  for (const w of words(text)) {
    if (isStopWord(w)) continue;
    const s = stem(w);
    if (!forms.has(s)) forms.set(s, w);
    if (prev) {
      const key = `${prev.s} ${s}`;
      if (!forms.has(key)) forms.set(key, `${prev.w} ${w}`);
    }
    prev = { w, s };
  }
  return forms;
}

/**
 * Words that say how a paper argues, not what it is about: abstracts share
 * them across every field, so naming one ("showing", "property", "unified
 * perspective") as a reason tells a reader nothing. Stemmed like the features.
 */
const RHETORIC = `show showing shows shown demonstrate demonstrates property properties unified unify perspective perspectives
propose proposed proposes approach approaches novel method methods result results performance framework frameworks paper
work works task tasks problem problems experiment experiments experimental extensive existing significant significantly
improve improves improved improving improvement improvements achieve achieves achieved achieving study studies analysis
analyze new based using use used provide provides present presents recent recently various different differ however
general key important importance remain remains challenge challenges challenging address addresses leverage leverages
enable enables introduce introduces finding findings observe observed understanding insight insights simple strong
benefit benefits benefiting presence lower higher high low quality critical crucial solution solutions require requires
requiring face faces designed design overall preserve preserves integrated integrate iteratively setting settings aspect
aspects way ways manner effect effects role evaluate evaluation evaluated outperform outperforms superior competitive
comprehensive substantial substantially notably particular specific multiple number range wide widely capability
capabilities ability abilities potential promising remarkable fundamental empirical empirically practical despite
typically commonly mainly make makes allow allows paradigm plug play code available publicly release accuracy average
lead leads leading gain gains boost enhance enhances enhancing enhanced mitigate mitigates issue issues limitation
limitations extent diverse question questions suggest suggests reveal reveals highlight highlights explore explores
investigate investigates consistent consistently effective effectively approach toward towards lack limited emerge
emerged emerging systematic systematically maintain maintains increasingly external`
  .split(/\s+/)
  .map(stem);
const GENERIC = new Set(RHETORIC);
const GENERIC_PAIRS = new Set(['state art', 'art perform', 'wide rang', 'real world', 'larg scale'].map((p) => p.split(' ').map(stem).join(' ')));

/** A term (stemmed word or bigram) that names no topic. */
export function isGenericTerm(stemmed: string): boolean {
  return GENERIC_PAIRS.has(stemmed) || stemmed.split(' ').some((w) => GENERIC.has(w));
}

const quote = (title: string) => `“${title.length > 90 ? `${title.slice(0, 87)}…` : title}”`;

/**
 * The terms a reader can check: ones the paper shares with the profile paper
 * the explanation cites, ranked by what they add — the product of the two
 * papers' TF-IDF weights (rare terms weigh most in both), scaled up by the
 * classifier's weight when it counts the term toward the profile. Terms the
 * classifier counts against the profile, and generic academic wording, are
 * never named. Without a cited paper, the classifier's own contributions.
 */
export function topTerms(input: ExplainInput, nearestFeatures?: PaperFeatures): string[] {
  const { model, features } = input;
  const row = model.row(features);
  const contributions: { index: number; value: number }[] = [];
  if (nearestFeatures) {
    const near = new Map<number, number>();
    nearestFeatures.indices.forEach((ix, k) => near.set(ix, nearestFeatures.values[k]));
    for (let k = 0; k < features.indices.length; k++) {
      const p = near.get(features.indices[k]);
      if (!p) continue;
      const w = model.coldStart ? 0 : model.sparseWeight(features.indices[k]);
      if (w < 0) continue;
      contributions.push({ index: features.indices[k], value: p * features.values[k] * (1 + w) });
    }
  } else if (!model.coldStart) {
    for (let k = 0; k < row.indices.length; k++) {
      const v = model.sparseWeight(row.indices[k]) * row.values[k];
      if (v > 0) contributions.push({ index: row.indices[k], value: v });
    }
  }
  contributions.sort((a, b) => b.value - a.value);
  const forms = input.text ? surfaceForms(input.text) : undefined;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of contributions) {
    const raw = input.term(c.index);
    // Author features (`@name`) are not topics; shared authors show in the similar-paper reason's neighbour instead.
    if (raw === undefined || raw.startsWith('@') || isGenericTerm(raw)) continue;
    const t = forms?.get(raw) ?? raw;
    if (!t || seen.has(t)) continue;
    // A unigram already covered by a chosen bigram adds nothing for a reader.
    if (!t.includes(' ') && out.some((o) => o.split(' ').includes(t))) continue;
    seen.add(t);
    out.push(t);
    if (out.length >= 2 * (input.maxTerms ?? 5)) break;
  }
  // Drop a unigram that a chosen bigram already says.
  return out.filter((t) => t.includes(' ') || !out.some((o) => o !== t && o.split(' ').includes(t))).slice(0, input.maxTerms ?? 5);
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
