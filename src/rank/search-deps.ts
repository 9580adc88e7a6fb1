/**
 * What `searchPapers` runs with for a store. Keyword search needs only the
 * store; hybrid search (BM25 ⊕ semantic retrieval, src/rank/hybrid-search.ts)
 * adds the retrieval service's semantic retriever and a fusion function
 * (src/rank/search.ts `SearchDeps`).
 *
 * A long-lived process (the server) opens its retrieval service once and
 * passes it. Without one (a CLI command, a benchmark) the vector modules and
 * the indexes are loaded only when the search can use them: not for mode
 * `bm25`, not on a store without indexes. Nothing is kept between calls: the
 * caller that wants the service reused holds it.
 */
import type { Store } from '../store/types.ts';
import type { Retrieval } from '../vectors/retrieval.ts';
import type { EmbedderSetting } from '../vectors/select.ts';
import { hasSparseIndex } from '../vectors/sparse-presence.ts';
import type { SearchDeps, SearchMode } from './search.ts';
import { vocabularyLoader, type VocabularyLoader } from './suggestion.ts';

export interface SearchDepsOptions {
  /** The search's mode: `bm25` never needs the indexes. */
  mode?: SearchMode;
  /** The process's embedder setting, for a retrieval service opened here (queries are embedded by the stored vectors' model). */
  setting?: EmbedderSetting;
  /** A long-lived vocabulary for "did you mean" (default: one read on first use by this search). */
  vocabulary?: VocabularyLoader;
}

export async function searchDepsFor(store: Store, retrieval?: Retrieval, opts: SearchDepsOptions = {}): Promise<SearchDeps> {
  const vocabulary = opts.vocabulary ?? vocabularyLoader(store);
  if (opts.mode === 'bm25') return { store, vocabulary };
  if (!retrieval && !(await hasSparseIndex(store.models))) return { store, vocabulary };
  const [{ hybridSearchDeps }, r] = await Promise.all([
    import('./hybrid-search.ts'),
    retrieval ?? import('../vectors/retrieval.ts').then(({ openRetrieval }) => openRetrieval(store, { setting: opts.setting })),
  ]);
  return { ...hybridSearchDeps(store, r), vocabulary };
}
