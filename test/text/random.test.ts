import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/text/random.ts';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, so training and sampling are reproducible', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    const c = mulberry32(43);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
  });

  it('keeps the published mulberry32 sequence (model training, profile sampling and bench corpora depend on it)', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('draws values in [0, 1) spread over the interval', () => {
    const r = mulberry32(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(800);
  });
});
