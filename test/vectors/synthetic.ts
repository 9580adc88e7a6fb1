/** Small synthetic corpora with known topics, for index tests. */
import type { PaperRecord } from '../../src/paper/types.ts';
import { mulberry32 } from '../../src/text/random.ts';

export const TOPICS: Record<string, string[]> = {
  collapse: 'neural collapse classifier geometry simplex equiangular features last layer terminal phase training class means'.split(' '),
  grokking: 'grokking delayed generalization memorization algorithmic datasets weight decay circuits phase transition modular arithmetic'.split(' '),
  unlearning: 'machine unlearning forget set retain privacy deletion requests influence removal certified erasure'.split(' '),
  reasoning: 'reasoning chain thought overthinking token budget efficient inference length compression latent steps'.split(' '),
};
const COMMON = 'we propose method results show model experiments approach performance study analysis'.split(' ');

export const TOPIC_NAMES = Object.keys(TOPICS);

/** Paper i is about topic i mod 4; titles and abstracts draw from that topic's words. */
export function syntheticRecords(from: number, count: number, seed = 1): PaperRecord[] {
  const r = mulberry32(seed + from);
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)];
  const out: PaperRecord[] = [];
  for (let i = from; i < from + count; i++) {
    const words = TOPICS[TOPIC_NAMES[i % TOPIC_NAMES.length]];
    const title = `${pick(words)} ${pick(words)} ${pick(words)} study ${i}`;
    const abstract = Array.from({ length: 40 }, () => (r() < 0.7 ? pick(words) : pick(COMMON))).join(' ') + '.';
    out.push({ arxivId: `2501.${String(i).padStart(5, '0')}`, title, abstract, authors: [`Author ${i % 7}`], source: { kind: 'manual', locator: `synthetic:${i}`, seenAt: '2025-01-01T00:00:00Z' } });
  }
  return out;
}

export const topicOf = (arxivNumber: number) => TOPIC_NAMES[arxivNumber % TOPIC_NAMES.length];
