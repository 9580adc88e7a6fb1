/**
 * Paper rows of the SQLite store: which columns a paper is read from, and
 * the JSON its `data` column holds.
 */
import type { Paper } from '../../paper/types.ts';
import type { StoredPaper } from '../types.ts';

export interface PaperRow {
  pk: number;
  data: string;
  seq: number;
  title_rank: number;
  fingerprint: string;
  title: string;
  abstract: string;
}

/** What `rowToPaper` reads, for `SELECT ${PAPER_COLUMNS} FROM papers` (or with a table alias: `paperColumns('p')`). */
export const paperColumns = (alias?: string) => ['pk', 'data', 'seq', 'title_rank', 'fingerprint', 'title', 'abstract'].map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
export const PAPER_COLUMNS = paperColumns();

/**
 * The `data` column: the merged record as JSON without its title and
 * abstract, which the row holds in their own columns already. Storing them
 * twice made a row with a full abstract about 3.3 KB, more than fits twice in
 * a 4 KB page and often with an overflow page; without the copy a database
 * of synthetic papers is 16% smaller and a paper is parsed from less JSON.
 */
export function encodePaperData(paper: Paper): string {
  const { title, abstract, ...rest } = paper;
  // A TEXT column stores UTF-8: a lone surrogate would come back as U+FFFD, and the
  // re-import of the same record would look like a change. JSON keeps such text exact.
  if (!columnSafe(title) || !columnSafe(abstract)) return JSON.stringify(paper);
  return JSON.stringify(rest);
}

/** Text a TEXT column gives back exactly (`isWellFormed` is ES2024, in Node since 20). */
function columnSafe(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed() && !text.includes('\u0000');
}

/**
 * Rows written before `encodePaperData` (and rows whose text a column cannot
 * hold exactly) carry the title and abstract in `data` too, which wins.
 */
export function rowToPaper(row: PaperRow): StoredPaper {
  const data = JSON.parse(row.data) as Partial<Paper>;
  return { id: data.id!, title: row.title, abstract: row.abstract, ...data, pk: row.pk, seq: row.seq } as StoredPaper;
}
