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

/** Fewer papers matching every word than this, and a correction is looked for. */
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

/** How a search went: how many papers on its first page match every word. */
export type Outcome = number;

/**
 * The corrected query when the typed one did poorly (fewer than WEAK_TOTAL
 * papers match all its words) and the correction finds more such papers;
 * `count` runs a search and says how it went.
 */
export async function suggestionFor(query: string, matchingAll: Outcome, vocabulary: VocabularyLoader, count: (q: string, limit: number) => Promise<Outcome>): Promise<string | undefined> {
  if (matchingAll >= WEAK_TOTAL) return undefined;
  const corrected = suggestQuery(query, await vocabulary());
  if (!corrected) return undefined;
  return (await count(corrected, WEAK_TOTAL)) > matchingAll ? corrected : undefined;
}
