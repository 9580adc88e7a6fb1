/**
 * What every online fetcher needs and reports. Fetchers write through
 * `store.upsertPapers` page by page, so what was fetched before an
 * interruption is kept and a re-run merges rather than duplicates.
 */
import { validateRecord } from '../../paper/record.ts';
import type { PaperRecord, Problem } from '../../paper/types.ts';
import type { ImportCounts, Store } from '../../store/types.ts';
import { runAfterImport, type AfterImportHook } from '../after-import.ts';
import type { ImportReport } from '../types.ts';
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

/**
 * Stores one page of fetched records the way `radar import` stores a file's:
 * each record is cleaned and bounded by `validateRecord` (an upstream is
 * untrusted input too), the page is upserted in one transaction, and if that
 * fails for a reason of the records (not of the database), record by record,
 * so one bad record is reported and the rest of the page lands.
 */
export async function storePage(deps: FetchDeps, report: FetchReport, records: PaperRecord[]): Promise<void> {
  report.records += records.length;
  const clean: PaperRecord[] = [];
  for (const r of records) {
    const v = validateRecord(r);
    addProblems(report, v.problems);
    if (v.record) clean.push(v.record);
  }
  if (!clean.length) return;
  const now = deps.now().toISOString();
  const add = (c: ImportCounts) => {
    report.counts.added += c.added;
    report.counts.updated += c.updated;
    report.counts.unchanged += c.unchanged;
    report.counts.merged += c.merged;
  };
  try {
    add((await deps.store.papers.upsertPapers(clean, now)).counts);
    return;
  } catch (err) {
    if (isStoreFailure(err) || clean.length === 1) throw err;
  }
  for (const rec of clean) {
    try {
      add((await deps.store.papers.upsertPapers([rec], now)).counts);
    } catch (err) {
      if (isStoreFailure(err)) throw err;
      addProblems(report, [{ locator: rec.source.locator, severity: 'error', message: `could not be stored: ${(err as Error).message}` }]);
    }
  }
}

/** The database itself failed (busy, full, gone): retrying record by record cannot help; the job is retried instead. */
function isStoreFailure(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^SQLITE_|^(08|53|57)/.test(code) || /ECONNREFUSED|ECONNRESET/.test(code);
}

/** One report for several runs of a source (one per subject category, say). */
export function combineReports(source: string, reports: FetchReport[]): FetchReport {
  if (reports.length === 1) return reports[0];
  const out = emptyReport(source);
  for (const r of reports) {
    out.requests += r.requests;
    out.records += r.records;
    for (const k of Object.keys(out.counts) as (keyof ImportCounts)[]) out.counts[k] += r.counts[k];
    out.problemsTotal += r.problemsTotal;
    for (const p of r.problems) if (out.problems.length < MAX_PROBLEMS) out.problems.push(p);
  }
  out.notes = { runs: reports.map((r) => r.notes) };
  return out;
}

export function checkAborted(deps: FetchDeps): void {
  if (deps.signal?.aborted) throw deps.signal.reason instanceof Error ? deps.signal.reason : new Error('fetch aborted');
}

export function summarise(r: FetchReport): string {
  const c = r.counts;
  return `${r.source}: ${r.requests} request(s), ${r.records} record(s): ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.merged} merged${r.problemsTotal ? `, ${r.problemsTotal} problem(s)` : ''}`;
}

/**
 * Runs the after-import hooks (index maintenance, src/ingest/after-import.ts)
 * when a fetch changed papers, exactly as `importInputs` does after a file
 * import, so fetched papers become searchable the same way.
 */
export async function runAfterFetch(store: Store, r: FetchReport, hooks: readonly AfterImportHook[], log?: (line: string) => void): Promise<void> {
  const c = r.counts;
  if (c.added + c.updated + c.merged === 0 || !hooks.length) return;
  const rejected = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity === 'warning');
  const report: ImportReport = {
    files: [
      {
        name: r.source,
        format: null,
        records: r.records,
        counts: { ...c },
        rejected,
        rejectedTotal: rejected.length,
        warnings,
        warningsTotal: warnings.length,
      },
    ],
    totals: { ...c, records: r.records, rejected: rejected.length, warnings: warnings.length, unreadable: 0 },
  };
  for (const o of await runAfterImport(store, report, hooks, { onProgress: log })) {
    if (!o.ok) log?.(`after-fetch ${o.name} failed: ${o.error}`);
  }
}
