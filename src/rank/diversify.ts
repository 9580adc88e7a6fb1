/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998) over the head of a
 * ranked list, so ten near-duplicates of one idea do not fill the page: each
 * next pick maximises λ·relevance − (1−λ)·(highest similarity to a paper
 * already picked). Relevance is min–max scaled over the pool so λ means the
 * same on every day. Pure.
 */

export interface MmrItem<T> {
  item: T;
  score: number;
}

export function mmr<T>(
  ranked: MmrItem<T>[],
  limit: number,
  similarity: (a: T, b: T) => number,
  opts: { lambda?: number; pool?: number } = {},
): MmrItem<T>[] {
  const lambda = opts.lambda ?? 0.75;
  const pool = ranked.slice(0, Math.max(limit, opts.pool ?? limit * 3));
  if (pool.length <= 1 || limit <= 1 || lambda >= 1) return pool.slice(0, limit);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of pool) {
    lo = Math.min(lo, r.score);
    hi = Math.max(hi, r.score);
  }
  const rel = (s: number) => (hi > lo ? (s - lo) / (hi - lo) : 1);
  const picked: MmrItem<T>[] = [];
  const maxSim = new Float64Array(pool.length);
  const used = new Uint8Array(pool.length);
  while (picked.length < Math.min(limit, pool.length)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (used[i]) continue;
      const v = lambda * rel(pool[i].score) - (1 - lambda) * (picked.length ? maxSim[i] : 0);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    used[best] = 1;
    const chosen = pool[best];
    picked.push(chosen);
    for (let i = 0; i < pool.length; i++) {
      if (!used[i]) maxSim[i] = Math.max(maxSim[i], similarity(pool[i].item, chosen.item));
    }
  }
  return picked;
}
