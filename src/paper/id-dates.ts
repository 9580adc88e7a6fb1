/**
 * Dates an arXiv id vouches for. An id names the month it was submitted in
 * (`2508.01234`: August 2025; `hep-th/9901001`: January 1999), so a day
 * printed without a year (`Aug 13` on a Daily Papers page) can take its year
 * from the id when the months agree, or when it is the month after (a paper
 * listed a few days after submission, across a month or year boundary).
 */

/** The year and month in an arXiv id, or undefined for anything else. */
export function arxivIdMonth(arxivId: string | undefined): { year: number; month: number } | undefined {
  if (!arxivId) return undefined;
  const m = /^(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?$/.exec(arxivId) ?? /^[a-z-]+(?:\.[A-Z]{2})?\/(\d{2})(\d{2})\d{3}(?:v\d+)?$/.exec(arxivId);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  // Old-style ids ran from 1991 to March 2007; new-style ids began in April 2007.
  const year = arxivId.includes('/') ? (yy >= 91 ? 1900 + yy : 2000 + yy) : 2000 + yy;
  return { year, month };
}

/**
 * `day` (YYYY-MM-DD, its year a guess) re-dated to the year the id vouches
 * for; undefined when the id says nothing about this month (keep the guess
 * or leave the paper undated, as the caller decides).
 */
export function yearFromArxivId(day: string, arxivId: string | undefined): string | undefined {
  const id = arxivIdMonth(arxivId);
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  if (!id || !m) return undefined;
  const month = Number(m[1]);
  let year: number | undefined;
  if (month === id.month) year = id.year;
  else if (month === (id.month % 12) + 1) year = id.month === 12 ? id.year + 1 : id.year;
  if (year === undefined) return undefined;
  const out = `${String(year).padStart(4, '0')}-${m[1]}-${m[2]}`;
  // 29 February only in leap years.
  return new Date(`${out}T00:00:00Z`).toISOString().slice(0, 10) === out ? out : undefined;
}
