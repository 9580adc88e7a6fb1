/**
 * bioRxiv and medRxiv through their public details API:
 * `GET {base}/details/{server}/{from}/{to}/{cursor}?category=…` lists every
 * version posted in a date window, 100 to a page, paged by a cursor (the
 * offset of the page's first entry). Both servers answer the same way.
 *
 * Resumable like the OAI harvest: the window's cursor is kept in the database
 * (`kv_state`) and written *after* each page's records are stored, so a run
 * killed half-way asks again for the page it may not have stored (the store
 * merges what it already has) and skips none. A window that finished is
 * fetched again from the start when asked again (its papers may have new
 * versions or a journal DOI since).
 */
import { parseBiorxivDetails } from '../parsers/biorxiv.ts';
import { addProblems, checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

export type PreprintServer = 'biorxiv' | 'medrxiv';

export interface BiorxivSpec {
  /** API root, e.g. https://api.biorxiv.org */
  baseUrl: string;
  server: PreprintServer;
  /** Inclusive posting-day window, YYYY-MM-DD. */
  from: string;
  to: string;
  /** The server's subject category as it spells it (`cell biology`, `neuroscience`); spaces or underscores. */
  category?: string;
}

export interface BiorxivState {
  cursor: number;
  total?: number;
  pages: number;
  done: boolean;
  updatedAt: string;
}

export function biorxivKey(spec: BiorxivSpec): string {
  return `harvest:${spec.server}:${spec.baseUrl}|${spec.category ?? ''}|${spec.from}|${spec.to}`;
}

/** The category as the API's query parameter wants it: lower case, words joined by `_`. */
export function categoryParam(category: string): string {
  const c = category.trim().toLowerCase().replace(/[\s_]+/g, '_');
  if (!/^[a-z][a-z_-]*$/.test(c)) throw new Error(`${category}: not a bioRxiv/medRxiv subject category (letters and spaces, e.g. "cell biology")`);
  return c;
}

export function detailsUrl(spec: BiorxivSpec, cursor: number): string {
  const u = new URL(`details/${spec.server}/${spec.from}/${spec.to}/${cursor}/json`, spec.baseUrl.replace(/\/+$/, '') + '/');
  if (spec.category) u.searchParams.set('category', categoryParam(spec.category));
  return u.toString();
}

export async function fetchBiorxiv(
  deps: FetchDeps,
  spec: BiorxivSpec,
  opts: { /** Stop (as if killed) after this many pages in this call: for tests and bounded runs. */ maxPages?: number } = {},
): Promise<FetchReport & { state: BiorxivState }> {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(spec.from) || !day.test(spec.to) || spec.from > spec.to) {
    throw new Error(`${spec.server}: bad window ${spec.from}..${spec.to} (expected YYYY-MM-DD, from ≤ to)`);
  }
  const report = emptyReport(spec.server);
  const key = biorxivKey(spec);
  const saved = (await deps.store.jobs.getState(key)) as BiorxivState | undefined;
  const state: BiorxivState = saved && !saved.done ? { ...saved } : { cursor: 0, pages: 0, done: false, updatedAt: deps.now().toISOString() };
  if (saved && !saved.done) deps.log?.(`${spec.server}: resuming ${spec.from}..${spec.to} at entry ${saved.cursor}`);
  let pagesThisCall = 0;
  while (!state.done) {
    checkAborted(deps);
    if (opts.maxPages !== undefined && pagesThisCall >= opts.maxPages) break;
    const url = detailsUrl(spec, state.cursor);
    const res = await deps.client.getText(url, { accept: 'application/json' });
    report.requests++;
    pagesThisCall++;
    const page = parseBiorxivDetails(res.text, { name: url, seenAt: deps.now().toISOString(), server: spec.server });
    // A body that is not the API's answer at all (an HTML error page with status 200) fails the run so it is retried, progress kept.
    if (page.unreadable) throw new Error(`${spec.server}: ${url} did not return the details list: ${page.unreadable}`);
    addProblems(report, page.problems);
    await storePage(deps, report, page.records);
    state.pages++;
    state.total = page.total ?? state.total;
    state.cursor += page.count;
    // The last page is short or empty; `total` may grow while a window is read (new posts), so it is re-read every page.
    state.done = page.count === 0 || state.total === undefined || state.cursor >= state.total;
    state.updatedAt = deps.now().toISOString();
    await deps.store.jobs.putState(key, state, state.updatedAt);
    deps.log?.(`${spec.server} ${spec.from}..${spec.to}: ${state.cursor}/${state.total ?? '?'} entries`);
  }
  report.notes = { window: `${spec.from}..${spec.to}`, category: spec.category ?? null, cursor: state.cursor, total: state.total ?? null, done: state.done };
  return Object.assign(report, { state });
}
