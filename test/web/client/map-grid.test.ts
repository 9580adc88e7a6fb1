import { describe, expect, it } from 'vitest';
import { PointGrid } from '../../../src/web/client/map-grid.ts';

/** A deterministic scatter with dense clusters, points on the edges and outside the square. */
function points(n: number) {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cluster = i % 5;
    xs[i] = i % 97 === 0 ? (rnd() - 0.5) * 2.4 : -0.8 + cluster * 0.4 + (rnd() - 0.5) * 0.1;
    ys[i] = i % 89 === 0 ? 1 : (rnd() - 0.5) * 1.8;
  }
  return { xs, ys, rnd };
}

function brute(xs: Float32Array, ys: Float32Array, x: number, y: number, r: number): number {
  let best = -1;
  let bestD = r * r;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] - x) ** 2 + (ys[i] - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

describe('the hover grid', () => {
  it('finds the same nearest point as a scan of every point, for small and large radii, inside and outside the square', () => {
    const { xs, ys, rnd } = points(20_000);
    const grid = new PointGrid(xs, ys, 64);
    for (let k = 0; k < 400; k++) {
      const x = (rnd() - 0.5) * 2.2;
      const y = (rnd() - 0.5) * 2.2;
      const r = [0.001, 0.01, 0.05, 0.3][k % 4];
      expect(grid.nearest(x, y, r)).toBe(brute(xs, ys, x, y, r));
    }
  });

  it('answers -1 when nothing is within the radius, and works with no points', () => {
    const grid = new PointGrid(Float32Array.from([0.5]), Float32Array.from([0.5]));
    expect(grid.nearest(-0.5, -0.5, 0.1)).toBe(-1);
    expect(grid.nearest(0.52, 0.5, 0.1)).toBe(0);
    expect(new PointGrid(new Float32Array(0), new Float32Array(0)).nearest(0, 0, 1)).toBe(-1);
  });
});
