/**
 * OAI-PMH harvesting (ListRecords) for bulk back-fill, resumable after an
 * interruption without duplicates or gaps.
 *
 * The window [from, until] is cut into chunks of `chunkDays`. The harvest's
 * progress — current chunk, resumption token, cursor, counts — is kept in the
 * database (`kv_state`) and written *after* each page's records are stored:
 *  - killed after storing a page but before saving progress: the restart asks
 *    for that page again with the previous token; the store merges the records
 *    it already has (upserts are idempotent), so nothing is duplicated;
 *  - progress is never saved ahead of stored records, so nothing is skipped.
 * A token that expired while the harvest was stopped (`badResumptionToken`)
 * restarts the current chunk from its beginning, again relying on idempotent
 * upserts; finished chunks are never fetched again. A page whose XML is broken
 * is asked for again (a few times) rather than half-applied: its resumption
 * token is at the end and would be lost.
 */
import { addDays } from '../../paper/days.ts';
import { parseOaiPmh } from '../parsers/oai-pmh.ts';
import { addProblems, checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

export interface HarvestSpec {
  baseUrl: string;
  metadataPrefix: 'arXiv' | 'arXivRaw';
  set?: string;
  /** Inclusive datestamp window, YYYY-MM-DD. */
  from: string;
  until: string;
  chunkDays: number;
}

export interface HarvestState {
  /** First day of the chunk being harvested. */
  chunkFrom: string;
  /** Resumption token for the next page of the current chunk; absent at a chunk's start. */
  token?: string;
  cursor?: number;
  completeListSize?: number;
  pages: number;
  records: number;
  deleted: number;
  restarts: number;
  done: boolean;
  updatedAt: string;
}

export function harvestKey(spec: HarvestSpec): string {
  return `harvest:oai:${spec.baseUrl}|${spec.metadataPrefix}|${spec.set ?? ''}|${spec.from}|${spec.until}`;
}

const BROKEN_PAGE_RETRIES = 3;
const TOKEN_RESTARTS = 3;

export async function harvestOai(
  deps: FetchDeps,
  spec: HarvestSpec,
  opts: { /** Stop (as if killed) after this many pages in this call: for tests and bounded runs. */ maxPages?: number } = {},
): Promise<FetchReport & { state: HarvestState }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.from) || !/^\d{4}-\d{2}-\d{2}$/.test(spec.until) || spec.from > spec.until) {
    throw new Error(`arxiv-oai: bad window ${spec.from}..${spec.until} (expected YYYY-MM-DD, from ≤ until)`);
  }
  const key = harvestKey(spec);
  const nowIso = () => deps.now().toISOString();
  const saved = (await deps.store.jobs.getState(key)) as HarvestState | undefined;
  const state: HarvestState = saved ?? { chunkFrom: spec.from, pages: 0, records: 0, deleted: 0, restarts: 0, done: false, updatedAt: nowIso() };
  const report = emptyReport('arxiv-oai');
  if (saved && !saved.done) deps.log?.(`arxiv-oai: resuming at chunk ${saved.chunkFrom}${saved.token ? ` with token ${saved.token} (cursor ${saved.cursor ?? '?'})` : ''}`);
  let pagesThisRun = 0;
  let broken = 0;
  let tokenRestarts = 0;
  while (!state.done) {
    checkAborted(deps);
    if (opts.maxPages !== undefined && pagesThisRun >= opts.maxPages) break;
    const chunkUntil = [addDays(state.chunkFrom, spec.chunkDays - 1), spec.until].sort()[0];
    const u = new URL(spec.baseUrl);
    u.searchParams.set('verb', 'ListRecords');
    if (state.token) {
      u.searchParams.set('resumptionToken', state.token);
    } else {
      u.searchParams.set('metadataPrefix', spec.metadataPrefix);
      u.searchParams.set('from', state.chunkFrom);
      u.searchParams.set('until', chunkUntil);
      if (spec.set) u.searchParams.set('set', spec.set);
    }
    const url = u.toString();
    const res = await deps.client.getText(url, { accept: 'text/xml, application/xml' });
    report.requests++;
    const now = deps.now();
    const page = parseOaiPmh(res.text, { name: url, seenAt: now.toISOString(), today: now.toISOString().slice(0, 10) });
    const brokenXml = page.problems.find((p) => /malformed XML/.test(p.message));
    if (brokenXml) {
      if (++broken > BROKEN_PAGE_RETRIES) throw new Error(`arxiv-oai: ${url} kept sending malformed XML: ${brokenXml.message}`);
      deps.log?.(`arxiv-oai: malformed page (${brokenXml.message}); asking again`);
      continue;
    }
    broken = 0;
    const codes = page.errors.map((e) => e.code);
    let chunkDone = false;
    if (codes.includes('noRecordsMatch')) {
      chunkDone = true;
    } else if (codes.includes('badResumptionToken')) {
      if (++tokenRestarts > TOKEN_RESTARTS) throw new Error(`arxiv-oai: resumption token refused ${tokenRestarts} times at ${url}`);
      deps.log?.(`arxiv-oai: token ${state.token} refused (expired?); restarting chunk ${state.chunkFrom}..${chunkUntil} — stored records merge, none duplicate`);
      state.token = undefined;
      state.cursor = undefined;
      state.restarts++;
      state.updatedAt = nowIso();
      await deps.store.jobs.putState(key, state, state.updatedAt);
      continue;
    } else if (page.errors.length) {
      throw new Error(`arxiv-oai: ${url} → OAI error ${page.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
    }
    addProblems(report, page.problems);
    await storePage(deps, report, page.records);
    state.pages++;
    pagesThisRun++;
    state.records += page.records.length;
    state.deleted += page.deleted.length;
    const rt = page.resumptionToken;
    if (!chunkDone && rt?.value) {
      state.token = rt.value;
      state.cursor = rt.cursor;
      state.completeListSize = rt.completeListSize;
    } else {
      chunkDone = true;
    }
    if (chunkDone) {
      state.token = undefined;
      state.cursor = undefined;
      state.completeListSize = undefined;
      state.chunkFrom = addDays(chunkUntil, 1);
      if (state.chunkFrom > spec.until) state.done = true;
    }
    state.updatedAt = nowIso();
    // Saved only now, after the page's records are committed: see the header comment.
    await deps.store.jobs.putState(key, state, state.updatedAt);
    deps.log?.(
      `arxiv-oai: page ${state.pages} (${page.records.length} records${rt?.completeListSize ? `, ${Math.min((rt.cursor ?? 0) + page.records.length + page.deleted.length, rt.completeListSize)}/${rt.completeListSize} in chunk` : ''})${state.done ? ' — harvest complete' : ''}`,
    );
  }
  report.notes = { window: `${spec.from}..${spec.until}`, set: spec.set, done: state.done, pages: state.pages, restarts: state.restarts, deleted: state.deleted };
  return Object.assign(report, { state });
}
