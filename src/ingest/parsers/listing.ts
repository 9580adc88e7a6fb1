/**
 * Pasted listing text: what a person gets by selecting a web page of papers
 * and copying it. Three shapes are understood, also mixed in one file:
 *
 * - Daily Papers pages (Hugging Face): page header and date, then per paper a
 *   title line, an abstract snippet, and optional metadata lines
 *   (`• 5 authors`, an organisation line such as `qualcomm Qualcomm`, `·`,
 *   a date with optional upvotes: `Jun 26 2`). Dates without a year get one
 *   by the rule in listing/dates.ts.
 * - Publication lists: `LGSep 9, 2023` (category code + date), then the
 *   title with the authors glued on (listing/authors.ts), then the abstract.
 * - `Abstract:` blocks with no title: papers known by their abstract only,
 *   which the store matches to titled papers by the abstract's opening words.
 *
 * Blank lines, CRLF, non-breaking spaces and a page pasted twice are fine.
 */
import type { PaperRecord, ParseResult } from '../../paper/types.ts';
import { splitTitleAuthors } from '../listing/authors.ts';
import { inferPageYear, resolveListingDay, type ListingDate, type MonthDay } from '../listing/dates.ts';
import { classifyLine, isProse, splitAbstractMarkers, type ListingLine } from '../listing/lines.ts';
import { endsLikeSentence } from '../text.ts';
import type { ParseContext } from '../types.ts';

interface Draft {
  line: number;
  /** Opened by a publication-list category+date line: the next text line is title+authors. */
  fromList: boolean;
  title?: string;
  authors?: string[];
  etAl?: boolean;
  abstract?: string;
  /** `Abstract:` stood alone; the abstract is the next text line. */
  awaitingAbstract?: boolean;
  /** The last line taken was the abstract (so a following prose line continues it). */
  lastWasAbstract?: boolean;
  authorCount?: number;
  organization?: string;
  category?: string;
  date?: ListingDate;
  /** A date line ended this paper's metadata: the next text line starts another paper. */
  closed?: boolean;
  page: Page;
}

interface Page {
  date?: MonthDay;
  years: number[];
}

interface Numbered {
  no: number;
  line: ListingLine;
}

/** A short line just before a `·` or date line, under an abstract: `qualcomm Qualcomm` (avatar handle, name). */
function organisationName(text: string): string {
  const words = text.split(' ');
  if (words.length >= 2 && !/\s/.test(words[0])) {
    const rest = words.slice(1).join(' ');
    return rest;
  }
  return text;
}

function nextMeaningful(lines: Numbered[], i: number): ListingLine | undefined {
  for (let j = i + 1; j < lines.length; j++) if (lines[j].line.kind !== 'blank') return lines[j].line;
  return undefined;
}

function toRecord(d: Draft, ctx: ParseContext, pageYear: (p: Page) => number): PaperRecord {
  const rec: PaperRecord = { source: { kind: 'listing', locator: `${ctx.name}:${d.line}`, seenAt: ctx.seenAt } };
  if (d.title) rec.title = d.title;
  if (d.abstract) {
    rec.abstract = d.abstract;
    if (!endsLikeSentence(d.abstract)) rec.abstractTruncated = true;
  }
  if (d.authors?.length) {
    rec.authors = d.authors;
    if (d.etAl) rec.authorsComplete = false;
  }
  if (d.authorCount) rec.authorCount = d.authorCount;
  if (d.category) rec.categories = [d.category];
  if (d.date) {
    const day = resolveListingDay(d.date, pageYear(d.page), d.page.date);
    if (day) {
      rec.published = day;
      if (d.date.year === undefined) rec.publishedYearGuessed = true;
    }
  }
  const signals: NonNullable<PaperRecord['signals']> = {};
  if (d.date?.upvotes !== undefined) signals.upvotes = d.date.upvotes;
  if (d.organization) signals.organization = d.organization;
  if (Object.keys(signals).length) rec.signals = signals;
  return rec;
}

