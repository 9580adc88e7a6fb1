import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/text/random.ts';
import { orthonormalize, symmetricEigen, type Csr } from '../../src/vectors/linalg.ts';
import { randomizedSvd } from '../../src/vectors/rsvd.ts';

function randomCsr(rows: number, cols: number, density: number, seed: number): { a: Csr; dense: number[][] } {
  const rand = mulberry32(seed);
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const dense: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Array<number>(cols).fill(0);
    for (let c = 0; c < cols; c++) {
      if (rand() < density) {
        row[c] = Math.fround(rand());
        indices.push(c);
        values.push(row[c]);
      }
    }
    indptr.push(indices.length);
    dense.push(row);
  }
  return { a: { rows, cols, indptr: Float64Array.from(indptr), indices: Uint32Array.from(indices), values: Float32Array.from(values) }, dense };
}

describe('symmetric eigen-decomposition', () => {
  it('reconstructs the matrix from descending eigenpairs', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(m, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += vectors[i * 3 + k] * values[k] * vectors[j * 3 + k];
        expect(s).toBeCloseTo(m[i * 3 + j], 10);
      }
  });

  it('orthonormalises columns and drops dependent ones', () => {
    // Third column = first + second.
    const y = Float64Array.from([1, 0, 1, 0, 1, 1, 1, 1, 2, 2, 0, 2]);
    const { q, width } = orthonormalize(y, 4, 3);
    expect(width).toBe(2);
    for (let a = 0; a < width; a++)
      for (let b = 0; b < width; b++) {
        let s = 0;
        for (let r = 0; r < 4; r++) s += q[r * width + a] * q[r * width + b];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 10);
      }
  });
});

describe('randomized SVD', () => {
  it('matches the exact singular values and subspace of a small sparse matrix (brute force AᵀA)', () => {
    const { a, dense } = randomCsr(40, 25, 0.3, 7);
    const ata = new Float64Array(25 * 25);
    for (const row of dense) for (let i = 0; i < 25; i++) for (let j = 0; j < 25; j++) ata[i * 25 + j] += row[i] * row[j];
    const exact = symmetricEigen(ata, 25);
    const k = 5;
    const svd = randomizedSvd(a, k, { powerIters: 4, seed: 3 });
    expect(svd.k).toBe(k);
    for (let c = 0; c < k; c++) {
      expect(svd.sigma[c]).toBeCloseTo(Math.sqrt(exact.values[c]), 6);
      // Same direction up to sign: |⟨v_rsvd, v_exact⟩| = 1.
      let d = 0;
      for (let j = 0; j < 25; j++) d += svd.v[j * k + c] * exact.vectors[j * 25 + c];
      expect(Math.abs(d)).toBeCloseTo(1, 5);
    }
  });

  it('returns at most the rank when asked for more directions than the matrix has', () => {
    const { a } = randomCsr(4, 30, 0.5, 11);
    const svd = randomizedSvd(a, 10);
    expect(svd.k).toBeLessThanOrEqual(4);
    for (const s of svd.sigma) expect(s).toBeGreaterThan(0);
  });
});
