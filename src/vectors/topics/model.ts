/**
 * How topics are kept in the store, beside the indexes they are built from.
 *
 * - ModelStore `topics:state`: the topics (label, terms, size, map position,
 *   papers per week), which dense generation they were built from and the
 *   change seq they cover (meta), plus the binary part (data): the centroids
 *   new papers are assigned with and the projected sample new papers are placed
 *   on the map from.
 * - VectorStore `topics:points:…` (one name per build): per paper its topic,
 *   map position and listing day, 16 bytes. Merged-away papers take their row
 *   with them, as with every per-paper vector.
 */
import type { Matrix } from './kmeans.ts';

export const TOPICS_STATE = 'topics:state';

export interface TopicInfo {
  id: number;
  label: string;
  /** Distinctive terms, best first, readable forms. */
  terms: string[];
  size: number;
  /** Centre of its papers on the map. */
  x: number;
  y: number;
  /** Papers per week: week number (weekOf) → count. */
  weeks: Record<string, number>;
}

export interface TopicsMeta {
  /** Dense vectors (generation) the topics were built from. */
  vectors: string;
  /** VectorStore name of the per-paper rows of this build. */
  points: string;
  /** The previous build's rows, dropped at the next build (a reader may still be scanning them). */
  retired?: string;
  /** Papers with vectors when built (a rebuild is due when the corpus has grown well past it). */
  builtOn: number;
  builtAt: string;
  /** Last paper change seq the rows cover. */
  seq: number;
  k: number;
  dims: number;
  /** Sample points kept for placing new papers on the map. */
  sample: number;
  topics: TopicInfo[];
  /** Papers per week in the whole corpus (those with a topic). */
  corpusWeeks: Record<string, number>;
  /** Build figures, for the report and the bench script. */
  timings?: Record<string, number>;
}

/** The binary half: centroids, and the projected sample (vectors, 2-D positions, topics). */
export interface TopicsData {
  centroids: Matrix;
  sample: Matrix;
  sampleXY: Float32Array;
  sampleTopic: Int32Array;
}

export interface TopicsState {
  meta: TopicsMeta;
  data: TopicsData;
}

export function encodeTopicsData(t: TopicsData): Buffer {
  const { centroids: c, sample: s } = t;
  const head = Buffer.alloc(16);
  head.writeUInt32LE(c.n, 0);
  head.writeUInt32LE(c.d, 4);
  head.writeUInt32LE(s.n, 8);
  head.writeUInt32LE(s.d, 12);
  const part = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([head, part(c.data), part(s.data), part(t.sampleXY), part(t.sampleTopic)]);
}

export function decodeTopicsData(buf: Buffer): TopicsData {
  const k = buf.readUInt32LE(0);
  const d = buf.readUInt32LE(4);
  const m = buf.readUInt32LE(8);
  const sd = buf.readUInt32LE(12);
  // Copy into aligned arrays: a Buffer from the database may start at any byte offset.
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 16;
  const take = (n: number) => {
    const out = new Uint8Array(n * 4);
    out.set(bytes.subarray(at, at + n * 4));
    at += n * 4;
    return out.buffer;
  };
  const centroids = { data: new Float32Array(take(k * d)), n: k, d };
  const sample = { data: new Float32Array(take(m * sd)), n: m, d: sd };
  const sampleXY = new Float32Array(take(m * 2));
  const sampleTopic = new Int32Array(take(m));
  if (at !== buf.length) throw new Error(`topics:state: ${buf.length} bytes, expected ${at}`);
  return { centroids, sample, sampleXY, sampleTopic };
}

/** A paper's row: topic, map position, listing day (days since 1970-01-01, -1 when unknown). */
export interface TopicPoint {
  topic: number;
  x: number;
  y: number;
  day: number;
}

export function encodePoint(p: TopicPoint): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(p.topic, 0);
  b.writeFloatLE(p.x, 4);
  b.writeFloatLE(p.y, 8);
  b.writeInt32LE(p.day, 12);
  return b;
}

export function decodePoint(b: Uint8Array): TopicPoint {
  if (b.length !== 16) throw new Error(`topic point: ${b.length} bytes, expected 16`);
  const v = new DataView(b.buffer, b.byteOffset, 16);
  return { topic: v.getInt32(0, true), x: v.getFloat32(4, true), y: v.getFloat32(8, true), day: v.getInt32(12, true) };
}

const DAY_MS = 86_400_000;

export function dayNumber(day: string | undefined): number {
  if (!day || !/^\d{4}-\d{2}-\d{2}/.test(day)) return -1;
  const t = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(t) ? Math.floor(t / DAY_MS) : -1;
}

/** Week number of a day number: weeks start on Mondays (day 4 since 1970-01-01 is a Monday). */
export function weekOf(dayNo: number): number {
  return Math.floor((dayNo - 4) / 7);
}

/** The Monday a week number starts on, as YYYY-MM-DD. */
export function weekStart(week: number): string {
  return new Date((week * 7 + 4) * DAY_MS).toISOString().slice(0, 10);
}

export async function readTopicsMeta(store: { getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown> } | undefined> }): Promise<TopicsMeta | undefined> {
  const m = await store.getModel(TOPICS_STATE);
  return m ? (m.meta as unknown as TopicsMeta) : undefined;
}

export async function readTopicsState(store: { getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown> } | undefined> }): Promise<TopicsState | undefined> {
  const m = await store.getModel(TOPICS_STATE);
  return m ? { meta: m.meta as unknown as TopicsMeta, data: decodeTopicsData(m.data) } : undefined;
}
