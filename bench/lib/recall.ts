/** Figures the vector benchmarks share: latency percentiles and recall against a true list. */

export interface Latency {
  p50: number;
  p99: number;
  mean: number;
  n: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: round(at(0.5)), p99: round(at(0.99)), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)), n: s.length };
}

/** Share of the true top `k` found in the first `k` of `got` (1 when the truth is empty). */
export function recallAt(k: number, truth: number[], got: number[]): number {
  const want = new Set(truth.slice(0, k));
  if (!want.size) return 1;
  let hit = 0;
  for (const pk of got.slice(0, k)) if (want.has(pk)) hit++;
  return hit / want.size;
}
