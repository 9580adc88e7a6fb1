/**
 * The parts of paper reads that do not depend on the backend: both stores run
 * the same stats SQL (it is plain SQL both engines accept) and assemble the
 * change feed the same way, so the two cannot drift apart in what they report.
 */
import type { PaperChanges, StoredPaper, StoreStats } from './types.ts';

/**
 * Escapes LIKE's wildcards so a user's text matches literally. Backslash is the
 * escape character: PostgreSQL's default, and what SQLite callers name with
 * `ESCAPE '\'`.
 */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One statement for every count: a single statement reads one snapshot on
 * both engines, so the counts agree with each other while imports run (the
 * per-source breakdown is a second query).
 */
export const STATS_SQL = `SELECT (SELECT count(*) FROM papers) AS papers,
                (SELECT count(*) FROM profiles) AS profiles,
                (SELECT count(DISTINCT name_key) FROM paper_authors) AS authors,
                (SELECT count(*) FROM papers WHERE abstract <> '') AS with_abstract,
                (SELECT count(*) FROM papers WHERE title = '') AS without_title,
                (SELECT count(DISTINCT category) FROM paper_categories) AS categories,
                (SELECT min(listing_date) FROM papers) AS first,
                (SELECT max(listing_date) FROM papers) AS last`;

export const SOURCES_SQL = 'SELECT kind, count(DISTINCT pk) AS n FROM provenance GROUP BY kind ORDER BY kind';

export interface StatsRow {
  papers: number;
  profiles: number;
  authors: number;
  with_abstract: number;
  without_title: number;
  categories: number;
  first: string | null;
  last: string | null;
}

export function toStoreStats(s: StatsRow, sources: { kind: string; n: number }[]): StoreStats {
  return {
    papers: s.papers,
    profiles: s.profiles,
    authors: s.authors,
    withAbstract: s.with_abstract,
    withoutTitle: s.without_title,
    categories: s.categories,
    ...(s.first ? { firstDay: s.first } : {}),
    ...(s.last ? { lastDay: s.last } : {}),
    sources: Object.fromEntries(sources.map((r) => [r.kind, r.n])),
  };
}

/**
 * The change feed pairs a page of papers (`seq > after`, oldest first, at most
 * `limit`) with removals. When the page is full, only removals up to its last
 * paper belong to it (later ones come with the next page); otherwise all of them.
 */
export function removalsUpTo(page: { seq: number }[], limit: number): number {
  return page.length === limit && page.length > 0 ? page[page.length - 1].seq : Number.MAX_SAFE_INTEGER;
}

/** The feed's answer for one page: `lastSeq` covers both the papers and the removals returned. */
export function toChanges(after: number, papers: StoredPaper[], removed: { seq: number; pk: number }[]): PaperChanges {
  const lastPaper = papers.length ? papers[papers.length - 1].seq : after;
  const lastRemoved = removed.length ? removed[removed.length - 1].seq : after;
  return { papers, removed: removed.map((r) => r.pk), lastSeq: Math.max(after, lastPaper, lastRemoved) };
}
