/** Keyword search: the request, the page of hits, and the contract both backends implement. */
import type { ParsedQuery, SearchSort } from '../../query/ast.ts';

/**
 * How the text clauses combine. `auto` (what `radar search` uses): papers
 * matching every clause; when fewer than `relaxBelow` do, papers matching some
 * of them follow, the ones matching more clauses first. `all`: only papers
 * matching every clause. `any`: papers matching at least one, ranked by BM25
 * alone (classic IR retrieval, what an evaluation harness runs).
 */
export type KeywordMatch = 'auto' | 'all' | 'any';

/** BM25F field weights (a hit in the title counts `title` times a hit in the abstract). */
export interface FieldWeights {
  title: number;
  abstract: number;
  authors: number;
}

export interface KeywordSearchRequest {
  /** The parsed query (src/query): text clauses, exclusions, filters. Never raw backend syntax. */
  query: ParsedQuery;
  sort: SearchSort;
  limit: number;
  offset: number;
  match?: KeywordMatch;
  /** `auto` relaxes when fewer papers than this match every clause (default 10). */
  relaxBelow?: number;
  weights?: Partial<FieldWeights>;
  /**
   * Work budget: the most papers one query ranks (default 10,000). A query
   * matching more (at a million papers: "deep learning") ranks the newest
   * `budget` matches together with the best title matches, and reports the
   * total as an estimate.
   */
  budget?: number;
}

export interface KeywordHit {
  pk: number;
  /** Relevance (BM25F; higher is better). Comparable within one result list. */
  score: number;
  /** How many of the query's text clauses the paper matches (== `clauses` unless the search was relaxed). */
  matched: number;
}

export interface KeywordPage {
  hits: KeywordHit[];
  /** Papers matching (an estimate when `totalExact` is false). */
  total: number;
  totalExact: boolean;
  /** Text clauses in the query. */
  clauses: number;
  /** Papers matching only some clauses were added (see KeywordMatch `auto`). */
  relaxed: boolean;
  /** More papers matched than the work budget: ranking considered a bounded set. */
  bounded: boolean;
}

/**
 * Keyword search over title, abstract and authors: stemming, phrases,
 * prefixes, exclusions, author/category/date filters, BM25F ranking, sorts.
 * SQLite implements it on FTS5 (sqlite/search.ts), PostgreSQL on tsvector.
 */
export interface SearchStore {
  searchKeyword(req: KeywordSearchRequest): Promise<KeywordPage>;
  /**
   * Of `pks`, the papers that pass the query's filters and exclusions (authors,
   * categories, dates, excluded words), in the given order. Text clauses are
   * ignored: this is how candidates from another retriever (dense vectors)
   * get the same filters as keyword results.
   */
  filterPapers(query: ParsedQuery, pks: number[]): Promise<number[]>;
}
