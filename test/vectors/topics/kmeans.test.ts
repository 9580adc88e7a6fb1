import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/text/random.ts';
import { nearest, sphericalKMeans, topicCount, type Matrix } from '../../../src/vectors/topics/kmeans.ts';

/** `per` unit vectors around each of `centres` axis directions in `d` dimensions, with noise. */
function blobs(centres: number, per: number, d: number, noise: number, seed = 3): { x: Matrix; truth: number[] } {
  const r = mulberry32(seed);
  const data = new Float32Array(centres * per * d);
  const truth: number[] = [];
  for (let c = 0; c < centres; c++) {
    for (let i = 0; i < per; i++) {
      const at = (c * per + i) * d;
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const v = (j === c ? 1 : 0) + (r() - 0.5) * noise;
        data[at + j] = v;
        norm += v * v;
      }
      for (let j = 0; j < d; j++) data[at + j] /= Math.sqrt(norm);
      truth.push(c);
    }
  }
  return { x: { data, n: centres * per, d }, truth };
}

describe('spherical k-means', () => {
  it('recovers well-separated clusters: each true cluster is one topic, and the topics differ', () => {
    const { x, truth } = blobs(4, 50, 8, 0.6);
    const r = sphericalKMeans(x, { k: 4, seed: 1 });
    const labelOf = new Map<number, number>();
    for (let i = 0; i < x.n; i++) {
      const seen = labelOf.get(truth[i]);
      if (seen === undefined) labelOf.set(truth[i], r.assign[i]);
      else expect(r.assign[i]).toBe(seen);
    }
    expect(new Set(labelOf.values()).size).toBe(4);
  });

  it('gives unit centroids that point at their clusters, and assigns new points with them', () => {
    const { x } = blobs(3, 40, 6, 0.4);
    const r = sphericalKMeans(x, { k: 3, seed: 2 });
    for (let t = 0; t < 3; t++) {
      let norm = 0;
      for (let j = 0; j < 6; j++) norm += r.centroids.data[t * 6 + j] ** 2;
      expect(norm).toBeCloseTo(1, 5);
    }
    const probe = new Float32Array([0, 1, 0, 0, 0, 0]);
    expect(nearest(r.centroids, probe).topic).toBe(r.assign[40]);
  });

  it('is deterministic for a seed and keeps k topics non-empty when k exceeds the natural clusters', () => {
    const { x } = blobs(2, 30, 5, 0.3);
    const a = sphericalKMeans(x, { k: 5, seed: 9 });
    const b = sphericalKMeans(x, { k: 5, seed: 9 });
    expect(Array.from(a.assign)).toEqual(Array.from(b.assign));
    const sizes = new Array(5).fill(0);
    for (const t of a.assign) sizes[t]++;
    expect(sizes.every((s) => s > 0)).toBe(true);
  });

  it('caps k at the number of points and refuses an empty input', () => {
    const { x } = blobs(1, 3, 4, 0.1);
    expect(sphericalKMeans(x, { k: 10 }).centroids.n).toBe(3);
    expect(() => sphericalKMeans({ data: new Float32Array(0), n: 0, d: 4 }, { k: 2 })).toThrow(/no vectors/);
  });

  it('picks about √(n/10) topics, at least 2, at most 150', () => {
    expect(topicCount(10)).toBe(2);
    expect(topicCount(74_728)).toBe(86);
    expect(topicCount(1_000_000)).toBe(150);
  });
});
