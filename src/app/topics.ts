/**
 * Topics, trends and the map for the API and the pages. The topics themselves
 * are built with the indexes (src/vectors/topics); here they are read, joined
 * with paper ids, a profile's papers and feed, and cached per topic build (the
 * map of 100k papers is a few megabytes that only change with a refresh).
 */
import { risingNear, topicsView, type TopicsOptions } from '../profile/topics.ts';
import { requireProfile } from '../profile/profiles.ts';
import { SparseIndex } from '../vectors/sparse-index.ts';
import { readTopicsMeta, type TopicsMeta } from '../vectors/topics/model.ts';
import { mapPoints, risingTerms, type RisingTerm, type TopicsView } from '../vectors/topics/read.ts';
import type { AppContext } from './context.ts';
import { asHttp, profileFeed } from './feeds.ts';

export interface MapPointOut {
  id: string;
  x: number;
  y: number;
  topic: number;
}

export interface MapView {
  points: MapPointOut[];
  topics: { id: number; label: string; x: number; y: number; size: number }[];
  /** With `?profile=`: ids of the profile's papers and of its current feed, to highlight. */
  profile?: { name: string; papers: string[]; feed: string[] };
}

/** Per-build memo in the app's services (created by the composition root); absent: nothing is cached. */
export type TopicsCache = Map<string, Promise<unknown>>;

const keyOf = (meta: TopicsMeta) => `${meta.points}:${meta.seq}:${meta.builtAt}`;

function memo<T>(ctx: AppContext, meta: TopicsMeta, what: string, make: () => Promise<T>): Promise<T> {
  const cache = ctx.services.topicsCache;
  if (!cache) return make();
  const key = `${what}@${keyOf(meta)}`;
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    // Entries of older builds go: the cache holds one build's map and trends.
    for (const k of cache.keys()) if (!k.endsWith(`@${keyOf(meta)}`)) cache.delete(k);
    hit = make();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

async function basePoints(ctx: AppContext, meta: TopicsMeta): Promise<MapPointOut[]> {
  const out: MapPointOut[] = [];
  for await (const page of mapPoints(ctx.store, meta)) {
    const ids = new Map((await ctx.store.papers.paperBriefs(page.map((p) => p.pk))).map((b) => [b.pk, b.id]));
    for (const p of page) {
      const id = ids.get(p.pk);
      if (id) out.push({ id, x: r4(p.x), y: r4(p.y), topic: p.topic });
    }
  }
  return out;
}

/** The map: every paper's position and topic, the topics' labels at their centres; a profile's papers and feed when asked. */
export async function topicMap(ctx: AppContext, opts: { profile?: string } = {}): Promise<MapView> {
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return { points: [], topics: [] };
  const points = await memo(ctx, meta, 'map', () => basePoints(ctx, meta));
  const topics = meta.topics.map((t) => ({ id: t.id, label: t.label, x: r4(t.x), y: r4(t.y), size: t.size }));
  if (!opts.profile) return { points, topics };
  try {
    const profile = await requireProfile(ctx.store, opts.profile);
    const pks = (await ctx.store.profiles.profilePapers(profile.profileId)).map((l) => l.pk);
    const papers = (await ctx.store.papers.paperBriefs(pks)).map((b) => b.id);
    const feed = (await profileFeed(ctx, profile.name, { limit: 50 })).items.map((it) => it.id);
    return { points, topics, profile: { name: profile.name, papers, feed } };
  } catch (err) {
    throw asHttp(err);
  }
}

export interface TrendsView {
  topics?: TopicsView;
  /** Rising terms across the corpus (not per profile). */
  terms: RisingTerm[];
}

/** Topics with trends (all, or those near a profile) and the corpus's rising terms. */
export async function trends(ctx: AppContext, opts: Pick<TopicsOptions, 'profile'> = {}): Promise<TrendsView> {
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return { terms: [] };
  try {
    const topics = await topicsView(ctx.store, { profile: opts.profile });
    const terms = await memo(ctx, meta, 'terms', async () => {
      const sparse = await SparseIndex.load(ctx.store.models);
      return sparse ? risingTerms(ctx.store, meta, sparse, { limit: 20 }) : [];
    });
    return { topics, terms };
  } catch (err) {
    throw asHttp(err);
  }
}

/** "Rising in your area" for a profile page: the significantly rising topics near the profile (none when topics are not built). */
export async function risingInArea(ctx: AppContext, profile: string, limit = 3): Promise<TopicsView['topics']> {
  return risingNear(ctx.store, profile, ctx.now(), limit);
}
