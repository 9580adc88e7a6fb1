/**
 * Imports inputs into a store: read (streaming), validate, upsert in
 * batches of one transaction each. An interrupted import leaves every
 * committed batch in place and nothing of the one in flight; running it
 * again finishes the job, since upserts are idempotent. Free of CLI
 * concerns: the CLI and the web upload both call `importInputs`.
 */
import { NO_IDENTITY, validateRecord } from '../paper/record.ts';
import type { PaperRecord, Problem } from '../paper/types.ts';
import type { ImportCounts, Store } from '../store/types.ts';
import { runAfterImport, type AfterImportHook, type HookOutcome } from './after-import.ts';
import { UnreadableInputError } from './errors.ts';
import { openInput } from './read.ts';
import type { FileReport, ImportReport, InputSpec } from './types.ts';

export { runAfterImport, type AfterImportHook } from './after-import.ts';

async function dueHooks(store: Store, hooks: readonly AfterImportHook[]): Promise<readonly AfterImportHook[]> {
  const out: AfterImportHook[] = [];
  for (const h of hooks) if (await h.due?.(store).catch(() => false)) out.push(h);
  return out;
}

export const DEFAULT_BATCH_SIZE = 1000;
/** Records per transaction in a bulk load (no index upkeep in it, so a bigger batch only saves commits). */
export const BULK_BATCH_SIZE = 5000;
/**
 * An import switches to a bulk load once it has added this many papers, and
 * at least a quarter as many as the store held when it began. A bulk load
 * saves about five times what its final rebuild costs per paper
 * (bench/import.ts), and the rebuild covers every stored paper, not only the
 * new ones: switching at a quarter of the stored papers bounds the worst case
 * (the import ends right after the switch) to about twice the incremental cost,
 * and a big import into an empty or small database switches early.
 */
export const BULK_AFTER = 10_000;
/** Problems kept per file in the report (the totals count all of them). */
export const MAX_LISTED_PROBLEMS = 1000;

export interface ImportProgress {
  /** Input being read, as given. */
  file: string;
  fileIndex: number;
  files: number;
  bytesRead: number;
  totalBytes?: number;
  /** Records read from this input so far. */
  records: number;
  /** Counts over the whole import so far. */
  counts: ImportCounts;
}

export interface ImportOptions {
  now: () => Date;
  /** Day for listings that omit the year (default: `now()`'s UTC day). */
  today?: string;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Progress lines of the after-import work (index refresh), which can take as long as the import. */
  onHookProgress?: (message: string) => void;
  /** Hooks to run once after an import that changed papers, or that is `due` for its own reasons (default: none). */
  afterImport?: readonly AfterImportHook[];
  /**
   * Bulk load (store.bulk: full-text and secondary index upkeep deferred to one
   * rebuild at the end): `auto` (default) switches to it once the import has
   * added BULK_AFTER papers and a quarter of the stored count; `always` from
   * the first batch; `never` keeps the incremental path. A bulk load a killed
   * import left behind is carried on and finished whatever this says.
   */
  bulk?: 'auto' | 'always' | 'never';
  /** Papers added before `auto` may switch (default BULK_AFTER). */
  bulkAfter?: number;
  /** Progress lines of a bulk load: when it begins, and each phase of its final rebuild. */
  onBulkProgress?: (message: string) => void;
}

export type ImportResult = ImportReport & { hooks: HookOutcome[] };

const zero = (): ImportCounts => ({ added: 0, updated: 0, unchanged: 0, merged: 0 });

function addCounts(into: ImportCounts, from: ImportCounts): void {
  into.added += from.added;
  into.updated += from.updated;
  into.unchanged += from.unchanged;
  into.merged += from.merged;
}

function inputName(input: InputSpec): string {
  return 'path' in input ? input.path : input.name;
}

/** SQLite result codes of the database itself (locked, full, read-only, broken), not of one record. */
const SQLITE_FAILURE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CORRUPT|NOTADB|CANTOPEN|NOMEM)/;
/** Socket-level errors of a database connection. */
const NET_FAILURE = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;
/**
 * PostgreSQL SQLSTATE classes that are about the server or the connection:
 * 08 connection exception, 40 transaction rollback (serialization failure,
 * deadlock), 53 insufficient resources (disk full, out of memory, too many
 * connections), 57 operator intervention (admin shutdown, crash recovery).
 */
