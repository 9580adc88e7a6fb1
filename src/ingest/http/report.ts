/**
 * What every online fetcher needs and reports. Fetchers write through
 * `store.upsertPapers` page by page, so what was fetched before an
 * interruption is kept and a re-run merges rather than duplicates.
 */
import type { PaperRecord, Problem } from '../../paper/types.ts';
import type { ImportCounts, Store } from '../../store/types.ts';
import type { HttpClient } from './client.ts';

export interface FetchDeps {
  client: HttpClient;
  store: Store;
  now: () => Date;
  /** Progress lines (stderr in the CLI, the job log in the worker). */
  log?: (line: string) => void;
  /** Checked between pages: an aborted job stops at the next page boundary. */
  signal?: AbortSignal;
}

export interface FetchReport {
  source: string;
  requests: number;
  records: number;
  counts: ImportCounts;
  /** Capped list; `problemsTotal` counts all. */
  problems: Problem[];
  problemsTotal: number;
  /** Source-specific notes (pages, resumption, listing day). */
  notes: Record<string, unknown>;
}

const MAX_PROBLEMS = 50;

export function emptyReport(source: string): FetchReport {
  return { source, requests: 0, records: 0, counts: { added: 0, updated: 0, unchanged: 0, merged: 0 }, problems: [], problemsTotal: 0, notes: {} };
}

export function addProblems(report: FetchReport, problems: Problem[]): void {
  report.problemsTotal += problems.length;
  for (const p of problems) if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
}

/** Upserts one page of records and adds its counts to the report. */
export async function storePage(deps: FetchDeps, report: FetchReport, records: PaperRecord[]): Promise<void> {
  report.records += records.length;
  if (!records.length) return;
  const r = await deps.store.upsertPapers(records, deps.now().toISOString());
  report.counts.added += r.counts.added;
  report.counts.updated += r.counts.updated;
  report.counts.unchanged += r.counts.unchanged;
  report.counts.merged += r.counts.merged;
}

export function checkAborted(deps: FetchDeps): void {
  if (deps.signal?.aborted) throw deps.signal.reason instanceof Error ? deps.signal.reason : new Error('fetch aborted');
}

export function summarise(r: FetchReport): string {
  const c = r.counts;
  return `${r.source}: ${r.requests} request(s), ${r.records} record(s): ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.merged} merged${r.problemsTotal ? `, ${r.problemsTotal} problem(s)` : ''}`;
}
