/**
 * A full topic build from the active dense vectors, in bounded memory:
 *
 * 1. one scan keeps a seeded reservoir sample of the vectors;
 * 2. spherical k-means on the sample gives the centroids (kmeans.ts);
 * 3. UMAP on a smaller part of the sample gives the map (project.ts);
 * 4. a second scan assigns and places every paper and writes its row;
 * 5. labels from the distinctive terms of a sample of each topic's papers (labels.ts).
 *
 * The rows go under a new name and `topics:state` switches to it at the end,
 * so readers never mix two builds.
 */
import type { DenseState } from '../generations.ts';
import { mulberry32 } from '../../text/random.ts';
import { decodeDense } from '../quantize.ts';
import type { SparseIndex } from '../sparse-index.ts';
import { nearest, sphericalKMeans, topicCount, type Matrix } from './kmeans.ts';
import { labelTopics } from './label-pass.ts';
import { dayNumber, encodePoint, encodeTopicsData, TOPICS_STATE, weekOf, type TopicInfo, type TopicsData, type TopicsMeta } from './model.ts';
import { fitProjection, MapPlacer } from './project.ts';
import type { Store } from '../../store/types.ts';

export interface TopicBuildOptions {
  /** Number of topics (default: topicCount of the corpus). */
  k?: number;
  /** Papers the centroids are fitted on (default 20,000). */
  fitSample?: number;
  /** Papers UMAP is fitted on (default 2,500). */
  mapSample?: number;
  /** Papers per topic whose terms label it (default 300). */
  labelSample?: number;
  iterations?: number;
  seed?: number;
  progress?: (message: string) => void;
  now?: () => Date;
}

interface Sampled {
  n: number;
  pks: number[];
  rows: Float32Array[];
}

/** Reservoir sample (Algorithm R) of the dense vectors, in one pass. */
async function sampleVectors(store: Store, vectors: string, size: number, rand: () => number): Promise<Sampled> {
  const out: Sampled = { n: 0, pks: [], rows: [] };
  for await (const batch of store.vectors.scanVectors(vectors, 5000)) {
    for (const r of batch) {
      out.n++;
      if (out.pks.length < size) {
        out.pks.push(r.pk);
        out.rows.push(decodeDense(r.vector));
      } else {
        const j = Math.floor(rand() * out.n);
        if (j < size) {
          out.pks[j] = r.pk;
          out.rows[j] = decodeDense(r.vector);
        }
      }
    }
  }
  return out;
}

function toMatrix(rows: Float32Array[], d: number): Matrix {
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n: rows.length, d };
}

/** A small deterministic offset per paper, so papers placed from the same neighbours do not sit on one pixel. */
function jitter(pk: number, axis: number): number {
  let h = Math.imul(pk ^ (axis ? 0x9e3779b9 : 0x85ebca6b), 0x01000193) >>> 0;
  h ^= h >>> 15;
  return ((h % 1000) / 1000 - 0.5) * 0.012;
}

