/**
 * The exact top-k and match count of a conjunctive word query from the
 * postings of search-postings.ts, without FTS5 for the papers they cover.
 * Undefined whenever it cannot be sure, and the caller ranks as before:
 * lists not built; a phrase that is not one plain word (a quoted phrase, a
 * prefix, a word the tokenizer splits); a word without a list (a rare word:
 * the query then matches few papers and FTS5 ranks them cheaply); too many
 * papers added or changed since the build.
 *
 * Papers added since the build (pk above its `maxPk`) and papers logged as
 * changed or deleted are ranked and counted by FTS5 (`rankRange`,
 * `scorePks`), the rest from the lists; the union's best `want` is the
 * exhaustive ranking's.
 */
import { betterFirst, conjunctiveTopK, type Bm25fParams, type BlockBounds, type Postings, type ScoredPk } from '../search/postings.ts';
import { blockBounds } from '../search/topk.ts';
import type { FieldWeights } from '../types.ts';
import { impactDrift, type ImpactLists } from './search-impacts.ts';
import type { PostingLists } from './search-postings.ts';

/** Papers added since the build that FTS5 ranks beside the lists; more and the lists are not used. */
export const POSTINGS_NEWER_MAX = 20_000;
/** Papers changed or deleted since the build that FTS5 scores one by one; more and the lists are not used. */
export const POSTINGS_STALE_MAX = 500;

export interface PostingsTopKDeps {
  lists: PostingLists;
  /** Block maxima of the same build: a query visits the blocks that can hold a top result, best first. */
  impacts?: ImpactLists;
  weights: FieldWeights;
  /** Papers logged as changed or deleted (at most `cap`; undefined when more). */
  stale(cap: number): number[] | undefined;
  /** Each phrase of the query: its words and whether it is a prefix. */
  phrases: { words: string[]; prefix: boolean }[];
  /** IDF of each phrase (0: selects only, never scores). */
  idfs: number[];
  params: Bm25fParams;
  maxPkNow: number;
  /** FTS5: the best `want` matches with lo ≤ pk ≤ hi, best first, and how many match there. */
  rankRange(lo: number, hi: number, want: number): { rows: ScoredPk[]; count: number };
  /** FTS5: exact scores of those of `pks` that match the query now. */
  scorePks(pks: number[]): ScoredPk[];
}

export interface PostingsTopK {
  rows: ScoredPk[];
  /** Every paper matching the query, counted exactly. */
  total: number;
}

export function postingsTopK(want: number, d: PostingsTopKDeps): PostingsTopK | undefined {
  const meta = d.lists.meta();
  if (!meta || d.maxPkNow - meta.maxPk > POSTINGS_NEWER_MAX || !d.phrases.length) return undefined;
  const lists: Postings[] = [];
  const byTerm = new Map<string, number>();
  const phrases: { list: number; idf: number }[] = [];
  for (let i = 0; i < d.phrases.length; i++) {
    const ph = d.phrases[i];
    if (ph.prefix || ph.words.length !== 1) return undefined;
    const term = d.lists.term(ph.words[0]);
    if (term === undefined) return undefined;
    let at = byTerm.get(term);
    if (at === undefined) {
      const l = d.lists.list(term);
      if (!l) return undefined;
      at = lists.push(l) - 1;
      byTerm.set(term, at);
    }
    phrases.push({ list: at, idf: d.idfs[i] ?? 0 });
  }
  const stale = d.stale(POSTINGS_STALE_MAX);
  if (!stale) return undefined;
  const skip = new Set(stale.filter((pk) => pk <= meta.maxPk));
  const fromLists = conjunctiveTopK(lists, phrases, d.lists.lengths(meta.maxPk), d.params, want, skip, blocksFor(d, meta.builtAt));
  const newer = d.maxPkNow > meta.maxPk ? d.rankRange(meta.maxPk + 1, d.maxPkNow, want) : { rows: [], count: 0 };
  const changed = skip.size ? d.scorePks([...skip]) : [];
  const rows = [...fromLists.rows, ...newer.rows, ...changed].sort(betterFirst).slice(0, want);
  return { rows, total: fromLists.matches + newer.count + changed.length };
}

/** Bounds per block from the maxima built with these lists, or undefined (none, another build, weights they cannot bound). */
function blocksFor(d: PostingsTopKDeps, builtAt: string): BlockBounds | undefined {
  const meta = d.impacts?.meta();
  if (!d.impacts || !meta || meta.builtAt !== builtAt) return undefined;
  const drift = impactDrift(meta, d.params.avg, d.weights);
  if (!Number.isFinite(drift)) return undefined;
  const phrases = [];
  for (let i = 0; i < d.phrases.length; i++) {
    if (!(d.idfs[i] > 0)) continue;
    const maxes = d.impacts.maxes(d.phrases[i].words[0]);
    if (!maxes) return undefined;
    phrases.push({ idf: d.idfs[i], maxes });
  }
  return phrases.length ? { bounds: blockBounds(phrases, drift), shift: meta.shift } : undefined;
}
