/**
 * What the API says about a paper: the stored Paper minus the store's
 * internal handles (`pk`, `seq`), so clients only ever see stable ids.
 */
import { linksWithCode } from '../paper/code.ts';
import type { Paper } from '../paper/types.ts';
import type { StoredPaper } from '../store/types.ts';

/** A paper as the API shows it: without the store's handles, with code/project links found in its abstract or comment. */
export function publicPaper(p: StoredPaper): Paper {
  const { pk: _pk, seq: _seq, ...paper } = p;
  return { ...paper, links: linksWithCode(p) };
}
