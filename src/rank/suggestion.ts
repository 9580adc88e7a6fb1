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

/** The stored word counts: `word<TAB>papers` lines, with the paper seq they are complete up to. */
const MODEL = 'vocabulary';
/** More changes than this since the stored counts, and they are counted afresh. */
const CATCH_UP_LIMIT = 20_000;

type Store_ = Pick<Store, 'papers' | 'models'>;
interface Counts {
  counts: Map<string, number>;
  seq: number;
}

const textOf = (p: { title?: string; abstract?: string }) => `${p.title ?? ''} ${p.abstract ?? ''}`;

async function countAll(store: Store_): Promise<Counts> {
  const counts = new Map<string, number>();
  let seq = 0;
  for await (const batch of store.papers.scanPapers(2000)) {
    countWords(batch.map(textOf), counts);
    for (const p of batch) if (p.seq > seq) seq = p.seq;
  }
  return { counts, seq };
}

async function readStored(store: Store_): Promise<Counts | undefined> {
  const m = await store.models.getModel(MODEL);
  if (!m || typeof m.meta.seq !== 'number') return undefined;
  const counts = new Map<string, number>();
  for (const line of m.data.toString('utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) counts.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return { counts, seq: m.meta.seq };
}

/**
 * Adds the papers written since the counts were taken. A paper edited since
 * is counted again (its words gain one); for ranking spellings by how common
 * they are that is close enough, and a full count replaces it past the limit.
 */
async function catchUp(store: Store_, c: Counts): Promise<{ counts: Counts; changed: boolean } | undefined> {
  let seen = 0;
  let changed = false;
  for (;;) {
    const ch = await store.papers.changesSince(c.seq, 2000);
    if (!ch.papers.length) {
      if (ch.lastSeq > c.seq) c.seq = ch.lastSeq;
      return { counts: c, changed };
    }
    seen += ch.papers.length;
    if (seen > CATCH_UP_LIMIT) return undefined;
    countWords(ch.papers.map(textOf), c.counts);
    c.seq = ch.lastSeq;
    changed = true;
  }
}

async function save(store: Store_, c: Counts): Promise<void> {
  const lines: string[] = [];
  for (const [w, n] of c.counts) lines.push(`${w}\t${n}`);
  await store.models.putModel(MODEL, Buffer.from(lines.join('\n'), 'utf8'), { seq: c.seq, words: c.counts.size });
}

/**
 * Reads the papers' word counts: kept in the store as a model (so a CLI
 * search does not count 75k abstracts each time), brought up to date with the
 * papers written since, and kept in memory by whoever holds the loader. With
 * `follow` (a long-lived server) later calls pick up new papers too.
 */
export function vocabularyLoader(store: Store_, opts: { follow?: boolean } = {}): VocabularyLoader {
  let current: Promise<{ c: Counts; vocab: Vocabulary }> | undefined;
  const load = async (prev?: { c: Counts; vocab: Vocabulary }) => {
    let c = prev?.c ?? (await readStored(store));
    let dirty = false;
    if (c) {
      const up = await catchUp(store, c);
      if (up) ({ counts: c, changed: dirty } = up);
      else c = undefined;
    }
    if (!c) {
      c = await countAll(store);
      dirty = true;
    }
    // A store opened read-only (or busy) still answers from the counts in hand.
    if (dirty) await save(store, c).catch(() => {});
    return { c, vocab: !dirty && prev ? prev.vocab : vocabularyFrom(c.counts) };
  };
  let settled: { c: Counts; vocab: Vocabulary } | undefined;
  return async () => {
    // Following: a finished load is caught up again; one still running is shared, so no paper is counted twice.
    if (settled && opts.follow) {
      const prev = settled;
      settled = undefined;
      current = load(prev);
    }
    current ??= load();
    const p = current;
    p.then((v) => {
      if (current === p) settled = v;
    }, () => {});
    try {
      return (await p).vocab;
    } catch (err) {
      if (current === p) current = undefined;
      throw err;
    }
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
