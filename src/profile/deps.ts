/**
 * Builds what the feed needs from a store: the store itself and the paper
 * features of the representations layer.
 */
import type { Store } from '../store/types.ts';
import type { ProfileDeps } from './model.ts';
import { fitStandinTfidf, standinFeatureSource } from './standin-features.ts';
import type { FitFeaturizer } from '../eval/expertise.ts';

export async function openProfileDeps(store: Store, _progress?: (line: string) => void): Promise<ProfileDeps> {
  return { store, features: await standinFeatureSource(store) };
}

/**
 * The product's features fitted on a corpus of texts (for the evaluations):
 * the same representations the feed reads, fitted on the evaluation corpus.
 */
export const fitProductFeaturizer: FitFeaturizer = async (corpus) => {
  const t = fitStandinTfidf(corpus);
  return { dims: t.dims, name: 'tfidf 1-2-gram (stand-in)', featurize: async (docs) => docs.map((d) => t.vectorize(d)) };
};
