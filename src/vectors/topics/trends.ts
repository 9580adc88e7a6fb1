/**
 * Is a topic (or term) rising? "This month vs the three before", tested so
 * that noise is not called a trend.
 *
 * The test conditions on the topic's papers in both windows: if the topic's
 * share of the corpus did not change, each of its x + y papers fell in the
 * recent window with probability p = N₁ / (N₁ + N₂), the recent window's share
 * of all papers; so x ~ Binomial(x + y, p) under "no change", and the one-sided
 * p-value is P(X ≥ x). Conditioning on the corpus totals makes the test immune
 * to the whole corpus growing or to a short (partial) recent week. Many topics
 * (and many more terms) are tested at once, so the p-values are controlled by
 * Benjamini–Hochberg: at a false discovery rate of 5 %, about one in twenty of
 * the topics called rising may be noise, not one in twenty of all tested.
 */

export interface WindowCounts {
  /** Papers of the topic in the recent window and in the window before. */
  recent: number;
  before: number;
  /** All papers in each window. */
  recentTotal: number;
  beforeTotal: number;
}

export interface TrendResult {
  /**
   * Ratio of the topic's share of papers recent/before; > 1 is growth. Smoothed
   * with one pseudo-paper split between the windows as the corpus is, so a
   * topic with no papers in either window shows 1, not a made-up change.
   */
  growth: number;
  /** One-sided binomial p-value for "rising". */
  p: number;
}

/** log of n choose k. */
function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const logFactCache: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactCache.length; i <= n; i++) logFactCache.push(logFactCache[i - 1] + Math.log(i));
  return logFactCache[n];
}

/** P(X ≥ x) for X ~ Binomial(n, p), summed in log space (exact; n is a topic's papers in four months). */
export function binomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let max = -Infinity;
  const terms: number[] = [];
  for (let i = x; i <= n; i++) {
    const t = logChoose(n, i) + i * lp + (n - i) * lq;
    terms.push(t);
    if (t > max) max = t;
  }
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return Math.min(1, Math.exp(max) * s);
}

export function trendTest(c: WindowCounts): TrendResult {
  const n = c.recent + c.before;
  const total = c.recentTotal + c.beforeTotal;
  const p = total > 0 && n > 0 ? binomialUpperTail(c.recent, n, c.recentTotal / total) : 1;
  if (c.recentTotal === 0 || c.beforeTotal === 0) return { growth: 1, p };
  const split = c.recentTotal / total;
  const shareRecent = (c.recent + split) / c.recentTotal;
  const shareBefore = (c.before + 1 - split) / c.beforeTotal;
  return { growth: shareRecent / shareBefore, p };
}

/** Benjamini–Hochberg adjusted p-values (q-values), in input order. */
export function benjaminiHochberg(ps: number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m);
  let min = 1;
  for (let r = m - 1; r >= 0; r--) {
    min = Math.min(min, (order[r].p * m) / (r + 1));
    q[order[r].i] = min;
  }
  return q;
}

/** Weekly counts → the recent and previous windows (in weeks) ending with week `last`. */
export function windowCounts(weeks: Record<string, number>, corpus: Record<string, number>, last: number, recentWeeks = 4, beforeWeeks = 12): WindowCounts {
  const sum = (h: Record<string, number>, from: number, to: number) => {
    let s = 0;
    for (let w = from; w <= to; w++) s += h[w] ?? 0;
    return s;
  };
  const r0 = last - recentWeeks + 1;
  const b0 = r0 - beforeWeeks;
  return {
    recent: sum(weeks, r0, last),
    before: sum(weeks, b0, r0 - 1),
    recentTotal: sum(corpus, r0, last),
    beforeTotal: sum(corpus, b0, r0 - 1),
  };
}

/** The last `n` weeks' counts ending with week `last`, oldest first: a sparkline. */
export function sparkline(weeks: Record<string, number>, last: number, n = 26): number[] {
  const out: number[] = [];
  for (let w = last - n + 1; w <= last; w++) out.push(weeks[w] ?? 0);
  return out;
}

export interface Rising<T> {
  item: T;
  growth: number;
  p: number;
  q: number;
  /** Rising at the false discovery rate asked for. */
  significant: boolean;
}

/** Tests every item, adjusts for multiplicity and returns them by growth, most rising first. */
export function rankTrends<T>(items: { item: T; counts: WindowCounts }[], fdr = 0.05): Rising<T>[] {
  const tested = items.map((x) => ({ item: x.item, ...trendTest(x.counts) }));
  const q = benjaminiHochberg(tested.map((t) => t.p));
  return tested
    .map((t, i) => ({ ...t, q: q[i], significant: q[i] <= fdr && t.growth > 1 }))
    .sort((a, b) => b.growth - a.growth || a.p - b.p);
}
