/**
 * Topic maintenance, the last step of an index refresh (../refresh.ts), run
 * under the same index lease.
 *
 * A full build (build.ts) when there are none yet, when the dense vectors are
 * a new generation (a refitted or switched model: another space, so the old
 * centroids mean nothing there), or when the corpus has grown `rebuildGrowth`
 * fold since the last build. Otherwise only the papers changed since are
 * assigned to the existing topics and placed on the existing map, and the
 * sizes and weekly counts are recounted from the rows.
 */
import { randomBytes } from 'node:crypto';
import type { DenseState } from '../generations.ts';
import { decodeDense } from '../quantize.ts';
import type { SparseIndex } from '../sparse-index.ts';
import { buildTopics, newAccumulator, type TopicBuildOptions } from './build.ts';
import { dayNumber, decodePoint, encodePoint, encodeTopicsData, readTopicsState, TOPICS_STATE, type TopicsMeta, type TopicsState } from './model.ts';
import { MapPlacer } from './project.ts';
import type { Store } from '../../store/types.ts';

export interface TopicRefreshOptions extends TopicBuildOptions {
  /** Fewer papers with vectors than this: no topics yet (default 50). */
  minPapers?: number;
  /** Rebuild when the corpus has grown by this factor since the last build (default 1.5). */
  rebuildGrowth?: number;
  /** Rebuild now. */
  force?: boolean;
}

export interface TopicRefreshReport {
  built: boolean;
  /** Papers assigned incrementally. */
  placed: number;
  topics: number;
  skipped?: string;
  ms: number;
}

/** A build that died leaves rows under a name no state points to: the next build frees them. */
const PENDING = 'topics:pending';

export async function refreshTopics(store: Store, dense: DenseState | undefined, sparse: SparseIndex, opts: TopicRefreshOptions = {}): Promise<TopicRefreshReport> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  if (!dense) return { built: false, placed: 0, topics: 0, skipped: 'no dense vectors yet', ms: ms() };
  const total = await store.vectors.countVectors(dense.vectors);
  const state = await readTopicsState(store.models);
  if (total < (opts.minPapers ?? 50)) return { built: false, placed: 0, topics: state?.meta.k ?? 0, skipped: `${total} papers with vectors are too few for topics`, ms: ms() };
  const due = !state || opts.force || state.meta.vectors !== dense.vectors || total >= state.meta.builtOn * (opts.rebuildGrowth ?? 1.5);
  if (due) {
    const pending = await store.models.getModel(PENDING);
    if (pending?.meta.points && pending.meta.points !== state?.meta.points) await store.vectors.deleteVectors(String(pending.meta.points));
    const points = `topics:points:${randomBytes(4).toString('hex')}`;
    await store.models.putModel(PENDING, Buffer.alloc(0), { points });
    const meta = await buildTopics(store, dense, sparse, state?.meta, points, opts);
    await store.models.putModel(PENDING, Buffer.alloc(0), {});
    return { built: true, placed: meta.builtOn, topics: meta.k, ms: ms() };
  }
  const placed = await placeChanges(store, dense, state);
  return { built: false, placed, topics: state.meta.k, ms: ms() };
}

/** Assigns and places papers changed since the state's seq (up to what the dense vectors cover), then recounts. */
async function placeChanges(store: Store, dense: DenseState, state: TopicsState): Promise<number> {
  const { meta, data } = state;
  const placer = new MapPlacer(data.centroids, data.sample, data.sampleXY, data.sampleTopic);
  let seq = meta.seq;
  let placed = 0;
  let removed = 0;
  while (seq < dense.seq) {
    const page = await store.papers.changesSince(seq, 2000);
    if (page.papers.length === 0 && page.removed.length === 0) break;
    const papers = page.papers.filter((p) => p.seq <= dense.seq);
    removed += page.removed.length;
    const vectors = await store.vectors.getVectors(dense.vectors, papers.map((p) => p.pk));
    const rows: { pk: number; vector: Buffer }[] = [];
    for (const p of papers) {
      const v = vectors.get(p.pk);
      if (!v) continue;
      const at = placer.place(decodeDense(v));
      rows.push({ pk: p.pk, vector: encodePoint({ ...at, day: dayNumber(p.listingDate) }) });
    }
    await store.vectors.putVectors(meta.points, rows);
    placed += rows.length;
    if (page.lastSeq === seq) break;
    seq = Math.min(page.lastSeq, dense.seq);
  }
  if (placed === 0 && removed === 0 && seq === meta.seq) return 0;
  const next: TopicsMeta = { ...meta, seq: Math.max(seq, meta.seq), ...(await recount(store, meta)) };
  await store.models.putModel(TOPICS_STATE, encodeTopicsData(data), next as unknown as Record<string, unknown>);
  return placed;
}

/** Sizes, centres and weekly counts again from the stored rows (exact after merges took rows away). */
async function recount(store: Store, meta: TopicsMeta): Promise<Pick<TopicsMeta, 'topics' | 'corpusWeeks'>> {
  const acc = newAccumulator(meta.k);
  for await (const rows of store.vectors.scanVectors(meta.points, 10_000)) for (const r of rows) acc.add(decodePoint(r.vector));
  return { topics: acc.topics(meta.topics), corpusWeeks: acc.corpusWeeks };
}
