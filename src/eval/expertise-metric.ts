/**
 * The reviewer-match paper's main metric, exactly as its `compute_main_metric`:
 * over every pair of a researcher's rated papers, a pair the prediction orders
 * against the ratings costs the rating difference, a tie in the prediction costs
 * half of it; costs and the maximum possible cost are summed over all
 * researchers before dividing (pooled, not a mean of per-researcher losses).
 * 0 is perfect, 0.5 is what a constant predictor gets.
 */

export interface LossParts {
  loss: number;
  max: number;
}

/** One researcher's contribution: predicted scores and true ratings for the same papers. */
export function kendallParts(predicted: number[], truth: number[]): LossParts {
  let loss = 0;
  let max = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let j = i + 1; j < truth.length; j++) {
      const t = truth[i] - truth[j];
      if (t === 0) continue;
      const p = predicted[i] - predicted[j];
      max += Math.abs(t);
      if (p === 0 || !Number.isFinite(p)) loss += Math.abs(t) / 2;
      else if (p * t < 0) loss += Math.abs(t);
    }
  }
  return { loss, max };
}

/** Pooled weighted Kendall-tau loss over researchers. */
export function weightedKendallLoss(parts: LossParts[]): number {
  let loss = 0;
  let max = 0;
  for (const p of parts) {
    loss += p.loss;
    max += p.max;
  }
  return max === 0 ? 0.5 : loss / max;
}
