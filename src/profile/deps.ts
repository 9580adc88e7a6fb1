/**
 * What the feed reads from the representations layer (src/vectors): for a
 * store, the per-process retrieval service (sparse TF-IDF + dense features of
 * stored papers, readable terms).
 */
import { openCurrentRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';
import type { Store } from '../store/types.ts';
import type { FeatureSource, ProfileDeps } from './model.ts';
import { TrainedCache } from './model-cache.ts';

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
    async features(pks, opts) {
      await retrieval.catchUp();
      return retrieval.features(pks, opts);
    },
    async scan(pks, opts, visit) {
      await retrieval.catchUp();
      return retrieval.scanFeatures(pks, opts, visit);
    },
    async scanSelected(pks, table, opts, visit) {
      await retrieval.catchUp();
      return retrieval.scanSelected(pks, table, opts, visit);
    },
    generation: () => `${retrieval.sparse?.mark ?? '-'}/${retrieval.dense?.state.generation ?? '-'}:${retrieval.dense?.seq ?? '-'}`,
    term: (id) => retrieval.term(id),
  };
  return { store, features, models: modelsOf(retrieval) };
}

/** One model cache per retrieval service: the server makes deps per request over the one it keeps. */
const caches = new WeakMap<Retrieval, TrainedCache>();
function modelsOf(retrieval: Retrieval): TrainedCache {
  let c = caches.get(retrieval);
  if (!c) caches.set(retrieval, (c = new TrainedCache()));
  return c;
}