const PG_FAILURE_CLASSES = new Set(['08', '40', '53', '57']);
/** What node-postgres says, without a code, when the connection or pool is gone. */
const PG_CONNECTION_GONE = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end|timeout exceeded when trying to connect/i;

/**
 * Errors of the database itself, not of a record: retrying record by record
 * cannot help (each retry would fail the same way and be misreported as that
 * record's fault), so the batch is abandoned and the error thrown.
 */
export function isStoreFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (SQLITE_FAILURE.test(code) || NET_FAILURE.test(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && PG_FAILURE_CLASSES.has(code.slice(0, 2))) return true;
    if (PG_CONNECTION_GONE.test(String((e as { message?: unknown }).message ?? ''))) return true;
  }
  return false;
}

/**
 * A JSON or JSON Lines file none of whose records has anything of a paper (a
 * package.json, a settings file): refused as a whole, with what was expected,
 * rather than reported as N rejected "papers".
 */
function isNotPapers(r: FileReport, unidentified: number): boolean {
  return (r.format === 'json' || r.format === 'jsonl') && r.records > 0 && unidentified === r.records;
}

function notPapersMessage(r: FileReport): string {
  return (
    `not a file of papers: none of its ${r.records} ${r.format === 'jsonl' ? 'line' : 'record'}${r.records === 1 ? '' : 's'} has a title, an abstract or an identifier; ` +
    'expected JSON (an array, or an object with an items/papers list) or JSON Lines of objects with fields such as title, abstract, authors, arxiv_id or doi. Nothing was stored.'
  );
}

class FileState {
  readonly report: FileReport;
  constructor(name: string) {
    this.report = { name, format: null, records: 0, counts: zero(), rejected: [], rejectedTotal: 0, warnings: [], warningsTotal: 0 };
  }
  problem(p: Problem): void {
    if (p.severity === 'error') {
      this.report.rejectedTotal++;
      if (this.report.rejected.length < MAX_LISTED_PROBLEMS) this.report.rejected.push(p);
    } else {
      this.report.warningsTotal++;
      if (this.report.warnings.length < MAX_LISTED_PROBLEMS) this.report.warnings.push(p);
    }
  }
}

/**
 * Upserts one batch in one transaction. When the batch fails for a reason in
 * its records (the store rolled it back), each record is retried alone so
 * the good ones land and the bad one is reported; a failure of the store
 * itself is thrown.
 */
async function storeBatch(store: Store, batch: PaperRecord[], now: string, file: FileState, totals: ImportCounts): Promise<void> {
  try {
    const r = await store.papers.upsertPapers(batch, now);
    addCounts(file.report.counts, r.counts);
    addCounts(totals, r.counts);
    return;
  } catch (err) {
    if (isStoreFailure(err)) throw err;
    if (batch.length === 1) {
      file.problem({ locator: batch[0].source.locator, severity: 'error', message: `could not be stored: ${(err as Error).message}` });
      return;
    }
  }
  let failed = 0;
  let lastError: unknown;
  for (const rec of batch) {
    try {
      const r = await store.papers.upsertPapers([rec], now);
      addCounts(file.report.counts, r.counts);
      addCounts(totals, r.counts);
    } catch (err) {
      if (isStoreFailure(err)) throw err;
      failed++;
      lastError = err;
      file.problem({ locator: rec.source.locator, severity: 'error', message: `could not be stored: ${(err as Error).message}` });
    }
  }
  if (failed === batch.length) throw lastError;
}

interface BulkSwitch {
  readonly on: boolean;
  /** After each stored batch: begins the bulk load when the import has grown into one. */
  afterBatch(added: number): Promise<void>;
  /** Rebuilds what the bulk load deferred, when one ran (or a killed one was pending). */
  finish(): Promise<void>;
}

