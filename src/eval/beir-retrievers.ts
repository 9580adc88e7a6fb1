/**
 * The keyword and text-search retrieval `radar eval beir` measures: the ones
 * `radar search` uses (src/rank/search.ts). Kept apart from beir.ts so the
 * harness itself can run with any retriever (tests pass their own).
 */
import { bagOfWords, keywordRetrieve, searchPapers } from '../rank/search.ts';
import { searchDepsFor } from '../rank/search-deps.ts';
import type { KeywordRetriever, SearchRetriever } from './beir.ts';

/**
 * BM25 over the full-text index. A query by example is a whole paper: its
 * distinct content words, any of which may match (as BM25 baselines on
 * query-by-example benchmarks do).
 */
export const defaultKeywordRetriever: KeywordRetriever = async (store, text, k, { qbe }) => {
  const page = await keywordRetrieve(store, qbe ? bagOfWords(text) : text, { limit: k, match: qbe ? 'any' : undefined });
  return page.hits.map((h) => ({ pk: h.pk, score: h.score }));
};

/** `radar search` in its default mode, with the retrieval service as the dense side. */
export const defaultSearchRetriever: SearchRetriever = async (store, r, text, k) => {
  const res = await searchPapers(await searchDepsFor(store, r), text, { limit: Math.min(k, 200), suggest: false });
  // Search hits carry public ids; the harness scores by pk.
  const byId = new Map<string, number>();
  for (const h of res.hits) {
    const p = await store.getPaper(h.id);
    if (p) byId.set(h.id, p.pk);
  }
  return res.hits.flatMap((h) => (byId.has(h.id) ? [{ pk: byId.get(h.id)!, score: h.score }] : []));
};
