/**
 * Representations of a paper's text, behind small interfaces so rankers do not
 * care whether a vector came from the built-in corpus model, a local ONNX model
 * or an embedding server.
 */

/** The text of a paper a model reads. */
export interface TextDoc {
  title: string;
  abstract: string;
  authors?: string[];
}

/** Sparse vector: sorted feature indices with their weights (L2-normalised unless stated). */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Produces dense, L2-normalised vectors for texts. */
export interface Embedder {
  /** Stable name stored with the vectors, e.g. `lsa-128`, `onnx:all-MiniLM-L6-v2`, `openai:nomic-embed-text`. */
  readonly name: string;
  /** Vector width; 0 until known (an embedding server tells it with its first answer). */
  readonly dims: number;
  /**
   * How to build this embedder again (src/vectors/select.ts syntax), when it
   * came from a spec: recorded with the vectors, so a process started without
   * the setting still embeds new papers and queries with the same model.
   */
  readonly spec?: string;
  embed(docs: TextDoc[]): Promise<Float32Array[]>;
  /**
   * A search query's vector. Models trained with separate query and passage
   * forms (an instruction or `query:` prefix) override this; by default a query
   * is embedded as a document whose title is the query.
   */
  embedQuery?(text: string): Promise<Float32Array>;
}

/** What a vector index returns: a paper handle and its inner product with the query (cosine for unit vectors). */
export interface Hit {
  pk: number;
  score: number;
}
