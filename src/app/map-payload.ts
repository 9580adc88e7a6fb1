/**
 * The map as the Map page loads it: the compact binary of every paper's
 * position and topic (map-format.ts), the papers' ids as one newline-joined
 * text in the same order (fetched after the points are drawn, for hover and
 * click), and a profile's papers and feed as indices into that order.
 *
 * Positions are placed with the indexes (src/vectors/topics) and only read
 * here; what costs at request time is scanning them (~0.4 s at 75k papers)
 * and joining them with the ids (~1 s), so each is done once per topic build
 * and kept, encoded and compressed, until the next build (topics-cache.ts).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { requireProfile } from '../profile/profiles.ts';
import { readTopicsMeta, type TopicsMeta } from '../vectors/topics/model.ts';
import { mapPoints } from '../vectors/topics/read.ts';
import type { AppContext } from './context.ts';
import { asHttp, profileFeed } from './feeds.ts';
import { encodeMap, wireTopic, type MapTopic } from './map-format.ts';
import { buildKey, memoByBuild } from './topics-cache.ts';

/** Every paper of one build in store order: what both the JSON and the binary map are made from. */
export interface MapBase {
  pks: number[];
  x: Float32Array;
  y: Float32Array;
  /** Topic ids as stored (may be negative for "none"). */
  topic: Int32Array;
  topics: MapTopic[];
}

/** A response body made once and served many times: its compressed forms are made on first demand and kept. */
export interface CachedBody {
  etag: string;
  type: string;
  /** Short name of the topic build it belongs to (the same for a build's binary, ids and highlights). */
  build: string;
  identity: Buffer;
  encoded(encoding: 'gzip' | 'br'): Promise<Buffer>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export function cachedBody(body: Buffer, type: string, build: string, kind: string): CachedBody {
  const variants = new Map<string, Promise<Buffer>>();
  return {
    etag: `"${kind}-${build}"`,
    type,
    build,
    identity: body,
    encoded(encoding) {
      let v = variants.get(encoding);
      if (!v) {
        // zlib's async forms run on the thread pool: a first request compresses without stalling the others.
        v = encoding === 'gzip'
          ? gzipAsync(body, { level: 6 })
          : brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        variants.set(encoding, v);
      }
      return v;
    },
  };
}

export const buildTag = (meta: TopicsMeta) => createHash('sha256').update(buildKey(meta)).digest('hex').slice(0, 16);

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

export function mapBase(ctx: AppContext, meta: TopicsMeta): Promise<MapBase> {
  return memoByBuild(ctx, meta, 'map-base', async () => {
    const pks: number[] = [];
    let x = new Float32Array(Math.max(1024, meta.builtOn));
    let y = new Float32Array(x.length);
    let topic = new Int32Array(x.length);
    for await (const page of mapPoints(ctx.store, meta)) {
      if (pks.length + page.length > x.length) {
        const grow = <T extends Float32Array | Int32Array>(a: T, make: (n: number) => T) => {
          const b = make(Math.max(a.length * 2, pks.length + page.length));
          b.set(a);
          return b;
        };
        x = grow(x, (n) => new Float32Array(n));
        y = grow(y, (n) => new Float32Array(n));
        topic = grow(topic, (n) => new Int32Array(n));
      }
      for (const p of page) {
        const i = pks.length;
        pks.push(p.pk);
        x[i] = p.x;
        y[i] = p.y;
        topic[i] = p.topic;
      }
    }
    const n = pks.length;
    const topics = meta.topics.map((t) => ({ id: t.id, label: t.label, x: r4(t.x), y: r4(t.y), size: t.size }));
    return { pks, x: x.slice(0, n), y: y.slice(0, n), topic: topic.slice(0, n), topics };
  });
}

/** The papers' ids in the base's order ('' for a row whose paper is gone). */
export function mapIds(ctx: AppContext, meta: TopicsMeta): Promise<string[]> {
  return memoByBuild(ctx, meta, 'map-ids', async () => {
    const base = await mapBase(ctx, meta);
    const ids = new Map<number, string>();
    for (let i = 0; i < base.pks.length; i += 10_000) {
      for (const b of await ctx.store.papers.paperBriefs(base.pks.slice(i, i + 10_000))) ids.set(b.pk, b.id);
    }
    return base.pks.map((pk) => ids.get(pk) ?? '');
  });
}

const EMPTY_BUILD = 'none';

/** The binary map of the current build (an empty map before the topics are built). */
export async function mapBinary(ctx: AppContext): Promise<CachedBody> {
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return cachedBody(Buffer.from(encodeMap({ x: new Float32Array(0), y: new Float32Array(0), topic: new Uint16Array(0), topics: [] })), MAP_BIN_TYPE, EMPTY_BUILD, 'map');
  return memoByBuild(ctx, meta, 'map-bin', async () => {
    const base = await mapBase(ctx, meta);
    const bytes = encodeMap({ x: base.x, y: base.y, topic: Uint16Array.from(base.topic, wireTopic), topics: base.topics });
    return cachedBody(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), MAP_BIN_TYPE, buildTag(meta), 'map');
  });
}

export const MAP_BIN_TYPE = 'application/vnd.paper-radar.map';

/** The ids of the binary map's points, one a line, in its order. */
export async function mapIdsText(ctx: AppContext): Promise<CachedBody> {
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return cachedBody(Buffer.alloc(0), 'text/plain; charset=utf-8', EMPTY_BUILD, 'ids');
  return memoByBuild(ctx, meta, 'map-ids-text', async () =>
    cachedBody(Buffer.from((await mapIds(ctx, meta)).join('\n')), 'text/plain; charset=utf-8', buildTag(meta), 'ids'),
  );
}

export interface MapHighlight {
  build: string;
  profile: string;
  /** Indices into the binary map's points. */
  papers: number[];
  feed: number[];
}

/** A profile's papers and current feed as indices of the binary map (those on the map). */
export async function mapHighlight(ctx: AppContext, profileName: string): Promise<MapHighlight> {
  let profile;
  try {
    profile = await requireProfile(ctx.store, profileName);
  } catch (err) {
    throw asHttp(err);
  }
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return { build: EMPTY_BUILD, profile: profile.name, papers: [], feed: [] };
  const base = await mapBase(ctx, meta);
  const byPk = await memoByBuild(ctx, meta, 'map-pk-index', async () => new Map(base.pks.map((pk, i) => [pk, i])));
  const byId = await memoByBuild(ctx, meta, 'map-id-index', async () => new Map((await mapIds(ctx, meta)).map((id, i) => [id, i])));
  const papers = (await ctx.store.profiles.profilePapers(profile.profileId)).map((l) => byPk.get(l.pk));
  const feed = (await profileFeed(ctx, profile.name, { limit: 50 })).items.map((it) => byId.get(it.id));
  const known = (xs: (number | undefined)[]) => xs.filter((i): i is number => i !== undefined);
  return { build: buildTag(meta), profile: profile.name, papers: known(papers), feed: known(feed) };
}
