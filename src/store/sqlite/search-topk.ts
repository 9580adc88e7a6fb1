/**
 * The exact top-k of a broad query without ranking every match: block-max
 * pruning (../search/topk.ts) with the block maxima of search-impacts.ts and
 * FTS5 ranking rowid ranges. Undefined whenever it cannot be sure: maxima not
 * built, a scored phrase without maxima (a prefix, a rare word), weights the
 * build ignored, too many papers added or changed since, or too many ranges
 * (a filter that rejects most of each block); the caller then ranks as before.
 */
import type { Compiled } from '../search/fts.ts';
import { blockMaxTopK, type BoundedPhrase, type ScoredRow } from '../search/topk.ts';
import type { FieldWeights } from '../types.ts';
import { impactDrift, type ImpactLists } from './search-impacts.ts';

/** Papers added since the build that are ranked exhaustively beside the blocks; more and the maxima are not used. */
export const NEWER_MAX = 20_000;
/** Papers changed since the build whose blocks are always ranked; more and the maxima are not used. */
export const STALE_MAX = 2_000;
/** Range queries one ranking may run before giving up. */
export const MAX_RANGES = 300;

export interface TopKDeps {
  lists: ImpactLists;
  /** IDF of each phrase of the compiled query (0: selects only). */
  idfs: number[];
  /** Field-length averages now (title, abstract, authors). */
  avgNow: number[];
  maxPkNow: number;
  /** Exact ranking of the query's matches with lo ≤ pk ≤ hi: the best `want`, best first. */
  rankRange(lo: number, hi: number, want: number): ScoredRow[];
}

export function impactTopK(c: Compiled, w: FieldWeights, want: number, d: TopKDeps): { rows: ScoredRow[]; ranges: number; blocks: number } | undefined {
  const meta = d.lists.meta();
  if (!meta || d.maxPkNow - meta.maxPk > NEWER_MAX) return undefined;
  const drift = impactDrift(meta, d.avgNow, w);
  if (!Number.isFinite(drift)) return undefined;
  const phrases: BoundedPhrase[] = [];
  for (let i = 0; i < c.phrases.length; i++) {
    if (!(d.idfs[i] > 0)) continue;
    const ph = c.words[i];
    if (!ph || ph.prefix) return undefined;
    const maxes = d.lists.maxes(ph.words.join(' '));
    if (!maxes) return undefined;
    phrases.push({ idf: d.idfs[i], maxes });
  }
  if (!phrases.length) return undefined;
  const stale = d.lists.stale(STALE_MAX);
  if (!stale) return undefined;
  const seed = d.maxPkNow > meta.maxPk ? d.rankRange(meta.maxPk + 1, d.maxPkNow, want) : [];
  return blockMaxTopK(phrases, (r, n) => d.rankRange(r.lo, Math.min(r.hi, meta.maxPk), n), {
    want,
    shift: meta.shift,
    drift,
    always: stale.filter((pk) => pk <= meta.maxPk).map((pk) => pk >> meta.shift),
    seed,
    maxRanges: MAX_RANGES,
  });
}
