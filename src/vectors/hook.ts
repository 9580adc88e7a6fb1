/**
 * Index maintenance as an after-import hook (src/ingest/after-import.ts): every
 * import or fetch that changed papers brings the sparse/dense indexes up to
 * date before it reports, so `radar similar` and hybrid search see the new
 * papers at once. The dense model is the caller's setting (its entry point's
 * runtime, or RADAR_EMBEDDER for a one-off command). When another process is refreshing, the hook waits for it
 * and then runs (incremental: only what that one did not cover).
 */
import type { AfterImportHook } from '../ingest/after-import.ts';
import { indexHealth } from './health.ts';
import { refreshIndexes, type RefreshProgress } from './refresh.ts';
import { refreshOptionsFor, resolveEmbedder, type EmbedderSetting } from './select.ts';

export function describeProgress(p: RefreshProgress): string {
  if (p.message) return `indexes: ${p.message}`;
  return `indexes: ${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`;
}

/** The hook that refreshes the indexes with `setting`'s dense model (default: RADAR_EMBEDDER, else the model the store holds). */
export const refreshIndexesHook = (setting: EmbedderSetting = resolveEmbedder()): AfterImportHook => ({
  name: 'refresh-indexes',
  due: async (store) => (await indexHealth(store)).due,
  async run(store, _report, opts) {
    let last = 0;
    await refreshIndexes(store, {
      ...refreshOptionsFor(setting),
      onBusy: 'wait',
      progress: (p) => {
        // At most one line a second: a big import should not drown its own report.
        const now = Date.now();
        if (p.message || now - last > 1000) {
          last = now;
          opts.onProgress?.(describeProgress(p));
        }
      },
    });
  },
});
