/** The exact baseline of the vector benchmarks: every stored vector of a model in one flat matrix. */
import { ExactIndex } from '../../src/vectors/ann.ts';
import { decodeDense } from '../../src/vectors/quantize.ts';
import type { Store } from '../../src/store/types.ts';

export async function exactScanOf(store: Store, vectors: string, dims: number): Promise<ExactIndex> {
  const exact = new ExactIndex(dims, await store.vectors.countVectors(vectors));
  for await (const rows of store.vectors.scanVectors(vectors, 10_000)) for (const row of rows) exact.upsert(row.pk, decodeDense(row.vector));
  return exact;
}
