/**
 * Hybrid search wiring: the retrieval service as `searchPapers`' dense
 * retriever, and convex score fusion (src/rank/hybrid.ts) as its fusion.
 */
import type { Store } from '../store/types.ts';
import type { Retrieval } from '../vectors/retrieval.ts';
import { DEFAULT_HYBRID, fuseKeywordDense, type HybridParams } from './hybrid.ts';
import type { DenseRetriever, Fuse, SearchDeps } from './search.ts';

export function denseRetrieverFor(r: Retrieval): DenseRetriever {
  return {
    name: r.dense?.state.embedder ?? 'dense',
    retrieve: (text, limit) => r.denseSearch(text, limit),
  };
}

/** Lists come keyword first, dense second (as searchPapers passes them). */
export function hybridFuse(params: HybridParams = DEFAULT_HYBRID): Fuse {
  return (lists, limit) => {
    const keyword = lists.find((l) => l.name === 'bm25')?.hits ?? [];
    const dense = lists.find((l) => l.name !== 'bm25')?.hits ?? [];
    return fuseKeywordDense(keyword, dense, { ...params, depth: Math.max(params.depth, limit) }).slice(0, limit);
  };
}

/** What `searchPapers` runs with when a retrieval service is open: hybrid by default once a dense model exists. */
export function hybridSearchDeps(store: Store, r: Retrieval, params?: HybridParams): SearchDeps {
  return r.dense?.embedder ? { store, dense: denseRetrieverFor(r), fuse: hybridFuse(params) } : { store };
}
