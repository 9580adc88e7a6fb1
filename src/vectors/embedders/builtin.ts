/**
 * The built-in embedder: the corpus-fitted LSA model (src/vectors/lsa.ts) over
 * the sparse index's term counts. Stored papers are embedded straight from
 * their stored counts (no tokenising); texts (queries, documents outside the
 * store) are counted with the same analyzer first.
 */
import type { LsaModel } from '../lsa.ts';
import type { SparseIndex } from '../sparse-index.ts';
import type { TermCounts } from '../term-counts.ts';
import type { Embedder, TextDoc } from '../types.ts';

export class BuiltinEmbedder implements Embedder {
  readonly name: string;
  readonly dims: number;
  constructor(
    readonly model: LsaModel,
    private readonly sparse: Pick<SparseIndex, 'countQuery'>,
  ) {
    this.dims = model.dims;
    this.name = `lsa-${model.dims}`;
  }
  async embed(docs: TextDoc[]): Promise<Float32Array[]> {
    return docs.map((d) => this.model.project(this.sparse.countQuery(d)));
  }
  async embedQuery(text: string): Promise<Float32Array> {
    return this.model.project(this.sparse.countQuery({ title: text, abstract: '' }));
  }
  embedCounts(c: TermCounts): Float32Array {
    return this.model.project(c);
  }
}
