/** A dated synthetic corpus for topic tests: four topics spread over 16 weeks, and a burst of one of them in the last four. */
import { addDays } from '../../../src/paper/days.ts';
import type { PaperRecord } from '../../../src/paper/types.ts';
import { syntheticRecords, TOPIC_NAMES } from '../synthetic.ts';

/** The last day of the corpus (a Sunday): trends end with the week before it ends. */
export const LAST_DAY = '2025-03-30';

/** `count` papers from index `from`, dated evenly over the 16 weeks ending LAST_DAY. */
export function steadyRecords(from: number, count: number): PaperRecord[] {
  return syntheticRecords(from, count).map((r, i) => ({ ...r, published: addDays(LAST_DAY, -((i * 7) % 112)) }));
}

/** `count` papers of topic `topic` (index into TOPIC_NAMES), all in the last four weeks. */
export function burstRecords(from: number, count: number, topic: number): PaperRecord[] {
  // syntheticRecords makes paper i about topic i mod 4: take every fourth.
  const all = syntheticRecords(from, count * TOPIC_NAMES.length);
  return all.filter((_, i) => (from + i) % TOPIC_NAMES.length === topic).map((r, i) => ({ ...r, published: addDays(LAST_DAY, -(i % 28)) }));
}
