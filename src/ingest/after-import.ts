/**
 * Work that runs after an import has changed the store, such as index
 * maintenance (vectors/hook.ts). `importInputs` and `runAfterFetch` run the
 * hooks their caller passes, once, at the end of an import that added,
 * updated or merged anything. Ingest knows no hooks itself: the layers above
 * it (the CLI, the web upload, jobs, profile seeding) choose which to run.
 */
import type { Store } from '../store/types.ts';
import type { ImportReport } from './types.ts';

export interface AfterImportHook {
  /** For messages: `refresh-indexes`. */
  name: string;
  run(store: Store, report: ImportReport, opts: { onProgress?: (message: string) => void }): Promise<void>;
  /**
   * Whether the hook has work even after an import that changed nothing (an
   * earlier run of it was cut short): then it runs anyway.
   */
  due?(store: Store): Promise<boolean>;
}

export interface HookOutcome {
  name: string;
  ok: boolean;
  error?: string;
}

/** Runs each hook in order; a failing hook is reported and does not stop the others (the import itself stands). */
export async function runAfterImport(
  store: Store,
  report: ImportReport,
  hooks: readonly AfterImportHook[],
  opts: { onProgress?: (message: string) => void } = {},
): Promise<HookOutcome[]> {
  const out: HookOutcome[] = [];
  for (const hook of hooks) {
    try {
      await hook.run(store, report, opts);
      out.push({ name: hook.name, ok: true });
    } catch (err) {
      out.push({ name: hook.name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
