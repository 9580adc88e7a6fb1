/**
 * The keyword and text-search retrieval `radar eval beir` measures: the ones
 * `radar search` uses (src/rank/search.ts). Kept apart from beir.ts so the
 * harness itself can run with any retriever (tests pass their own).
 */
import { emptyFilters, type ParsedQuery } from '../query/ast.ts';
import { isQueryStopWord } from '../query/fold.ts';
import { keywordRetrieve, searchPapers } from '../rank/search.ts';
import { searchDepsFor } from '../rank/search-deps.ts';
import type { Store } from '../store/types.ts';
import { stem, words } from '../text/tokenize.ts';
import type { Hit } from '../vectors/types.ts';
import type { KeywordRetriever, SearchRetriever } from './beir.ts';

/**
 * A query paper's content words grouped by stem (what the full-text index
 * matches), with how often each stem occurs: the query-term frequencies of
 * BM25 query by example. The first surface form stands for its stem.
 */
export function queryTermFrequencies(text: string, maxTerms = 128): { word: string; qtf: number }[] {
  const byStem = new Map<string, { word: string; qtf: number }>();
  for (const w of words(text)) {
    if (isQueryStopWord(w)) continue;
    const s = stem(w);
    const t = byStem.get(s);
    if (t) t.qtf++;
    else byStem.set(s, { word: w, qtf: 1 });
  }
  return [...byStem.values()].sort((a, b) => b.qtf - a.qtf).slice(0, maxTerms);
}

/** Papers a term's BM25 contribution is read for (a term's weakest matches add least). */
const PER_TERM_DEPTH = 2000;

/**
 * BM25 query by example: Σ over the query paper's terms of qtf(t) · BM25(t, d).
 * BM25 is a sum over query terms, so each term's contribution is its own
 * one-term search; a term the query paper repeats (its method, its data set)
 * counts as often as the paper uses it, where a bag of distinct words would
 * weigh "method" in passing the same as the paper's subject.
 */
async function bm25ByExample(store: Store, text: string, k: number): Promise<Hit[]> {
  const acc = new Map<number, number>();
  for (const { word, qtf } of queryTermFrequencies(text)) {
    const query: ParsedQuery = { clauses: [{ kind: 'term', word, prefix: false }], exclude: [], filters: emptyFilters(), ignored: [] };
    const page = await keywordRetrieve(store.search, query, { limit: PER_TERM_DEPTH, match: 'any' });
    for (const h of page.hits) acc.set(h.pk, (acc.get(h.pk) ?? 0) + qtf * h.score);
  }
  return [...acc].map(([pk, score]) => ({ pk, score })).sort((a, b) => b.score - a.score || a.pk - b.pk).slice(0, k);
}

/**
 * BM25 over the full-text index; a query by example (a whole paper) is
 * weighted by its term frequencies (bm25ByExample).
 */
export const defaultKeywordRetriever: KeywordRetriever = async (store, text, k, { qbe }) => {
  if (qbe) return bm25ByExample(store, text, k);
  const page = await keywordRetrieve(store.search, text, { limit: k });
  return page.hits.map((h) => ({ pk: h.pk, score: h.score }));
};

/** Search as the API and pages run it by default (`auto`: hybrid once the indexes exist), with the retrieval service as the dense side. */
export const defaultSearchRetriever: SearchRetriever = async (store, r, text, k) => {
  const res = await searchPapers(await searchDepsFor(store, r), text, { limit: Math.min(k, 200), suggest: false });
  // Search hits carry public ids; the harness scores by pk.
  const byId = new Map<string, number>();
  for (const h of res.hits) {
    const p = await store.papers.getPaper(h.id);
    if (p) byId.set(h.id, p.pk);
  }
  return res.hits.flatMap((h) => (byId.has(h.id) ? [{ pk: byId.get(h.id)!, score: h.score }] : []));
};