export async function buildTopics(store: Store, dense: DenseState, sparse: SparseIndex, previous: TopicsMeta | undefined, points: string, opts: TopicBuildOptions = {}): Promise<TopicsMeta> {
  const say = opts.progress ?? (() => {});
  const rand = mulberry32(opts.seed ?? 1);
  const timings: Record<string, number> = {};
  // Wall and CPU time per stage, and the resident memory after it: on a shared machine the CPU time is the stable figure.
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const lap = (name: string) => {
    const t = performance.now();
    const c = process.cpuUsage(c0);
    timings[name] = Math.round(t - t0);
    timings[`${name}Cpu`] = Math.round((c.user + c.system) / 1000);
    timings[`${name}RssMb`] = Math.round(process.memoryUsage().rss / 1e6);
    t0 = t;
    c0 = process.cpuUsage();
  };

  const sampled = await sampleVectors(store, dense.vectors, opts.fitSample ?? 20_000, rand);
  if (sampled.n === 0) throw new Error(`topics: no dense vectors under ${dense.vectors} to cluster`);
  const d = sampled.rows[0].length;
  lap('sample');
  const k = opts.k ?? topicCount(sampled.n);
  say(`topics: clustering ${sampled.n} papers into ${k} topics (fitted on ${sampled.rows.length})`);
  const fit = sphericalKMeans(toMatrix(sampled.rows, d), { k, iterations: opts.iterations ?? 15, seed: opts.seed });
  lap('kmeans');

  // The map sample: a seeded shuffle of the fit sample, cut.
  const order = sampled.rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const mapIdx = order.slice(0, Math.min(order.length, opts.mapSample ?? 2500));
  const sample = toMatrix(mapIdx.map((i) => sampled.rows[i]), d);
  say(`topics: fitting the map on ${sample.n} papers`);
  const sampleXY = fitProjection(sample, { seed: opts.seed });
  const sampleTopic = new Int32Array(mapIdx.map((i) => fit.assign[i]));
  // Sample points take the final centroids' assignment, which is what new papers get.
  for (let i = 0; i < sample.n; i++) sampleTopic[i] = nearest(fit.centroids, sample.data, i * d).topic;
  lap('umap');

  const data: TopicsData = { centroids: fit.centroids, sample, sampleXY, sampleTopic };
  const placer = new MapPlacer(fit.centroids, sample, sampleXY, sampleTopic);
  const acc = newAccumulator(k);
  const labelPks: number[][] = Array.from({ length: k }, () => []);
  const labelSize = opts.labelSample ?? 300;
  let done = 0;
  for await (const batch of store.vectors.scanVectors(dense.vectors, 5000)) {
    const days = new Map((await store.papers.paperBriefs(batch.map((r) => r.pk))).map((b) => [b.pk, dayNumber(b.listingDate)]));
    const rows: { pk: number; vector: Buffer }[] = [];
    for (const r of batch) {
      const at = placer.place(decodeDense(r.vector));
      const day = days.get(r.pk) ?? -1;
      const point = { topic: at.topic, x: at.x + jitter(r.pk, 0), y: at.y + jitter(r.pk, 1), day };
      rows.push({ pk: r.pk, vector: encodePoint(point) });
      acc.add(point);
      const bucket = labelPks[at.topic];
      const seen = acc.sizes[at.topic];
      if (bucket.length < labelSize) bucket.push(r.pk);
      else {
        const j = Math.floor(rand() * seen);
        if (j < labelSize) bucket[j] = r.pk;
      }
    }
    await store.vectors.putVectors(points, rows);
    done += batch.length;
    say(`topics: placed ${done}/${sampled.n}`);
  }
  lap('assign');

  const labels = await labelTopics(store, sparse, labelPks);
  lap('labels');
  const meta: TopicsMeta = {
    vectors: dense.vectors,
    points,
    retired: previous?.points,
    builtOn: done,
    builtAt: (opts.now?.() ?? new Date()).toISOString(),
    seq: dense.seq,
    k,
    dims: d,
    sample: sample.n,
    topics: acc.topics(labels),
    corpusWeeks: acc.corpusWeeks,
    timings,
  };
  // The build before the previous one is no longer read by anyone.
  if (previous?.retired) await store.vectors.deleteVectors(previous.retired);
  await store.models.putModel(TOPICS_STATE, encodeTopicsData(data), meta as unknown as Record<string, unknown>);
  return meta;
}

/** Sizes, weekly counts and map centres of topics, from their papers' rows. */
export function newAccumulator(k: number) {
  const sizes = new Int32Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const weeks: Record<string, number>[] = Array.from({ length: k }, () => ({}));
  const corpusWeeks: Record<string, number> = {};
  return {
    sizes,
    corpusWeeks,
    add(p: { topic: number; x: number; y: number; day: number }) {
      if (p.topic < 0 || p.topic >= k) return;
      sizes[p.topic]++;
      sx[p.topic] += p.x;
      sy[p.topic] += p.y;
      if (p.day >= 0) {
        const w = weekOf(p.day);
        weeks[p.topic][w] = (weeks[p.topic][w] ?? 0) + 1;
        corpusWeeks[w] = (corpusWeeks[w] ?? 0) + 1;
      }
    },
    topics(labels: { label: string; terms: string[] }[]): TopicInfo[] {
      return labels.map((l, t) => ({
        id: t,
        label: l.label,
        terms: l.terms,
        size: sizes[t],
        x: sizes[t] ? sx[t] / sizes[t] : 0,
        y: sizes[t] ? sy[t] / sizes[t] : 0,
        weeks: weeks[t],
      }));
    },
  };
}
