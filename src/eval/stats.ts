/**
 * Uncertainty for the evaluations: every figure is a statistic over units
 * (queries, researchers, researcher-days), and with a dozen or a few dozen
 * units a difference of 0.01–0.03 is often noise. Three tools, all pure and
 * seeded so a report is reproducible:
 *
 * - `bootstrapCI`: a percentile-bootstrap 95% interval of a statistic, resampling units.
 * - `pairedTest`: two methods scored on the same units — a bootstrap interval of
 *   the difference and a sign-flip (randomisation) p-value; the pairing removes the
 *   spread between easy and hard units, which is most of the variance.
 * - `crossValidate`: choosing among variants honestly — repeated k-fold over the
 *   units, the variant that does best on the training folds scored on the held-out
 *   fold, so a knob fitted to the data cannot look better than it is.
 *
 * A statistic is a ratio Σ value / Σ weight over units: weights of 1 give a
 * mean (nDCG@10 over queries); the weighted Kendall-tau loss pools each
 * researcher's loss over their maximum possible loss.
 */
import { mulberry32 as rng } from '../text/random.ts';

export interface Interval {
  /** The statistic on every unit. */
  value: number;
  /** 95% percentile-bootstrap interval. */
  lo: number;
  hi: number;
}

export interface PairedResult {
  /** Statistic of a minus statistic of b. */
  diff: number;
  lo: number;
  hi: number;
  /** Two-sided sign-flip p-value of "no difference". */
  p: number;
  /** Units on which a is ahead / behind (ties are neither). */
  ahead: number;
  behind: number;
}

export interface StatOptions {
  /** Per-unit denominators (default 1 each: a mean). */
  weights?: readonly number[];
  resamples?: number;
  seed?: number;
}

const RESAMPLES = 2000;

function ratio(values: readonly number[], weights: readonly number[] | undefined, pick?: Uint32Array): number {
  let num = 0;
  let den = 0;
  const n = pick ? pick.length : values.length;
  for (let k = 0; k < n; k++) {
    const i = pick ? pick[k] : k;
    num += values[i];
    den += weights ? weights[i] : 1;
  }
  return den > 0 ? num / den : NaN;
}

function percentile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** 95% bootstrap interval of Σ values / Σ weights, resampling units with replacement. */
export function bootstrapCI(values: readonly number[], opts: StatOptions = {}): Interval {
  const n = values.length;
  const value = ratio(values, opts.weights);
  if (n < 2) return { value, lo: value, hi: value };
  const rand = rng(opts.seed ?? 12345);
  const B = opts.resamples ?? RESAMPLES;
  const stats = new Float64Array(B);
  const pick = new Uint32Array(n);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < n; k++) pick[k] = Math.floor(rand() * n);
    const s = ratio(values, opts.weights, pick);
    stats[b] = Number.isFinite(s) ? s : value;
  }
  stats.sort();
  return { value, lo: percentile(stats, 0.025), hi: percentile(stats, 0.975) };
}

/**
 * Paired comparison of two methods on the same units (same weights for both:
 * the units' denominators do not depend on the method).
 */
export function pairedTest(a: readonly number[], b: readonly number[], opts: StatOptions = {}): PairedResult {
  if (a.length !== b.length) throw new Error(`paired comparison needs the same units: ${a.length} against ${b.length}`);
  const d = a.map((x, i) => x - b[i]);
  const ci = bootstrapCI(d, opts);
  // Sign flips: under "no difference" each unit's difference is as likely negated.
  const rand = rng((opts.seed ?? 12345) ^ 0x5bd1e995);
  const B = opts.resamples ?? RESAMPLES;
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  let extreme = 0;
  for (let r = 0; r < B; r++) {
    let s = 0;
    for (const x of d) s += rand() < 0.5 ? -x : x;
    if (Math.abs(s) >= observed - 1e-12) extreme++;
  }
  return {
    diff: ci.value,
    lo: ci.lo,
    hi: ci.hi,
    p: (extreme + 1) / (B + 1),
    ahead: d.filter((x) => x > 1e-12).length,
    behind: d.filter((x) => x < -1e-12).length,
  };
}

export interface CvOptions {
  folds?: number;
  repeats?: number;
  seed?: number;
  /** Per-unit denominators, as in StatOptions. */
  weights?: readonly number[];
  /** true when a larger statistic is better (nDCG); false for losses. */
  higherIsBetter: boolean;
}

export interface CvResult {
  /** Per unit: its held-out score under the variant its training folds chose, averaged over repeats. */
  heldOut: number[];
  /** How often each variant was chosen, over folds × repeats. */
  chosen: Record<string, number>;
  folds: number;
  repeats: number;
}

/**
 * Repeated k-fold selection among variants scored per unit. The held-out
 * vector is what "pick the best variant on the data" would score on units it
 * never saw; compare it (pairedTest) with a fixed default to see whether
 * tuning pays.
 */
export function crossValidate(scores: Readonly<Record<string, readonly number[]>>, opts: CvOptions): CvResult {
  const names = Object.keys(scores);
  if (names.length === 0) throw new Error('cross-validation needs at least one variant');
  const n = scores[names[0]].length;
  const folds = Math.max(2, Math.min(opts.folds ?? 5, n));
  const repeats = opts.repeats ?? 20;
  const rand = rng(opts.seed ?? 4242);
  const heldOut = new Array<number>(n).fill(0);
  const chosen: Record<string, number> = Object.fromEntries(names.map((k) => [k, 0]));
  const w = opts.weights;
  for (let r = 0; r < repeats; r++) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    for (let f = 0; f < folds; f++) {
      const test = order.filter((_, i) => i % folds === f);
      const train = Uint32Array.from(order.filter((_, i) => i % folds !== f));
      let best = names[0];
      let bestStat = NaN;
      // Ties go to the variant listed first: list the simplest first.
      for (const name of names) {
        const s = ratio(scores[name], w, train);
        if (Number.isNaN(bestStat) || (opts.higherIsBetter ? s > bestStat + 1e-12 : s < bestStat - 1e-12)) {
          best = name;
          bestStat = s;
        }
      }
      chosen[best]++;
      for (const i of test) heldOut[i] += scores[best][i] / repeats;
    }
  }
  return { heldOut, chosen, folds, repeats };
}

/** "0.6440 [0.551, 0.731]". */
export function formatInterval(i: { value: number; lo: number; hi: number }, digits = 4): string {
  return `${i.value.toFixed(digits)} [${i.lo.toFixed(3)}, ${i.hi.toFixed(3)}]`;
}

/** "+0.0140 [−0.012, 0.041] p=0.31 (7 ahead, 4 behind)". */
export function formatPaired(p: PairedResult): string {
  const sign = p.diff >= 0 ? '+' : '';
  return `${sign}${p.diff.toFixed(4)} [${p.lo.toFixed(3)}, ${p.hi.toFixed(3)}] p=${p.p < 0.001 ? '<0.001' : p.p.toFixed(3)} (${p.ahead} ahead, ${p.behind} behind)`;
}

/**
 * A difference is significant when its 95% bootstrap interval excludes zero
 * and the sign-flip test agrees (p < 0.05): with a dozen units the percentile
 * bootstrap is too narrow on its own.
 */
export const significant = (p: PairedResult): boolean => (p.lo > 0 || p.hi < 0) && p.p < 0.05;
