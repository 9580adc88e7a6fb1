/**
 * The zotero-arxiv-daily recipe (TideDit/zotero-arxiv-daily, `recommender.py`),
 * reproduced faithfully: a candidate's score is the cosine similarity to each
 * library paper, weighted by the library paper's recency rank i (0 = newest) as
 * w_i = 1 / (1 + log10(i + 1)), the weights normalised to sum to 1. The
 * original embeds with a sentence-transformer (GIST-small-Embedding-v0); here
 * the embeddings are whatever dense embedder the caller passes — by default
 * Paper Radar's built-in offline model. Pure.
 */

export interface LibraryPaper {
  embedding: Float32Array;
  /** Sort key for recency: larger is newer (e.g. date added or published, as epoch ms or year). */
  time: number;
}

export function recencyRankWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    w[i] = 1 / (1 + Math.log10(i + 1));
    sum += w[i];
  }
  for (let i = 0; i < n; i++) w[i] /= sum;
  return w;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? s / Math.sqrt(na * nb) : 0;
}

/** Scores candidates against a library: Σ_i w_i · cos(candidate, library_i). */
export function zoteroArxivDailyScores(library: LibraryPaper[], candidates: Float32Array[]): number[] {
  // Newest first; a stable sort keeps file order among equal times, as the original's sort by dateAdded does.
  const ordered = library.map((p, i) => ({ p, i })).sort((a, b) => b.p.time - a.p.time || a.i - b.i);
  const w = recencyRankWeights(ordered.length);
  return candidates.map((c) => ordered.reduce((s, { p }, i) => s + w[i] * cosine(c, p.embedding), 0));
}