export function parseListing(text: string, ctx: ParseContext): ParseResult {
  const lines: Numbered[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      for (const piece of splitAbstractMarkers(raw)) lines.push({ no: i + 1, line: classifyLine(piece) });
    });

  const drafts: Draft[] = [];
  let page: Page = { years: [] };
  const pages: Page[] = [page];
  let cur: Draft | undefined;
  let expectPageDate = false;
  const open = (d: Omit<Draft, 'page'>): Draft => {
    cur = { ...d, page };
    drafts.push(cur);
    return cur;
  };

  lines.forEach(({ no, line }, i) => {
    switch (line.kind) {
      case 'blank':
      case 'separator':
        return;
      case 'chrome':
        cur = undefined;
        if (line.pageStart && !expectPageDate) {
          // A new page (or the same page pasted again): its own date and years.
          if (page.date || page.years.length || drafts.some((d) => d.page === page)) {
            page = { years: [] };
            pages.push(page);
          }
          expectPageDate = true;
        }
        return;
      case 'date': {
        const d = line.date;
        if (expectPageDate && !cur && d.year === undefined && d.upvotes === undefined) {
          page.date = { month: d.month, day: d.day };
          expectPageDate = false;
          return;
        }
        expectPageDate = false;
        if (d.year) page.years.push(d.year);
        if (cur && !cur.closed) {
          cur.date = d;
          cur.closed = true;
        }
        return;
      }
      case 'authorCount':
        if (cur && !cur.closed) cur.authorCount = line.count;
        return;
      case 'categoryDate':
        expectPageDate = false;
        if (line.date.year) page.years.push(line.date.year);
        open({ line: no, fromList: true, category: line.category, date: line.date });
        return;
      case 'abstract': {
        expectPageDate = false;
        const c = cur;
        if (c && !c.closed && !c.abstract && (c.title || c.fromList)) {
          if (line.text) {
            c.abstract = line.text;
            c.lastWasAbstract = true;
          } else c.awaitingAbstract = true;
        } else {
          const d = open({ line: no, fromList: false });
          if (line.text) {
            d.abstract = line.text;
            d.lastWasAbstract = true;
          } else d.awaitingAbstract = true;
        }
        return;
      }
      case 'text': {
        expectPageDate = false;
        const t = line.text;
        const c = cur;
        if (c?.awaitingAbstract) {
          c.abstract = t;
          c.awaitingAbstract = false;
          c.lastWasAbstract = true;
          return;
        }
        if (c && c.fromList && !c.title && !c.abstract) {
          const split = splitTitleAuthors(t);
          c.title = split.title;
          if (split.authors) {
            c.authors = split.authors;
            c.etAl = split.etAl;
          }
          return;
        }
        const next = nextMeaningful(lines, i);
        if (c && !c.closed && (c.abstract || c.title) && t.length <= 80 && (next?.kind === 'separator' || next?.kind === 'date')) {
          c.organization = organisationName(t);
          c.lastWasAbstract = false;
          return;
        }
        if (c && !c.closed && c.title && !c.abstract && looksLikeAbstract(t, c.title)) {
          c.abstract = t;
          c.lastWasAbstract = true;
          return;
        }
        if (c && !c.closed && c.title && c.abstract && c.lastWasAbstract && isProse(t)) {
          c.abstract += ` ${t}`;
          return;
        }
        if (isProse(t)) {
          const d = open({ line: no, fromList: false });
          d.abstract = t;
          d.lastWasAbstract = true;
          return;
        }
        const split = / et al\.?$/i.test(t) ? splitTitleAuthors(t) : { title: t, authors: undefined, etAl: false };
        const d = open({ line: no, fromList: false, title: split.title });
        if (split.authors) {
          d.authors = split.authors;
          d.etAl = split.etAl;
        }
        return;
      }
    }
  });

  const years = new Map<Page, number>();
  const pageYear = (p: Page) => {
    let y = years.get(p);
    if (y === undefined) years.set(p, (y = inferPageYear(p.date, p.years, ctx.today)));
    return y;
  };
  const records = drafts.filter((d) => d.title || d.abstract).map((d) => toRecord(d, ctx, pageYear));
  return { records, problems: [] };
}

/** Right after a title, is this line its abstract rather than the next title? */
function looksLikeAbstract(text: string, title: string): boolean {
  if (isProse(text)) return true;
  if (/(?:\.\.\.|…)$/.test(text)) return true;
  return text.length > 100 && text.length > title.length * 1.5;
}