async function bulkLoad(store: Store, opts: ImportOptions): Promise<BulkSwitch> {
  const part = store.bulk;
  const mode = opts.bulk ?? 'auto';
  const say = (m: string) => opts.onBulkProgress?.(m);
  let on = false;
  const begin = async (why: string) => {
    const state = await part!.begin(opts.now().toISOString());
    on = true;
    say(`bulk load: ${why}; full-text and secondary index upkeep (${state.deferred.length} triggers and indexes) deferred to one rebuild at the end`);
  };
  if (part) {
    const pending = await part.pending();
    if (pending) await begin(`resuming the bulk load begun ${pending.startedAt}${pending.runningIn ? ` (taken over from ${pending.runningIn})` : ''}`);
    else if (mode === 'always') await begin('asked for');
  }
  const threshold = part && !on && mode === 'auto' ? Math.max(opts.bulkAfter ?? BULK_AFTER, Math.ceil((await part.storedPapers()) / 4)) : Infinity;
  return {
    get on() {
      return on;
    },
    async afterBatch(added) {
      if (!on && added >= threshold) await begin(`${added.toLocaleString('en')} papers added so far`);
    },
    async finish() {
      if (on) await part!.finish(say);
    },
  };
}

/**
 * Reads, validates and stores each input in turn; an input that cannot be
 * read at all is reported (`unreadable`) and the others still import.
 * Throws only when the store itself fails; batches committed before stay.
 */
export async function importInputs(store: Store, inputs: InputSpec[], opts: ImportOptions): Promise<ImportResult> {
  const seenAt = opts.now().toISOString();
  const today = opts.today ?? seenAt.slice(0, 10);
  const totals = zero();
  const files: FileReport[] = [];
  const bulk = await bulkLoad(store, opts);
  const batchSizeNow = () => Math.max(1, opts.batchSize ?? (bulk.on ? BULK_BATCH_SIZE : DEFAULT_BATCH_SIZE));

  for (const [fileIndex, input] of inputs.entries()) {
    const file = new FileState(inputName(input));
    files.push(file.report);
    let bytesRead = 0;
    let totalBytes: number | undefined;
    const progress = () =>
      opts.onProgress?.({ file: file.report.name, fileIndex, files: inputs.length, bytesRead, totalBytes, records: file.report.records, counts: { ...totals } });
    let opened;
    try {
      opened = await openInput(input, {
        seenAt,
        today,
        onProgress: (p) => {
          bytesRead = p.bytesRead;
          totalBytes = p.totalBytes;
        },
      });
    } catch (err) {
      if (!(err instanceof UnreadableInputError)) throw err;
      file.report.unreadable = err.reason;
      continue;
    }
    file.report.format = opened.format;
    if (opened.gzip) file.report.gzip = true;
    totalBytes = opened.totalBytes;
    progress();

    let batch: PaperRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      await storeBatch(store, records, opts.now().toISOString(), file, totals);
      await bulk.afterBatch(totals.added);
      progress();
      // Reading and storing resolve in microtasks when the data is buffered; a
      // turn of the event loop per batch lets a server answer requests, and stop
      // when told to, while an import runs.
      await new Promise((resolve) => setImmediate(resolve));
    };
    let unidentified = 0;
    for await (const item of opened.items) {
      if ('problem' in item) {
        file.problem(item.problem);
        continue;
      }
      file.report.records++;
      const { record, problems } = validateRecord(item.record);
      for (const p of problems) file.problem(p);
      if (!record) {
        if (problems.some((p) => p.message === NO_IDENTITY)) unidentified++;
        continue;
      }
      batch.push(record);
      if (batch.length >= batchSizeNow()) await flush();
    }
    await flush();
    if (isNotPapers(file.report, unidentified)) {
      file.report.unreadable = notPapersMessage(file.report);
      file.report.rejected = [];
    }
  }

  const report: ImportReport = {
    files,
    totals: {
      ...totals,
      records: files.reduce((s, f) => s + f.records, 0),
      rejected: files.reduce((s, f) => s + f.rejectedTotal, 0),
      warnings: files.reduce((s, f) => s + f.warningsTotal, 0),
      unreadable: files.filter((f) => f.unreadable !== undefined).length,
    },
  };
  await bulk.finish();
  const changed = totals.added + totals.updated + totals.merged > 0;
  const hooks = opts.afterImport ?? [];
  // Nothing changed, but a hook whose last run was cut short (a killed index build) still has work.
  const due = changed ? hooks : await dueHooks(store, hooks);
  const outcomes = due.length ? await runAfterImport(store, report, due, { onProgress: opts.onHookProgress }) : [];
  return { ...report, hooks: outcomes };
}
