/**
 * Per-profile rules on top of the model — the features people ask for most in
 * the trackers of zotero-arxiv-daily and alphaXiv: keywords a paper must or must
 * never mention, followed authors and organisations (boosted and named as a
 * reason), and a relevance cut-off. Pure.
 */
import { foldText } from '../paper/normalise.ts';
import type { Paper } from '../paper/types.ts';
import type { Reason } from '../rank/explain.ts';
import type { ProfileRules } from '../store/types.ts';

/** Score added (in background standard deviations) for a followed author or organisation. */
export const FOLLOW_BOOST = 3;

export interface RuleOutcome {
  /** Why the paper is left out, when it is. */
  excluded?: string;
  boost: number;
  reasons: Reason[];
}

/** Cleans user-given rules: trims, drops empties and duplicates; rejects a non-finite cut-off. */
export function normaliseRules(rules: ProfileRules): ProfileRules {
  const list = (xs: string[] | undefined) => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const x of xs ?? []) {
      const t = x.trim().replace(/\s+/g, ' ');
      if (t && !seen.has(foldText(t))) {
        seen.add(foldText(t));
        out.push(t);
      }
    }
    return out;
  };
  const out: ProfileRules = {};
  for (const key of ['must', 'never', 'authors', 'organizations'] as const) {
    const l = list(rules[key]);
    if (l.length) out[key] = l;
  }
  if (rules.cutoff !== undefined) {
    if (typeof rules.cutoff !== 'number' || !Number.isFinite(rules.cutoff)) throw new Error(`rules.cutoff: expected a number, got ${String(rules.cutoff)}`);
    out.cutoff = rules.cutoff;
  }
  return out;
}

/** Whole-word (phrase) match on folded text, so `RL` does not match `world`. */
export function mentions(foldedText: string, phrase: string): boolean {
  const p = foldText(phrase);
  if (!p) return false;
  return ` ${foldedText} `.includes(` ${p} `);
}

export function applyRules(paper: Pick<Paper, 'title' | 'abstract' | 'authors' | 'signals'>, rules: ProfileRules): RuleOutcome {
  const text = foldText(`${paper.title} ${paper.abstract}`);
  const reasons: Reason[] = [];
  for (const kw of rules.never ?? []) {
    if (mentions(text, kw)) return { excluded: `mentions "${kw}" (never rule)`, boost: 0, reasons };
  }
  if (rules.must?.length) {
    const hit = rules.must.find((kw) => mentions(text, kw));
    if (!hit) return { excluded: `mentions none of: ${rules.must.join(', ')} (must rule)`, boost: 0, reasons };
    reasons.push({ kind: 'keyword', keyword: hit, text: `mentions "${hit}"` });
  }
  let boost = 0;
  const authorKeys = new Map(paper.authors.map((a) => [foldText(a), a]));
  for (const followed of rules.authors ?? []) {
    const name = authorKeys.get(foldText(followed));
    if (name) {
      boost += FOLLOW_BOOST;
      reasons.push({ kind: 'author', name, text: `by ${name}, whom you follow` });
    }
  }
  const org = paper.signals.organization ? foldText(paper.signals.organization) : '';
  for (const followed of rules.organizations ?? []) {
    if (org && mentions(org, followed)) {
      boost += FOLLOW_BOOST;
      reasons.push({ kind: 'organization', name: paper.signals.organization!, text: `from ${paper.signals.organization}, which you follow` });
    }
  }
  return { boost, reasons };
}
