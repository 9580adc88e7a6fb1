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
  /** Stable name stored with the vectors, e.g. `lsa-256`, `onnx:all-MiniLM-L6-v2`, `openai:nomic-embed-text`. */
  readonly name: string;
  readonly dims: number;
  embed(docs: TextDoc[]): Promise<Float32Array[]>;
}
