/**
 * The one place that decides what `searchPapers` runs with for a store: the
 * CLI and the server call `searchDepsFor(store)`. Keyword search needs only the
 * store; a dense retriever and a fusion function for hybrid search are added
 * here (src/rank/search.ts `SearchDeps`), so callers do not change.
 */
import type { Store } from '../store/types.ts';
import type { SearchDeps } from './search.ts';

export async function searchDepsFor(store: Store): Promise<SearchDeps> {
  return { store };
}
