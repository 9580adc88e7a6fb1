/**
 * What `radar eval beir` says about its figures besides the means: a 95%
 * interval per mode and metric (bootstrap over queries), the default against
 * every other mode and variant paired on the same queries, and — over the
 * default and its variants — which one repeated k-fold selection picks and
 * what that selection scores on queries it did not see.
 */
import { METRICS, type MetricName, type PerQuery } from './metrics.ts';
import { bootstrapCI, crossValidate, pairedTest, type Interval, type PairedResult } from './stats.ts';

export type Intervals = Record<MetricName, Interval>;

export interface Selection {
  /** Candidates in order of simplicity (ties go to the earlier one). */
  candidates: string[];
  /** Times each candidate was chosen on training folds (folds × repeats in all). */
  chosen: Record<string, number>;
  folds: number;
  repeats: number;
  /** nDCG@10 of "pick the best candidate on the training folds", on the held-out folds. */
  heldOut: Interval;
  /** The default against that selection, paired by query: positive means the fixed default does better. */
  defaultVsSelection: PairedResult;
}

export function intervalsOf(per: PerQuery): Intervals {
  return Object.fromEntries(METRICS.map((m) => [m, bootstrapCI(per[m])])) as Intervals;
}

/** `reference` minus `other` on each metric, paired by query. */
export function pairedAgainst(reference: PerQuery, other: PerQuery): Record<MetricName, PairedResult> {
  const order = new Map(other.ids.map((id, i) => [id, i]));
  const shared = reference.ids.filter((id) => order.has(id));
  const idx = new Map(reference.ids.map((id, i) => [id, i]));
  return Object.fromEntries(
    METRICS.map((m) => [m, pairedTest(shared.map((id) => reference[m][idx.get(id)!]), shared.map((id) => other[m][order.get(id)!]))]),
  ) as Record<MetricName, PairedResult>;
}

/** Repeated k-fold selection among `candidates` by nDCG@10 (every candidate scored on the same queries). */
export function selectByCv(per: Record<string, PerQuery>, candidates: string[], reference = 'default'): Selection | undefined {
  const present = candidates.filter((c) => per[c]);
  if (present.length < 2 || !per[reference] || per[reference].ids.length < 4) return undefined;
  const scores = Object.fromEntries(present.map((c) => [c, per[c]['ndcg@10']]));
  const cv = crossValidate(scores, { higherIsBetter: true, folds: Math.min(5, per[reference].ids.length), repeats: 20 });
  return {
    candidates: present,
    chosen: cv.chosen,
    folds: cv.folds,
    repeats: cv.repeats,
    heldOut: bootstrapCI(cv.heldOut),
    defaultVsSelection: pairedTest(per[reference]['ndcg@10'], cv.heldOut),
  };
}
