/**
 * Memo of what is derived from one topic build (the map, its encodings, the
 * rising terms): computed once per build, shared by every request, dropped
 * when a newer build appears. The map of 100k papers is megabytes that only
 * change with a refresh, and joining it with the papers' ids takes seconds.
 */
import type { TopicsMeta } from '../vectors/topics/model.ts';
import type { AppContext } from './context.ts';

/** Per-build memo in the app's services (created by the composition root); absent: nothing is cached. */
export type TopicsCache = Map<string, Promise<unknown>>;

/** What names one topic build: its rows, the change seq they cover and when it was built. */
export const buildKey = (meta: TopicsMeta) => `${meta.points}:${meta.seq}:${meta.builtAt}`;

export function memoByBuild<T>(ctx: AppContext, meta: TopicsMeta, what: string, make: () => Promise<T>): Promise<T> {
  const cache = ctx.services.topicsCache;
  if (!cache) return make();
  const build = buildKey(meta);
  const key = `${what}@${build}`;
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    // Entries of older builds go: the cache holds one build's map and trends.
    for (const k of cache.keys()) if (!k.endsWith(`@${build}`)) cache.delete(k);
    hit = make();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}
