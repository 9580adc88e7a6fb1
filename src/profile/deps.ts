/**
 * What the feed reads from the representations layer (src/vectors): for a
 * store, the per-process retrieval service (sparse TF-IDF + dense features of
 * stored papers, readable terms).
 */
import { openCurrentRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';
import type { Store } from '../store/types.ts';
import type { FeatureSource, ProfileDeps } from './model.ts';

/**
 * Opens the retrieval service on a store with the process's embedder setting
 * (src/vectors/retrieval.ts openCurrentRetrieval: index maintenance first
 * when papers are not indexed yet — incremental, so only the missing ones cost).
 */
export async function openProfileDeps(store: Store, progress?: (line: string) => void, setting: EmbedderSetting = resolveEmbedder()): Promise<ProfileDeps> {
  // A CLI feed wants its papers indexed: wait for a refresh another process is running, then top up.
  return profileDepsFrom(store, await openCurrentRetrieval(store, { progress, setting, onBusy: 'wait' }));
}

/** What buildFeed needs, over an open retrieval service; each `features` call first follows changes other processes made. */
export function profileDepsFrom(store: Store, retrieval: Retrieval): ProfileDeps {
  const features: FeatureSource = {
    get dims() {
      return retrieval.dims;
    },
    async features(pks) {
      await retrieval.catchUp();
      return retrieval.features(pks);
    },
    term: (id) => retrieval.term(id),
  };
  return { store, features };
}
