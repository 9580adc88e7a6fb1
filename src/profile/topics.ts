/**
 * The topics near a profile: those its papers fall in, with their trends, so
 * the profile page and the digest can say what is rising in the person's area.
 */
import { isoDay } from '../paper/days.ts';
import { loadTopics, summarise, topicsOfPapers, type TopicsView } from '../vectors/topics/read.ts';
import type { Store } from '../store/types.ts';
import { requireProfile } from './profiles.ts';

export interface TopicsOptions {
  /** Only the topics near this profile. */
  profile?: string;
  /** Trends end no later than this day (default: the newest week with papers). */
  today?: string;
  /** Topics near a profile, at most (default 8). */
  near?: number;
}

/** All topics (or a profile's), most rising first; undefined when no topics are built yet. */
export async function topicsView(store: Store, opts: TopicsOptions = {}): Promise<TopicsView | undefined> {
  const meta = await loadTopics(store);
  if (!meta) return undefined;
  if (!opts.profile) return summarise(meta, { today: opts.today });
  const profile = await requireProfile(store, opts.profile);
  const pks = (await store.profiles.profilePapers(profile.profileId)).map((l) => l.pk);
  const liked = (await store.profiles.feedback(profile.profileId)).filter((f) => f.action === 'like' || f.action === 'save').map((f) => f.pk);
  const only = await topicsOfPapers(store, meta, [...pks, ...liked], opts.near ?? 8);
  return summarise(meta, { today: opts.today, only });
}

/** The rising topics near a profile (significant rises only), for a "rising in your area" block. */
export async function risingNear(store: Store, profile: string, now: Date, limit = 3): Promise<TopicsView['topics']> {
  const view = await topicsView(store, { profile, today: isoDay(now) });
  return (view?.topics ?? []).filter((t) => t.rising).slice(0, limit);
}
