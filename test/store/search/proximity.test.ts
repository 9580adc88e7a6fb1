import { describe, expect, it } from 'vitest';
import { adjacentPairs, proximityRerank } from '../../../src/store/search/proximity.ts';
import { parseQuery } from '../../../src/query/parse.ts';

const params = { k1: 1.2, title: { weight: 5, b: 0.5, avgLen: 10 }, abstract: { weight: 1, b: 0.75, avgLen: 150 } };

describe('proximity re-ranking', () => {
  it('pairs adjacent plain words of the query, as stems, skipping phrases, prefixes and fields', () => {
    expect(adjacentPairs(parseQuery('neural collapse "weight decay" grok* title:x').query.clauses).map((p) => [p.a, p.b])).toEqual([['neural', 'collaps']]);
  });

  it('moves papers where the words stand together above papers with the words apart, at equal base score', () => {
    const pairs = adjacentPairs(parseQuery('neural collapse').query.clauses).map((p) => ({ ...p, idf: 2 }));
    const ranked = proximityRerank(
      [
        { pk: 1, score: 5, title: 'Collapse of neural nets', abstract: 'Networks collapse; neural codes.' },
        { pk: 2, score: 5, title: 'On neural collapse', abstract: 'Neural collapsed features.' },
      ],
      pairs,
      params,
    );
    expect(ranked.map((r) => r.pk)).toEqual([2, 1]);
    expect(ranked[0].score).toBeGreaterThan(5);
    expect(ranked[1].score).toBe(5);
  });

  it('allows the stop words the query dropped between the words', () => {
    const pairs = adjacentPairs(parseQuery('mixture of experts').query.clauses).map((p) => ({ ...p, idf: 2 }));
    const [top] = proximityRerank(
      [
        { pk: 1, score: 5, title: 'Experts mixture', abstract: '' },
        { pk: 2, score: 5, title: 'A Mixture of Experts', abstract: '' },
      ],
      pairs,
      params,
    );
    expect(top.pk).toBe(2);
  });

  it('changes nothing without pairs', () => {
    const c = [{ pk: 1, score: 3, title: 'a', abstract: 'b' }];
    expect(proximityRerank(c, [], params)).toEqual([{ pk: 1, score: 3 }]);
  });
});
