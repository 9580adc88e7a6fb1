/**
 * What the feed and the evaluations read from the representations layer
 * (src/vectors): for a store, the per-process retrieval service (sparse TF-IDF
 * + dense features of stored papers, readable terms); for a corpus of texts,
 * the same representations fitted in memory.
 */
import type { FitFeaturizer } from '../eval/expertise.ts';
import { fitFeaturizer } from '../vectors/featurizer.ts';
import { openRetrieval } from '../vectors/retrieval.ts';
import type { Store } from '../store/types.ts';
import type { FeatureSource, ProfileDeps } from './model.ts';

/**
 * Opens the retrieval service on a store. When its indexes cover fewer papers
 * than the store holds (papers written without the after-import hook), index
 * maintenance runs first — incremental, so only the missing papers cost.
 * Each `features` call first follows changes other processes made.
 */
export async function openProfileDeps(store: Store, progress?: (line: string) => void): Promise<ProfileDeps> {
  const retrieval = await openRetrieval(store, { progress });
  const { papers } = await store.stats();
  if (retrieval.papers < papers) await retrieval.refresh({ progress: progress ? (p) => progress(`indexes: ${p.message ?? `${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`}`) : undefined });
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

/**
 * The product's features fitted on a corpus of texts (for the evaluations):
 * the analyzer, hashed TF-IDF weighting and built-in dense model that index
 * maintenance keeps in the store.
 */
export const fitProductFeaturizer: FitFeaturizer = (corpus, progress) => fitFeaturizer(corpus, progress);
