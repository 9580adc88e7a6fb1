import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, binomialUpperTail, rankTrends, sparkline, trendTest, windowCounts } from '../../../src/vectors/topics/trends.ts';

describe('trend test', () => {
  it('computes exact binomial tails', () => {
    expect(binomialUpperTail(3, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    // P(X ≥ 8 | n=10, p=0.25) = sum_{i=8..10} C(10,i) .25^i .75^(10-i)
    const exact = 45 * 0.25 ** 8 * 0.75 ** 2 + 10 * 0.25 ** 9 * 0.75 + 0.25 ** 10;
    expect(binomialUpperTail(8, 10, 0.25)).toBeCloseTo(exact, 14);
    expect(binomialUpperTail(600, 1000, 0.25)).toBeLessThan(1e-50);
  });

  it('does not call a steady share a trend, even when the whole corpus grew', () => {
    // The corpus doubled this month; the topic kept its 5 % share.
    const r = trendTest({ recent: 100, before: 150, recentTotal: 2000, beforeTotal: 3000 });
    expect(r.growth).toBeCloseTo(1, 1);
    expect(r.p).toBeGreaterThan(0.3);
  });

  it('calls a tripled share rising with a tiny p-value', () => {
    const r = trendTest({ recent: 60, before: 60, recentTotal: 1000, beforeTotal: 3000 });
    expect(r.growth).toBeGreaterThan(2.5);
    expect(r.p).toBeLessThan(1e-6);
  });

  it('adjusts p-values with Benjamini–Hochberg', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    expect(q[0]).toBeCloseTo(0.04, 12);
    expect(q[2]).toBeCloseTo(0.0533333, 6);
    expect(q[1]).toBeCloseTo(0.0533333, 6);
    expect(q[3]).toBeCloseTo(0.5, 12);
  });

  it('among many noisy topics, flags only the one that really rose', () => {
    // 40 topics with a constant 2.5 % share and Poisson-ish wobble, one with a real jump.
    let s = 7;
    const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const items = Array.from({ length: 40 }, (_, i) => {
      const before = 75 + Math.round((r() - 0.5) * 20);
      const recent = 25 + Math.round((r() - 0.5) * 12) + (i === 17 ? 40 : 0);
      return { item: i, counts: { recent, before, recentTotal: 1000, beforeTotal: 3000 } };
    });
    const ranked = rankTrends(items);
    expect(ranked[0].item).toBe(17);
    expect(ranked.filter((x) => x.significant).map((x) => x.item)).toEqual([17]);
  });

  it('reads windows and sparklines from weekly counts', () => {
    const weeks = { 100: 1, 101: 2, 104: 5, 110: 3 };
    const corpus = { 100: 10, 101: 10, 104: 10, 107: 10, 110: 10 };
    expect(windowCounts(weeks, corpus, 110, 4, 12)).toEqual({ recent: 3, before: 8, recentTotal: 20, beforeTotal: 30 });
    expect(sparkline(weeks, 104, 6)).toEqual([0, 1, 2, 0, 0, 5]);
  });
});

describe('growth smoothing', () => {
  it('shows no change for a topic with no papers in either window, and none when a window is empty', () => {
    expect(trendTest({ recent: 0, before: 0, recentTotal: 10, beforeTotal: 300 }).growth).toBeCloseTo(1, 12);
    expect(trendTest({ recent: 5, before: 0, recentTotal: 10, beforeTotal: 0 }).growth).toBe(1);
  });
});
