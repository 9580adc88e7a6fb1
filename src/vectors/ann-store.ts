/**
 * Persisting a vector index with the database, so opening a server does not
 * rebuild (or re-embed) anything:
 *
 * - small collections (≤ `exactMax` vectors) use the exact index, filled from
 *   the stored vectors at open — reading 20k int8 rows takes milliseconds;
 * - larger ones use HNSW, whose graph is saved as a snapshot in ModelStore
 *   blobs (cut into parts, since databases cap a single value), tagged with the
 *   change seq it covers. Opening loads the snapshot and catches up through
 *   `changesSince` — only papers changed since the snapshot are read.
 */
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { DEFAULT_HNSW, ExactIndex, HnswIndex, type HnswParams, type VectorIndex } from './ann.ts';
import { decodeDense } from './quantize.ts';
import type { Store } from '../store/types.ts';

const PART_BYTES = 64 * 1024 * 1024;

export interface IndexOptions {
  /** Up to this many vectors the exact index is used (default 20,000; bench/similar.ts measures the crossover). */
  exactMax?: number;
  hnsw?: HnswParams;
  progress?: (line: string) => void;
}

export const DEFAULT_EXACT_MAX = 20_000;

const snapshotName = (vectors: string) => `ann:${vectors}`;

interface SnapshotMeta {
  seq: number;
  parts: number;
  bytes: number;
  dims: number;
  live: number;
  deleted: number;
  params: HnswParams;
}

/** Builds an index over every stored vector of `vectors`. */
export async function buildIndex(store: Store, vectors: string, dims: number, opts: IndexOptions = {}): Promise<VectorIndex> {
  const total = await store.vectors.countVectors(vectors);
  const exactMax = opts.exactMax ?? DEFAULT_EXACT_MAX;
  const index: VectorIndex = total <= exactMax ? new ExactIndex(dims, Math.max(16, total)) : new HnswIndex(dims, opts.hnsw ?? DEFAULT_HNSW, total + 1024);
  let done = 0;
  let last = 0;
  for await (const rows of store.vectors.scanVectors(vectors, 5000)) {
    for (const r of rows) index.upsert(r.pk, decodeDense(r.vector));
    done += rows.length;
    if (opts.progress && index.kind === 'hnsw' && (done - last >= 50_000 || done === total)) {
      opts.progress(`vector index: ${done}/${total}`);
      last = done;
    }
  }
  return index;
}

/**
 * Applies the papers changed after `seq` (and not after `upTo`, the seq the
 * stored vectors are known to cover: a paper changed later may not be embedded
 * yet, and must not be skipped for good) to an index; returns the seq it covers.
 */
export async function catchUpIndex(store: Store, index: VectorIndex, vectors: string, seq: number, upTo = Infinity): Promise<number> {
  for (;;) {
    const page = await store.papers.changesSince(seq, 2000);
    const papers = page.papers.filter((p) => p.seq <= upTo);
    const pks = papers.map((p) => p.pk);
    const stored = await store.vectors.getVectors(vectors, pks);
    for (const pk of pks) {
      const v = stored.get(pk);
      if (v) index.upsert(pk, decodeDense(v));
      else index.remove(pk);
    }
    for (const pk of page.removed) index.remove(pk);
    const reached = papers.length < page.papers.length ? Math.min(upTo, page.lastSeq) : page.lastSeq;
    if (reached <= seq || papers.length < page.papers.length || (page.papers.length === 0 && page.removed.length === 0)) return Math.max(seq, Math.min(reached, upTo));
    seq = reached;
  }
}

