import { describe, expect, it } from 'vitest';
import { mrrAt, ndcgAt, recallAt, scoreRun } from '../../src/eval/metrics.ts';

// Judgments: a=3, b=2, c=1, d=0 (judged not relevant), e unjudged.
const judged = new Map([
  ['a', 3],
  ['b', 2],
  ['c', 1],
  ['d', 0],
]);

describe('ranking metrics (BEIR / trec_eval conventions)', () => {
  it('nDCG@k uses linear gains and the ideal order of every judged document', () => {
    // Ranking: e, b, a (gains 0, 2, 3 at ranks 1..3).
    const dcg = 2 / Math.log2(3) + 3 / Math.log2(4);
    const idcg3 = 3 + 2 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAt(['e', 'b', 'a'], judged, 3)).toBeCloseTo(dcg / idcg3, 12);
    // At k = 2 the ideal is a, b and only e, b count.
    expect(ndcgAt(['e', 'b', 'a'], judged, 2)).toBeCloseTo(2 / Math.log2(3) / (3 + 2 / Math.log2(3)), 12);
    expect(ndcgAt(['a', 'b', 'c'], judged, 10)).toBeCloseTo(1, 12);
    expect(ndcgAt(['d', 'e'], judged, 10)).toBe(0);
  });

  it('Recall@k counts relevant (grade > 0) documents found', () => {
    expect(recallAt(['a', 'd', 'e', 'c'], judged, 100)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(['a', 'd', 'e', 'c'], judged, 2)).toBeCloseTo(1 / 3, 12);
  });

  it('MRR@k is the reciprocal rank of the first relevant document', () => {
    expect(mrrAt(['d', 'e', 'c'], judged, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(['d', 'e', 'c'], judged, 2)).toBe(0);
  });

  it('averages over queries with a relevant judgment; a missing run scores 0', () => {
    const qrels = new Map([
      ['q1', judged],
      ['q2', new Map([['x', 1]])],
      ['q3', new Map([['y', 0]])], // nothing relevant: not scored
    ]);
    const m = scoreRun(new Map([['q1', ['a', 'b', 'c']]]), qrels);
    expect(m.queries).toBe(2);
    expect(m['ndcg@10']).toBeCloseTo(0.5, 12);
    expect(m['recall@100']).toBeCloseTo(0.5, 12);
    expect(m['mrr@10']).toBeCloseTo(0.5, 12);
  });
});
