import { describe, expect, it } from 'vitest';
import { kendallParts, weightedKendallLoss } from '../../src/eval/expertise-metric.ts';

describe('weighted Kendall-tau loss (reviewer-match main metric)', () => {
  it('is 0 for a perfect order, 1 for a reversed one, 0.5 for a constant', () => {
    const truth = [5, 3, 1];
    expect(weightedKendallLoss([kendallParts([0.9, 0.5, 0.1], truth)])).toBe(0);
    expect(weightedKendallLoss([kendallParts([0.1, 0.5, 0.9], truth)])).toBe(1);
    expect(weightedKendallLoss([kendallParts([1, 1, 1], truth)])).toBe(0.5);
  });

  it('weighs a mistake by the rating difference, a predicted tie by half of it, ignores tied ratings', () => {
    // pairs: (5,4) diff 1 wrong → 1; (5,1) diff 4 tied → 2; (4,1) diff 3 right → 0; the (1,1) pair does not count.
    const parts = kendallParts([0.2, 0.3, 0.2, 0.0], [5, 4, 1, 1]);
    // (5,1b) diff 4 right; (4,1b) diff 3 right.
    expect(parts).toEqual({ loss: 3, max: 1 + 4 + 3 + 4 + 3 });
  });

  it('pools costs over researchers before dividing', () => {
    const a = kendallParts([1, 0], [5, 1]); // right, max 4
    const b = kendallParts([0, 1], [2, 1]); // wrong, cost 1
    expect(weightedKendallLoss([a, b])).toBeCloseTo(1 / 5);
  });
});
