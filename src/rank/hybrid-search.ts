/**
 * What hybrid search fuses with BM25, and how (src/rank/search.ts takes a
 * "dense retriever" and a fusion function; this module supplies both).
 *
 * The second list is *semantic* retrieval from the retrieval service: the
 * query's TF-IDF vector expanded by pseudo-relevance feedback plus the dense
 * model's cosine (`similarToText`, the same scoring as similar papers). On the
 * seed judgments' text queries (nDCG@10): BM25 0.843, BM25 ⊕ semantic 0.896 —
 * and it works before any dense model exists (a small library), where BM25 ⊕
 * dense cannot. Lists are fused by a convex combination of min–max normalised
 * scores, half each; docs/retrieval.md has the figures.
 *
 * Feedback stays on here though similar papers dropped it: a search-box query
 * is a few words, where the neighbours' vocabulary is most of what the
 * semantic list adds (similar papers start from a whole abstract).
 */
import type { Store } from '../store/types.ts';
import type { Retrieval } from '../vectors/retrieval.ts';
import type { Hit } from '../vectors/types.ts';
import { convexFusion } from './hybrid.ts';
import type { DenseRetriever, Fuse, SearchDeps } from './search.ts';
import { similarToText, type SimilarOptions } from './similar.ts';

/** Pseudo-relevance feedback of the semantic list: the top 5 papers of a first pass, mixed in at half weight. */
export const SEARCH_FEEDBACK = { docs: 5, weight: 0.5 };

export function semanticRetrieverFor(r: Retrieval, opts: SimilarOptions = {}): DenseRetriever {
  return {
    name: r.dense ? `semantic (tf-idf + feedback + ${r.dense.state.embedder})` : 'semantic (tf-idf + feedback)',
    retrieve: (text, limit) => similarToText(r, { title: text, abstract: '' }, { feedback: SEARCH_FEEDBACK, ...opts, limit }),
  };
}

/** Share of the semantic list in the fused score. */
export const SEARCH_SEMANTIC_SHARE = 0.5;

/** Lists arrive keyword first (`bm25`), then the second retriever's. */
export function searchFuse(share = SEARCH_SEMANTIC_SHARE): Fuse {
  return (lists, limit) => {
    const keyword: Hit[] = lists.find((l) => l.name === 'bm25')?.hits ?? [];
    const other: Hit[] = lists.find((l) => l.name !== 'bm25')?.hits ?? [];
    return convexFusion([
      { hits: keyword, weight: 1 - share },
      { hits: other, weight: share },
    ]).slice(0, limit);
  };
}

/** What `searchPapers` runs with when a retrieval service is open: hybrid (BM25 ⊕ semantic) once the sparse index exists. */
export function hybridSearchDeps(store: Store, r: Retrieval): SearchDeps {
  return r.sparse ? { store, dense: semanticRetrieverFor(r), fuse: searchFuse() } : { store };
}
