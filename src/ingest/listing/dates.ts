/**
 * Dates in pasted listings, and the year of dates printed without one.
 *
 * Hugging Face prints a paper's date without the year when it falls in the
 * current year (`Sep 27`) and with it otherwise (`Sep 27, 2024`); the page's
 * own date (`Nov 14`, under the header) never has one. So the year a page
 * was copied in is:
 *
 *   1. at most `upper`: the latest year in which the page date is not after
 *      `today` (no page date: today's year);
 *   2. later than every year printed on the page, so the year after the
 *      latest printed one when that is not beyond `upper`; else `upper`.
 *
 * A year-less paper date falls in that page year, unless it is after the
 * page date (month and day), which means the previous year.
 */
import { dayFromParts, monthNumber } from '../text.ts';

export interface MonthDay {
  month: number;
  day: number;
}

export interface ListingDate extends MonthDay {
  year?: number;
  /** A trailing count after the date: Hugging Face's upvotes (`Jun 26 2`). */
  upvotes?: number;
}

const MONTH = String.raw`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?`;
const DATE_LINE = new RegExp(String.raw`^(?:published\s+on\s+)?${MONTH}\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,7}))?$`, 'i');

/** `Sep 27`, `Jan 18, 2024`, `Jun 26 2` (2 upvotes), `Oct 7, 2024 2`; else undefined. */
export function parseDateLine(line: string): ListingDate | undefined {
  const m = DATE_LINE.exec(line.trim());
  if (!m) return undefined;
  const month = monthNumber(m[1])!;
  const day = Number(m[2]);
  if (day < 1 || day > 31) return undefined;
  const out: ListingDate = { month, day };
  if (m[3]) out.year = Number(m[3]);
  if (m[4]) out.upvotes = Number(m[4]);
  return out;
}

function after(a: MonthDay, b: MonthDay): boolean {
  return a.month > b.month || (a.month === b.month && a.day > b.day);
}

/** The year a page was copied in; see the module comment for the rule. */
export function inferPageYear(pageDate: MonthDay | undefined, explicitYears: number[], today: string): number {
  const todayYear = Number(today.slice(0, 4));
  const todayMd = { month: Number(today.slice(5, 7)), day: Number(today.slice(8, 10)) };
  const upper = pageDate && after(pageDate, todayMd) ? todayYear - 1 : todayYear;
  if (explicitYears.length === 0) return upper;
  return Math.min(Math.max(...explicitYears) + 1, upper);
}

/** The day a listing date stands for, given the page's year and date. */
export function resolveListingDay(d: ListingDate, pageYear: number, pageDate: MonthDay | undefined): string | undefined {
  if (d.year) return dayFromParts(d.year, d.month, d.day);
  const year = pageDate && after(d, pageDate) ? pageYear - 1 : pageYear;
  return dayFromParts(year, d.month, d.day);
}
