/**
 * Topics, trends and the map for the API and the pages. The topics themselves
 * are built with the indexes (src/vectors/topics); here they are read, joined
 * with paper ids, a profile's papers and feed, and cached per topic build
 * (topics-cache.ts). The Map page loads the compact form (map-payload.ts).
 */
import { risingNear, topicsView, type TopicsOptions } from '../profile/topics.ts';
import { requireProfile } from '../profile/profiles.ts';
import { SparseIndex } from '../vectors/sparse-index.ts';
import { readTopicsMeta } from '../vectors/topics/model.ts';
import { risingTerms, type RisingTerm, type TopicsView } from '../vectors/topics/read.ts';
import type { AppContext } from './context.ts';
import { asHttp, profileFeed } from './feeds.ts';
import type { MapTopic } from './map-format.ts';
import { mapBase, mapIds } from './map-payload.ts';
import { memoByBuild } from './topics-cache.ts';

export interface MapPointOut {
  id: string;
  x: number;
  y: number;
  topic: number;
}

export interface MapView {
  points: MapPointOut[];
  topics: MapTopic[];
  /** With `?profile=`: ids of the profile's papers and of its current feed, to highlight. */
  profile?: { name: string; papers: string[]; feed: string[] };
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** The map: every paper's position and topic, the topics' labels at their centres; a profile's papers and feed when asked. */
export async function topicMap(ctx: AppContext, opts: { profile?: string } = {}): Promise<MapView> {
  const meta = await readTopicsMeta(ctx.store.models);
  if (!meta) return { points: [], topics: [] };
  const points = await memoByBuild(ctx, meta, 'map-json', async () => {
    const [base, ids] = await Promise.all([mapBase(ctx, meta), mapIds(ctx, meta)]);
    const out: MapPointOut[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i]) out.push({ id: ids[i], x: r4(base.x[i]), y: r4(base.y[i]), topic: base.topic[i] });
    return out;
  });
  const { topics } = await mapBase(ctx, meta);
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
    const terms = await memoByBuild(ctx, meta, 'terms', async () => {
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
