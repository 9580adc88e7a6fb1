import { describe, expect, it } from 'vitest';
import { bootstrapCI, crossValidate, pairedTest, significant } from '../../src/eval/stats.ts';

describe('bootstrapCI', () => {
  it('brackets the mean, narrows with more units and is reproducible', () => {
    const small = [0.2, 0.9, 0.4, 0.7, 0.5, 0.3];
    const large = Array.from({ length: 10 }, () => small).flat();
    const a = bootstrapCI(small);
    const b = bootstrapCI(large);
    expect(a.value).toBeCloseTo(0.5, 10);
    expect(a.lo).toBeLessThan(0.5);
    expect(a.hi).toBeGreaterThan(0.5);
    expect(b.hi - b.lo).toBeLessThan((a.hi - a.lo) * 0.6);
    expect(bootstrapCI(small)).toEqual(a);
  });

  it('pools a ratio when units carry weights (losses over maximum losses)', () => {
    const ci = bootstrapCI([1, 3], { weights: [10, 10] });
    expect(ci.value).toBeCloseTo(0.2, 10);
    expect(ci.lo).toBeGreaterThanOrEqual(0.1 - 1e-9);
    expect(ci.hi).toBeLessThanOrEqual(0.3 + 1e-9);
  });
});

describe('pairedTest', () => {
  it('finds a consistent small gain significant and a noisy one not', () => {
    const base = Array.from({ length: 30 }, (_, i) => (i * 37) % 10 / 10);
    const better = base.map((x) => x + 0.02);
    const consistent = pairedTest(better, base);
    expect(consistent.diff).toBeCloseTo(0.02, 10);
    expect(significant(consistent)).toBe(true);
    expect(consistent.p).toBeLessThan(0.01);
    expect(consistent.ahead).toBe(30);
    const noisy = base.map((x, i) => x + (i % 2 ? 0.3 : -0.28));
    const n = pairedTest(noisy, base);
    expect(significant(n)).toBe(false);
    expect(n.p).toBeGreaterThan(0.2);
  });

  it('refuses unpaired inputs', () => {
    expect(() => pairedTest([1, 2], [1])).toThrow(/same units/);
  });
});

describe('crossValidate', () => {
  it('chooses the truly better variant on held-out folds', () => {
    const a = Array.from({ length: 40 }, (_, i) => 0.5 + ((i * 7) % 5) / 50);
    const b = a.map((x) => x + 0.05);
    const cv = crossValidate({ a, b }, { higherIsBetter: true, folds: 5, repeats: 4 });
    expect(cv.chosen.b).toBe(20);
    expect(cv.heldOut.reduce((s, x) => s + x, 0) / 40).toBeCloseTo(b.reduce((s, x) => s + x, 0) / 40, 10);
  });

  it('does not reward a variant that only fits noise: its held-out score falls below its full-set score', () => {
    // Variant "lucky" is better on a few units by chance, worse elsewhere; its full-set mean is the best.
    const base = Array.from({ length: 24 }, () => 0.5);
    const lucky = base.map((x, i) => (i < 4 ? x + 0.5 : x - 0.05));
    const cv = crossValidate({ base, lucky }, { higherIsBetter: true, folds: 4, repeats: 10 });
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(lucky)).toBeGreaterThan(mean(base));
    expect(mean(cv.heldOut)).toBeLessThan(mean(lucky));
    expect(cv.chosen.base).toBeGreaterThan(0);
  });

  it('minimises a loss when told lower is better', () => {
    const cv = crossValidate({ hi: [3, 3, 3, 3], lo: [1, 1, 1, 1] }, { higherIsBetter: false, folds: 2, repeats: 1, weights: [4, 4, 4, 4] });
    expect(cv.chosen.lo).toBe(2);
  });
});
