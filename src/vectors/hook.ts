/**
 * Index maintenance as an after-import hook (src/ingest/after-import.ts): every
 * import or fetch that changed papers brings the sparse/dense indexes up to
 * date before it reports, so `radar similar` and hybrid search see the new
 * papers at once. The dense model is the process's setting (select.ts
 * processEmbedder). When another process is refreshing, the hook waits for it
 * and then runs (incremental: only what that one did not cover).
 */
import type { AfterImportHook } from '../ingest/after-import.ts';
import { indexHealth } from './health.ts';
import { refreshIndexes, type RefreshProgress } from './refresh.ts';
import { processEmbedder, refreshOptionsFor } from './select.ts';

export function describeProgress(p: RefreshProgress): string {
  if (p.message) return `indexes: ${p.message}`;
  return `indexes: ${p.stage} ${p.done}${p.total ? `/${p.total}` : ''}`;
}

export const refreshIndexesHook: AfterImportHook = {
  name: 'refresh-indexes',
  due: async (store) => (await indexHealth(store)).due,
  async run(store, _report, opts) {
    let last = 0;
    await refreshIndexes(store, {
      ...refreshOptionsFor(processEmbedder()),
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
};
