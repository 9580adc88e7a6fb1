/**
 * The keyword and text-search retrieval `radar eval beir` measures: the ones
 * `radar search` uses (src/rank/search.ts). Kept apart from beir.ts so the
 * harness itself can run with any retriever (tests pass their own).
 */
import type { KeywordRetriever, SearchRetriever } from './beir.ts';

/** BM25 over the full-text index; undefined until keyword search is available. */
export const defaultKeywordRetriever: KeywordRetriever | undefined = undefined;
/** `radar search` default mode; undefined: the harness fuses keyword and dense itself. */
export const defaultSearchRetriever: SearchRetriever | undefined = undefined;