export async function saveSnapshot(store: Store, vectors: string, index: HnswIndex, seq: number): Promise<SnapshotMeta> {
  const dir = await mkdtemp(join(tmpdir(), 'radar-ann-'));
  try {
    const file = join(dir, 'index.bin');
    // Async: hnswlib writes on a worker thread, so a server saving a snapshot keeps answering.
    await index.index.writeIndex(file);
    const bytes = (await stat(file)).size;
    const labels = Float64Array.from([...index.pks(), ...index.deletedPks()]);
    const parts = Math.ceil(bytes / PART_BYTES);
    // One part in memory at a time (the whole graph is ~1 GB at a million papers).
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.allocUnsafe(Math.min(PART_BYTES, Math.max(1, bytes)));
      for (let i = 0; i < parts; i++) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(PART_BYTES, bytes - i * PART_BYTES), i * PART_BYTES);
        await store.models.putModel(`${snapshotName(vectors)}:part:${i}`, buf.subarray(0, bytesRead), { part: i });
      }
    } finally {
      await fh.close();
    }
    const meta: SnapshotMeta = { seq, parts, bytes, dims: index.dims, live: index.size, deleted: index.deletedPks().length, params: index.params };
    // The head is written last: a reader never sees a head whose parts are not all there.
    await store.models.putModel(snapshotName(vectors), Buffer.from(labels.buffer), meta as unknown as Record<string, unknown>);
    return meta;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Loads a saved snapshot. Parts are appended to a temporary file one at a
 * time (never the whole graph joined in memory beside the loaded index) and
 * hnswlib reads it on a worker thread, so a reader reloading in the
 * background does not stall its requests.
 */
export async function loadSnapshot(store: Store, vectors: string, opts: IndexOptions = {}): Promise<{ index: HnswIndex; seq: number } | undefined> {
  const head = await store.models.getModel(snapshotName(vectors));
  if (!head) return undefined;
  const meta = head.meta as unknown as SnapshotMeta;
  if (!meta.parts || !meta.bytes) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'radar-ann-'));
  try {
    const file = join(dir, 'index.bin');
    const fh = await open(file, 'w');
    let written = 0;
    try {
      for (let i = 0; i < meta.parts; i++) {
        const part = await store.models.getModel(`${snapshotName(vectors)}:part:${i}`);
        if (!part) return undefined;
        await fh.write(part.data, 0, part.data.length, written);
        written += part.data.length;
      }
    } finally {
      await fh.close();
    }
    if (written !== meta.bytes) return undefined;
    const raw = new hnswlib.HierarchicalNSW('ip', meta.dims);
    await raw.readIndex(file, false);
    const labels = new Float64Array(head.data.buffer.slice(head.data.byteOffset, head.data.byteOffset + head.data.byteLength));
    const live = Array.from(labels.subarray(0, meta.live));
    const deleted = Array.from(labels.subarray(meta.live));
    const params = { ...(opts.hnsw ?? meta.params) };
    opts.progress?.(`vector index: snapshot of ${meta.live} vectors (seq ${meta.seq})`);
    return { index: new HnswIndex(meta.dims, params, 0, { index: raw, live, deleted }), seq: meta.seq };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The index for `vectors` at `seq` or later: the snapshot plus catch-up when
 * there is one, else built from the stored vectors.
 */
export async function openIndex(
  store: Store,
  vectors: string,
  dims: number,
  seq: number,
  opts: IndexOptions = {},
): Promise<{ index: VectorIndex; seq: number; fromSnapshot: boolean }> {
  const total = await store.vectors.countVectors(vectors);
  if (total > (opts.exactMax ?? DEFAULT_EXACT_MAX)) {
    const snap = await loadSnapshot(store, vectors, opts);
    if (snap) return { index: snap.index, seq: await catchUpIndex(store, snap.index, vectors, snap.seq, seq), fromSnapshot: true };
  }
  const index = await buildIndex(store, vectors, dims, opts);
  return { index, seq, fromSnapshot: false };
}

/** Removes a generation's snapshot (its parts are overwritten or left for the next save of that name). */
export async function snapshotSeq(store: Store, vectors: string): Promise<number | undefined> {
  const head = await store.models.getModel(snapshotName(vectors));
  return head ? Number((head.meta as unknown as SnapshotMeta).seq) : undefined;
}
