/**
 * Imports a profile's source files into the store through the ingest layer
 * (format detected from content), and returns the pks of the papers they
 * produced so the profile can link exactly those.
 */
import type { InputSpec } from '../ingest/types.ts';
import { readInput } from '../ingest/read.ts';
import type { PaperRecord } from '../paper/types.ts';
import type { Store } from '../store/types.ts';

const BATCH = 500;

export async function importForProfile(store: Store, inputs: InputSpec[], now: Date): Promise<{ pks: number[]; problems: string[] }> {
  const pks: number[] = [];
  const problems: string[] = [];
  const seenAt = now.toISOString();
  for (const input of inputs) {
    const name = 'path' in input ? input.path : input.name;
    let batch: PaperRecord[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const res = await store.upsertPapers(batch, seenAt);
      pks.push(...res.outcomes.map((o) => o.pk));
      batch = [];
    };
    try {
      for await (const item of readInput(input, { seenAt, today: seenAt.slice(0, 10) })) {
        if ('problem' in item) {
          if (item.problem.severity === 'error') problems.push(`${item.problem.locator}${item.problem.field ? ` (${item.problem.field})` : ''}: ${item.problem.message}`);
          continue;
        }
        batch.push(item.record);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  return { pks: [...new Set(pks)], problems };
}

/** `ImportFiles` for the profile service. */
export const importFilesForProfile = importForProfile;
