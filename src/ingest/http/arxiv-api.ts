/**
 * The arXiv API (`export.arxiv.org/api/query`): queries by category and
 * submission-date range, by author, by id list, or any search expression,
 * paged with `start`/`max_results` until the OpenSearch total is reached.
 * Responses are parsed by the Atom importer (src/ingest/parsers/arxiv-atom.ts)
 * and stored page by page.
 */
import type { PaperRecord } from '../../paper/types.ts';
import { parseArxivAtom } from '../parsers/arxiv-atom.ts';
import { addProblems, checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

/** `YYYY-MM-DD` → arXiv's `YYYYMMDDHHMM` (start or end of the day, GMT). */
function stamp(day: string, end: boolean): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`expected a day as YYYY-MM-DD, got "${day}"`);
  return `${day.replace(/-/g, '')}${end ? '2359' : '0000'}`;
}

/** `(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202503010000 TO 202503042359]`. */
export function categoryQuery(categories: string[], from?: string, to?: string): string {
  if (!categories.length && !from) throw new Error('arxiv-api: give categories and/or a date range');
  const parts: string[] = [];
  if (categories.length) {
    const cats = categories.map((c) => `cat:${c}`);
    parts.push(cats.length > 1 ? `(${cats.join(' OR ')})` : cats[0]);
  }
  if (from) parts.push(`submittedDate:[${stamp(from, false)} TO ${stamp(to ?? from, true)}]`);
  return parts.join(' AND ');
}

/** `au:"Ada Lovelace"`: arXiv matches author names as a phrase. */
export function authorQuery(name: string): string {
  const clean = name.replace(/["()]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) throw new Error('arxiv-api: empty author name');
  return `au:"${clean}"`;
}

/** A phrase for a field, with the characters arXiv's query parser treats specially removed. */
export function phrase(field: 'ti' | 'abs' | 'all', text: string): string {
  return `${field}:"${text.replace(/["():\\[\]]/g, ' ').replace(/\s+/g, ' ').trim()}"`;
}

export interface ApiQuery {
  /** A search expression (`search_query`). */
  search?: string;
  /** Explicit ids (`id_list`); combined with `search` the API filters the ids by it. */
  ids?: string[];
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
  sortOrder?: 'ascending' | 'descending';
  /** Stop after this many records (default: all the API reports). */
  maxResults?: number;
}

export interface ApiOptions {
  baseUrl: string;
  pageSize: number;
}

export function queryUrl(base: string, q: ApiQuery, start: number, max: number): string {
  const u = new URL(base);
  if (q.search) u.searchParams.set('search_query', q.search);
  if (q.ids?.length) u.searchParams.set('id_list', q.ids.join(','));
  u.searchParams.set('start', String(start));
  u.searchParams.set('max_results', String(max));
  if (q.sortBy) u.searchParams.set('sortBy', q.sortBy);
  if (q.sortOrder) u.searchParams.set('sortOrder', q.sortOrder);
  return u.toString();
}

/** arXiv occasionally answers a page with no entries although the total says more; asking again usually helps. */
const EMPTY_PAGE_RETRIES = 2;

/**
 * Runs a query through every page and hands each page's records to `onPage`.
 * Throws on an API error report (a bad query will not get better by retrying).
 */
export async function queryPages(
  deps: FetchDeps,
  opts: ApiOptions,
  q: ApiQuery,
  report: FetchReport,
  onPage: (records: PaperRecord[]) => Promise<void>,
): Promise<void> {
  const limit = q.maxResults ?? Infinity;
  let start = 0;
  let total = Infinity;
  let emptyRetries = 0;
  while (start < Math.min(total, limit)) {
    checkAborted(deps);
    const size = Math.min(opts.pageSize, limit - start, q.ids?.length && !q.search ? q.ids.length : Infinity);
    const url = queryUrl(opts.baseUrl, q, start, size);
    const res = await deps.client.getText(url, { accept: 'application/atom+xml' });
    report.requests++;
    const now = deps.now();
    const page = parseArxivAtom(res.text, { name: url, seenAt: now.toISOString(), today: now.toISOString().slice(0, 10) });
    if (page.error) throw new Error(`arXiv API rejected the query ${url}: ${page.error}`);
    const broken = page.problems.find((p) => /malformed XML/.test(p.message));
    if (broken) throw new Error(`arXiv API sent a malformed page (${url}): ${broken.message}`);
    addProblems(report, page.problems);
    if (page.totalResults !== undefined) total = page.totalResults;
    else if (!page.records.length) total = start;
    if (!page.records.length) {
      if (start < total && emptyRetries < EMPTY_PAGE_RETRIES) {
        emptyRetries++;
        deps.log?.(`arxiv-api: empty page at ${start} of ${total}; asking again`);
        continue;
      }
      if (start < total) report.notes.incomplete = `stopped at ${start} of ${total}: the API kept answering with empty pages`;
      break;
    }
    emptyRetries = 0;
    await onPage(page.records);
    start += page.records.length;
    deps.log?.(`arxiv-api: ${Math.min(start, total)}/${Number.isFinite(total) ? total : '?'} records`);
  }
  report.notes.total = Number.isFinite(total) ? total : undefined;
}

/** Fetches and stores everything a query returns. */
export async function fetchArxivApi(deps: FetchDeps, opts: ApiOptions, q: ApiQuery): Promise<FetchReport> {
  const report = emptyReport('arxiv-api');
  report.notes.query = q.search ?? `id_list=${(q.ids ?? []).length} ids`;
  await queryPages(deps, opts, q, report, (records) => storePage(deps, report, records));
  return report;
}

/** Fetches papers by arXiv id, in chunks the API accepts in one URL. */
export async function fetchArxivIds(deps: FetchDeps, opts: ApiOptions, ids: string[]): Promise<FetchReport> {
  const report = emptyReport('arxiv-api');
  const chunk = Math.min(opts.pageSize, 100);
  for (let i = 0; i < ids.length; i += chunk) {
    await queryPages(deps, opts, { ids: ids.slice(i, i + chunk) }, report, (records) => storePage(deps, report, records));
  }
  return report;
}
