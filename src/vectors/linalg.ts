/**
 * The little dense and sparse linear algebra the built-in model needs, on
 * row-major Float64Arrays: no dependency, and loops laid out so the inner one
 * walks contiguous memory.
 */

/** Compressed sparse rows: row r holds indices/values[indptr[r] … indptr[r+1]). */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Float64Array;
  indices: Uint32Array;
  values: Float32Array;
}

/** Y (rows × l) = A · X, with X cols × l. */
export function csrTimesDense(a: Csr, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const xo = a.indices[p] * l;
      for (let c = 0; c < l; c++) y[yo + c] += v * x[xo + c];
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y, with Y rows × l. */
export function csrTransposeTimesDense(a: Csr, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const zo = a.indices[p] * l;
      for (let c = 0; c < l; c++) z[zo + c] += v * y[yo + c];
    }
  }
  return z;
}

/** G (l × l, symmetric) = Yᵀ Y for Y n × l. */
export function gram(y: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let r = 0; r < n; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const ya = y[o + a];
      if (ya === 0) continue;
      const go = a * l;
      for (let b = a; b < l; b++) g[go + b] += ya * y[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) g[a * l + b] = g[b * l + a];
  return g;
}

/** Y (n × l) · M (l × k) → n × k. */
export function timesSmall(y: Float64Array, n: number, l: number, m: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const yo = r * l;
    const oo = r * k;
    for (let a = 0; a < l; a++) {
      const v = y[yo + a];
      if (v === 0) continue;
      const mo = a * k;
      for (let c = 0; c < k; c++) out[oo + c] += v * m[mo + c];
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi rotations:
 * returns eigenvalues in descending order and the matching eigenvectors as the
 * columns of a row-major l × l matrix. Accurate to machine precision; O(l³)
 * per sweep, fine for the few-hundred-wide matrices used here.
 */
export function symmetricEigen(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < l; p++) {
      diag += a[p * l + p] ** 2;
      for (let q = p + 1; q < l; q++) off += a[p * l + q] ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < l - 1; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p];
        const aqq = a[q * l + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // Rotate rows/columns p and q of a (kept symmetric), and columns of v.
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y] - a[x * l + x]);
  const values = Float64Array.from(order, (i) => a[i * l + i]);
  const vectors = new Float64Array(l * l);
  for (let r = 0; r < l; r++) for (let c = 0; c < l; c++) vectors[r * l + c] = v[r * l + order[c]];
  return { values, vectors };
}

/**
 * Orthonormalises the columns of Y (n × l) in place of a QR: Y ← Y W Λ^{-1/2}
 * from the eigen-decomposition of YᵀY ("SVQB"). Columns whose eigenvalue is
 * negligible (Y was rank-deficient) are dropped, so the result may be narrower.
 */
export function orthonormalize(y: Float64Array, n: number, l: number): { q: Float64Array; width: number } {
  const { values, vectors } = symmetricEigen(gram(y, n, l), l);
  const tol = Math.max(values[0], 0) * 1e-12;
  let width = 0;
  while (width < l && values[width] > tol && values[width] > 0) width++;
  const m = new Float64Array(l * width);
  for (let r = 0; r < l; r++) for (let c = 0; c < width; c++) m[r * width + c] = vectors[r * l + c] / Math.sqrt(values[c]);
  return { q: timesSmall(y, n, l, m, width), width };
}

/** A standard normal sample from a uniform source (Box–Muller). */
export function gaussian(rand: () => number): number {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

