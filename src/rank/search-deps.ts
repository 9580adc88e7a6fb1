/**
 * The one place that decides what `searchPapers` runs with for a store: the
 * CLI and the server call `searchDepsFor(store)`. Keyword search needs only the
 * store; a dense retriever and a fusion function for hybrid search are added
 * here (src/rank/search.ts `SearchDeps`), so callers do not change.
 *
 * Hybrid search (BM25 ⊕ semantic retrieval, src/rank/hybrid-search.ts) needs
 * the retrieval service: pass the process's open one, or one is opened once
 * per store and kept (it follows index changes itself), with the process's
 * embedder setting so queries are embedded by the model of the stored vectors.
 */
import type { Store } from '../store/types.ts';
import { openRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { processEmbedder } from '../vectors/select.ts';
import { hybridSearchDeps } from './hybrid-search.ts';
import type { SearchDeps } from './search.ts';

const opened = new WeakMap<Store, Promise<Retrieval>>();

export async function searchDepsFor(store: Store, retrieval?: Retrieval): Promise<SearchDeps> {
  let r = retrieval;
  if (!r) {
    let p = opened.get(store);
    if (!p) {
      p = openRetrieval(store, { setting: processEmbedder() });
      opened.set(store, p);
      p.catch(() => opened.delete(store));
    }
    r = await p;
  }
  return hybridSearchDeps(store, r);
}
