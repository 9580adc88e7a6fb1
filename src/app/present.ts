/**
 * What the API says about a paper: the stored Paper minus the store's
 * internal handles (`pk`, `seq`), so clients only ever see stable ids.
 */
import type { Paper } from '../paper/types.ts';
import type { StoredPaper } from '../store/types.ts';

export function publicPaper(p: StoredPaper): Paper {
  const { pk: _pk, seq: _seq, ...paper } = p;
  return paper;
}
