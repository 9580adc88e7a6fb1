import { describe, expect, it } from 'vitest';
import { mmr } from '../../src/rank/diversify.ts';

describe('MMR diversification', () => {
  it('lets a different topic in between near-duplicates', () => {
    // a1..a3 are one idea (similarity 0.95), b is another, slightly lower scored.
    const topic: Record<string, string> = { a1: 'a', a2: 'a', a3: 'a', b: 'b', c: 'c' };
    const ranked = [
      { item: 'a1', score: 1 },
      { item: 'a2', score: 0.98 },
      { item: 'a3', score: 0.97 },
      { item: 'b', score: 0.9 },
      { item: 'c', score: 0.2 },
    ];
    const sim = (x: string, y: string) => (topic[x] === topic[y] ? 0.95 : 0.05);
    const out = mmr(ranked, 3, sim, { lambda: 0.75 }).map((r) => r.item);
    expect(out[0]).toBe('a1');
    expect(out).toContain('b');
    expect(mmr(ranked, 3, sim, { lambda: 1 }).map((r) => r.item)).toEqual(['a1', 'a2', 'a3']);
  });
});
