/**
 * Filter tokens ("facets") in the full-text index. The search migration
 * (migrations.ts, "search: facet tokens …") adds a fourth FTS5 column,
 * `facets`, holding for each paper:
 *   zy2024      its listing year          zm202403   its listing month
 *   zccs0lg9    each category (cs.LG; `.` is written 0 and `-` 1, so hep-th is zchep1th9)
 * so `cat:`, `year:` and month-granular date filters are FTS5 terms that
 * intersect with the text terms inside the index (skipping through the
 * doclists) instead of SQL conditions tested on every text match, which at a
 * million papers is the difference between a few and a few hundred
 * milliseconds for "common words + narrow filter".
 *
 * Tokens use only [a-z0-9] (one unicode61 token each) and end in a digit, so
 * the Porter stemmer leaves them alone. Their bm25 weight is 0: filters never
 * change scores. The SQL that writes them lives in the migration; this file
 * is the query side, and test/store/search-sqlite.test.ts checks both agree.
 */
import { phrase, or, type Expr } from './fts.ts';

function encode(s: string): string {
  return s.toLowerCase().replace(/\./g, '0').replace(/-/g, '1').replace(/[^a-z0-9]/g, '');
}

/** `cs.LG` → `zccs0lg9`, `hep-th` → `zchep1th9`. */
export function categoryToken(category: string): string {
  return `zc${encode(category)}9`;
}

/**
 * A category filter as an index expression: `cs.LG` is its token; an archive
 * (`cs`) is the prefix of all its categories' tokens (`zccs0*`) or the archive
 * used as a category on its own (`zccs9`, as `hep-th` is).
 */
export function categoryExpr(category: string): Expr {
  if (category.includes('.')) return phrase([categoryToken(category)], false);
  return or([phrase([`zc${encode(category)}0`], true), phrase([categoryToken(category)], false)]);
}

export const yearToken = (year: number) => `zy${year}`;
export const monthToken = (year: number, month: number) => `zm${year}${String(month).padStart(2, '0')}`;

/** At most this many year/month tokens go into the index query; wider ranges are checked in SQL only (they are not selective). */
export const MAX_DATE_TOKENS = 4;

/**
 * Year and month tokens covering the days [from, to] (whole years where a
 * year is fully inside, months at the edges), or undefined when that takes
 * more than `MAX_DATE_TOKENS` tokens or the range is open. The tokens cover
 * whole months, so the exact day bounds are still checked in SQL.
 */
export function dateTokens(from: string | undefined, to: string | undefined): string[] | undefined {
  if (!from || !to || from > to) return undefined;
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    if (out.length >= MAX_DATE_TOKENS) return undefined;
    if (m === 1 && (y < endY || endM === 12)) {
      out.push(yearToken(y));
      y++;
      continue;
    }
    out.push(monthToken(y, m));
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The facet text the migration's SQL writes for a paper (documentation and tests). */
export function facetText(listingDate: string | undefined, categories: string[]): string {
  const parts: string[] = [];
  if (listingDate) parts.push(yearToken(Number(listingDate.slice(0, 4))), monthToken(Number(listingDate.slice(0, 4)), Number(listingDate.slice(5, 7))));
  for (const c of categories) parts.push(categoryToken(c));
  return parts.join(' ');
}
