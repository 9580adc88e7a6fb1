/**
 * The product's representations fitted in memory on a corpus of texts, for
 * evaluations that have no database (e.g. `radar eval expertise`): the same
 * analyzer, hashed TF-IDF weighting and built-in LSA model that index
 * maintenance keeps in the store, so an evaluation measures what the feed reads.
 */
import { fitLsa, DEFAULT_LSA, type LsaConfig } from './lsa.ts';
import { DEFAULT_SPARSE, SparseIndex, type SparseConfig } from './sparse-index.ts';
import type { TermCounts } from './term-counts.ts';
import type { SparseVector, TextDoc } from './types.ts';

export interface Featurized extends SparseVector {
  dense?: Float32Array;
}

export interface FittedFeaturizer {
  dims: { sparse: number; dense: number };
  name: string;
  featurize(docs: TextDoc[]): Promise<Featurized[]>;
  term(id: number): string | undefined;
}

export interface FeaturizerOptions {
  sparse?: SparseConfig;
  lsa?: Partial<LsaConfig>;
  /** Skip the dense model (sparse features only). */
  sparseOnly?: boolean;
  /** No dense model below this many documents (default 1000, as in the store). */
  minDocsForDense?: number;
}

export async function fitFeaturizer(corpus: TextDoc[], progress: (line: string) => void = () => {}, opts: FeaturizerOptions = {}): Promise<FittedFeaturizer> {
  const sparse = new SparseIndex(opts.sparse ?? DEFAULT_SPARSE);
  const counts: TermCounts[] = [];
  for (const d of corpus) {
    const c = sparse.count(d);
    sparse.table.add(c);
    counts.push(c);
  }
  const cfg = { ...DEFAULT_LSA, ...opts.lsa };
  const dense = !opts.sparseOnly && corpus.length >= (opts.minDocsForDense ?? 1000) ? await fitLsa(() => counts, sparse.space.size, cfg, progress) : undefined;
  return {
    dims: { sparse: sparse.space.size, dense: dense?.dims ?? 0 },
    name: `tfidf(1-2g, title×${sparse.cfg.analyzer.titleRepeat})${dense ? `+lsa-${dense.dims}` : ''}`,
    async featurize(docs) {
      return docs.map((d) => {
        const c = sparse.countQuery(d);
        const v: Featurized = sparse.weigh(c);
        if (dense) v.dense = dense.project(c);
        return v;
      });
    },
    term: (id) => sparse.term(id),
  };
}
