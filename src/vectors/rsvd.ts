/**
 * Truncated SVD of a sparse matrix by randomized range finding (Halko,
 * Martinsson & Tropp 2011, algorithms 4.4 + 5.1): sample the range of A with a
 * Gaussian test matrix, sharpen it with a few power iterations (orthonormalised
 * each time so small singular directions are not lost to rounding), then take
 * the exact SVD of the small projected matrix.
 *
 * Only the right singular vectors (term space) and the singular values are
 * returned: a document is projected as x · V, so new documents need no refit.
 */
import { mulberry32 } from '../text/random.ts';
import { csrTimesDense, csrTransposeTimesDense, gaussian, gram, orthonormalize, symmetricEigen, timesSmall, type Csr } from './linalg.ts';

export interface RsvdOptions {
  /** Extra sampled directions beyond k (10–20 is plenty). */
  oversample?: number;
  /** Power iterations (2–4: term-document spectra decay slowly). */
  powerIters?: number;
  seed?: number;
  progress?: (step: string) => void;
}

export interface TruncatedSvd {
  k: number;
  /** Singular values, descending. */
  sigma: Float64Array;
  /** Right singular vectors: cols × k, row-major (row j = term j's coordinates). */
  v: Float64Array;
}

export function randomizedSvd(a: Csr, k: number, opts: RsvdOptions = {}): TruncatedSvd {
  const say = opts.progress ?? (() => {});
  const rand = mulberry32(opts.seed ?? 42);
  const l0 = Math.min(k + (opts.oversample ?? 12), a.rows, a.cols);
  const omega = new Float64Array(a.cols * l0);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rand);

  let width = l0;
  say(`svd: range sample (${a.rows}×${a.cols}, ${a.indices.length} nonzeros, width ${l0})`);
  let { q, width: w0 } = orthonormalize(csrTimesDense(a, omega, width), a.rows, width);
  width = w0;
  const iters = opts.powerIters ?? 3;
  for (let it = 0; it < iters; it++) {
    say(`svd: power iteration ${it + 1}/${iters}`);
    const z = orthonormalize(csrTransposeTimesDense(a, q, width), a.cols, width);
    const y = orthonormalize(csrTimesDense(a, z.q, z.width), a.rows, z.width);
    q = y.q;
    width = y.width;
  }
  say('svd: projected decomposition');
  // B = Qᵀ A (width × cols); work with Bᵀ = Aᵀ Q (cols × width) and the small Gram BBᵀ = (Bᵀ)ᵀ Bᵀ.
  const bt = csrTransposeTimesDense(a, q, width);
  const { values, vectors } = symmetricEigen(gram(bt, a.cols, width), width);
  const kk = Math.min(k, width);
  const sigma = new Float64Array(kk);
  // V = Bᵀ Ũ Σ⁻¹, keeping the first kk columns.
  const m = new Float64Array(width * kk);
  for (let c = 0; c < kk; c++) {
    sigma[c] = Math.sqrt(Math.max(values[c], 0));
    const inv = sigma[c] > 0 ? 1 / sigma[c] : 0;
    for (let r = 0; r < width; r++) m[r * kk + c] = vectors[r * width + c] * inv;
  }
  return { k: kk, sigma, v: timesSmall(bt, a.cols, width, m, kk) };
}
