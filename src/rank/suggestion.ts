/**
 * "Did you mean" for a search (src/query/suggest.ts). The vocabulary is read
 * from the store's titles and abstracts on first use and kept by whoever
 * holds the loader (one search's deps in the CLI, the server's services for
 * its life). It is asked for only when a search came back weak, so a
 * well-spelt query never pays for the scan.
 */
import { countWords, suggestQuery, vocabularyFrom, type Vocabulary } from '../query/suggest.ts';
import type { Store } from '../store/types.ts';

export type VocabularyLoader = () => Promise<Vocabulary>;

/** Fewer hits than this (or only partial matches) and a correction is looked for. */
const WEAK_TOTAL = 5;

/**
 * A loader that scans the store once and then answers from memory. With
 * `follow` (a long-lived server) it reads again when papers changed since.
 */
export function vocabularyLoader(store: Pick<Store, 'scanPapers' | 'changesSince'>, opts: { follow?: boolean } = {}): VocabularyLoader {
  let built: Promise<{ vocab: Vocabulary; seq: number }> | undefined;
  const build = async () => {
    const counts = new Map<string, number>();
    let seq = 0;
    for await (const batch of store.scanPapers(2000)) {
      countWords(batch.map((p) => `${p.title ?? ''} ${p.abstract ?? ''}`), counts);
      for (const p of batch) if (p.seq > seq) seq = p.seq;
    }
    return { vocab: vocabularyFrom(counts), seq };
  };
  return async () => {
    if (built && opts.follow) {
      const { seq } = await built;
      const since = await store.changesSince(seq, 1);
      if (since.papers.length || since.removed.length) built = undefined;
    }
    built ??= build().catch((err) => {
      built = undefined;
      throw err;
    });
    return (await built).vocab;
  };
}

export interface Outcome {
  total: number;
  relaxed: boolean;
}

/**
 * The corrected query when the typed one did poorly and the correction finds
 * more papers; `count` runs a search and says how it went.
 */
export async function suggestionFor(query: string, outcome: Outcome, vocabulary: VocabularyLoader, count: (q: string) => Promise<Outcome>): Promise<string | undefined> {
  if (outcome.total >= WEAK_TOTAL && !outcome.relaxed) return undefined;
  const corrected = suggestQuery(query, await vocabulary());
  if (!corrected) return undefined;
  const better = await count(corrected);
  const found = better.relaxed ? 0 : better.total;
  return found > 0 && (outcome.relaxed || found > outcome.total) ? corrected : undefined;
}
