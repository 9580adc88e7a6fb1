/**
 * Ranking metrics with the conventions of BEIR / pytrec_eval (trec_eval), so
 * figures compare with published ones:
 * - nDCG@k: gain = graded relevance (linear, not 2^rel − 1), discount
 *   1 / log2(rank + 1); the ideal ranking is built from every judged document
 *   of the query (not only the retrieved ones).
 * - Recall@k: share of the documents judged relevant (grade > 0) found in the top k.
 * - MRR@k: 1 / rank of the first relevant document in the top k, else 0.
 * Documents without a judgment count as not relevant.
 */

/** Judged documents of one query: id → grade (0 = judged not relevant). */
export type Judgments = ReadonlyMap<string, number>;

export function ndcgAt(ranked: readonly string[], judged: Judgments, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const g = judged.get(ranked[i]) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i] / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

export function recallAt(ranked: readonly string[], judged: Judgments, k: number): number {
  let relevant = 0;
  for (const g of judged.values()) if (g > 0) relevant++;
  if (relevant === 0) return 0;
  let found = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if ((judged.get(ranked[i]) ?? 0) > 0) found++;
  return found / relevant;
}

export function mrrAt(ranked: readonly string[], judged: Judgments, k: number): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++) if ((judged.get(ranked[i]) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

export interface RunMetrics {
  'ndcg@10': number;
  'recall@100': number;
  'mrr@10': number;
}

/**
 * Means over the queries that have at least one relevant judgment (as
 * trec_eval does: a query with nothing relevant cannot be scored).
 */
export function scoreRun(run: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, Judgments>): RunMetrics & { queries: number } {
  const per = perQueryScores(run, qrels);
  const n = per.ids.length;
  const mean = (xs: number[]) => (n ? xs.reduce((a, b) => a + b, 0) / n : 0);
  return { 'ndcg@10': mean(per['ndcg@10']), 'recall@100': mean(per['recall@100']), 'mrr@10': mean(per['mrr@10']), queries: n };
}

export const METRICS = ['ndcg@10', 'recall@100', 'mrr@10'] as const;
export type MetricName = (typeof METRICS)[number];

/** Each metric per scorable query, in qrels order (the units for intervals and paired tests). */
export type PerQuery = { ids: string[] } & Record<MetricName, number[]>;

export function perQueryScores(run: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, Judgments>): PerQuery {
  const out: PerQuery = { ids: [], 'ndcg@10': [], 'recall@100': [], 'mrr@10': [] };
  for (const [qid, judged] of qrels) {
    if (![...judged.values()].some((g) => g > 0)) continue;
    const ranked = run.get(qid) ?? [];
    out.ids.push(qid);
    out['ndcg@10'].push(ndcgAt(ranked, judged, 10));
    out['recall@100'].push(recallAt(ranked, judged, 100));
    out['mrr@10'].push(mrrAt(ranked, judged, 10));
  }
  return out;
}
