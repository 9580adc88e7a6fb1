/**
 * Work that runs after an import has changed the store: index maintenance
 * (full-text extras, vectors, ANN) plugs in here. `importInputs` runs these
 * hooks once at the end of an import that added, updated or merged anything,
 * for the CLI and the web upload alike. The list is empty until a feature
 * adds itself; with no hooks, nothing happens.
 *
 * To add one, append it to `AFTER_IMPORT_HOOKS` (or call `registerAfterImport`
 * from the module that owns it, if that module is loaded before imports run).
 */
import type { Store } from '../store/types.ts';
import type { ImportReport } from './types.ts';
import { refreshIndexesHook } from '../vectors/hook.ts';

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

export const AFTER_IMPORT_HOOKS: AfterImportHook[] = [refreshIndexesHook];

export function registerAfterImport(hook: AfterImportHook): void {
  if (!AFTER_IMPORT_HOOKS.some((h) => h.name === hook.name)) AFTER_IMPORT_HOOKS.push(hook);
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
  hooks: AfterImportHook[] = AFTER_IMPORT_HOOKS,
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
