/**
 * Imports a profile's source files into the store through the ingest layer
 * (`readInput`: format detected from content; `validateRecord`: the same checks
 * as `radar import`; then the after-import hooks, by default the index
 * refresh so the new papers have features for the profile), and returns the
 * pks of the papers they produced so the profile links exactly those.
 * (`importInputs` reports counts, not which papers, hence this short loop.)
 */
import { runAfterImport, type AfterImportHook } from '../ingest/after-import.ts';
import { readInput } from '../ingest/read.ts';
import type { ImportReport, InputSpec } from '../ingest/types.ts';
import { validateRecord } from '../paper/record.ts';
import type { PaperRecord } from '../paper/types.ts';
import type { Store } from '../store/types.ts';
import { refreshIndexesHook } from '../vectors/hook.ts';

const BATCH = 500;

export interface ProfileImportOptions {
  /** Hooks to run after an import that changed papers (default: the index refresh). */
  afterImport?: readonly AfterImportHook[];
}

export async function importForProfile(store: Store, inputs: InputSpec[], now: Date, opts: ProfileImportOptions = {}): Promise<{ pks: number[]; problems: string[] }> {
  const pks: number[] = [];
  const problems: string[] = [];
  const seenAt = now.toISOString();
  const counts = { added: 0, updated: 0, unchanged: 0, merged: 0 };
  let records = 0;
  for (const input of inputs) {
    const name = 'path' in input ? input.path : input.name;
    let batch: PaperRecord[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const res = await store.papers.upsertPapers(batch, seenAt);
      pks.push(...res.outcomes.map((o) => o.pk));
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += res.counts[k];
      batch = [];
    };
    try {
      for await (const item of readInput(input, { seenAt, today: seenAt.slice(0, 10) })) {
        const itemProblems = 'problem' in item ? [item.problem] : [];
        let record: PaperRecord | undefined;
        if ('record' in item) {
          records++;
          const v = validateRecord(item.record);
          record = v.record;
          itemProblems.push(...v.problems);
        }
        for (const p of itemProblems) {
          if (p.severity === 'error') problems.push(`${p.locator}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
        }
        if (!record) continue;
        batch.push(record);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  const hooks = opts.afterImport ?? [refreshIndexesHook()];
  if (hooks.length && counts.added + counts.updated + counts.merged > 0) {
    const report: ImportReport = {
      files: [],
      totals: { ...counts, records, rejected: problems.length, warnings: 0, unreadable: 0 },
    };
    for (const h of await runAfterImport(store, report, hooks)) if (!h.ok) problems.push(`after import, ${h.name}: ${h.error}`);
  }
  return { pks: [...new Set(pks)], problems };
}

/** `ImportFiles` for the profile service. */
export const importFilesForProfile = importForProfile;
