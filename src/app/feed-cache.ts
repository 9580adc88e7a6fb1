/**
 * A small cache of built feeds. Building a feed fits the profile's model
 * (seconds on a big corpus), and the same feed is asked for again and again
 * (reloads, paging back, the paper page's "why"). An entry is reused only
 * while everything that shapes it is unchanged: the profile (settings, rules,
 * papers), its feedback, and what the caller says about the corpus (papers
 * in the window, the indexes' change numbers), and the request itself;
 * entries also expire after a while.
 */
import type { Feed, FeedOptions } from '../profile/feed.ts';
import type { Store } from '../store/types.ts';

const MAX_ENTRIES = 32;
const TTL_MS = 10 * 60_000;

interface Entry {
  key: string;
  feed: Promise<Feed>;
  at: number;
}

export class FeedCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** What the feed depends on in the store, as one string. */
  static async stateKey(store: Store, profileName: string, corpus: unknown[]): Promise<string | undefined> {
    const profile = await store.profiles.getProfile(profileName);
    if (!profile) return undefined;
    const [papers, feedback] = await Promise.all([store.profiles.profilePapers(profile.profileId), store.profiles.feedback(profile.profileId)]);
    return JSON.stringify([
      profile.profileId,
      profile.updatedAt,
      JSON.stringify(profile.settings),
      papers.map((x) => x.pk).join(','),
      feedback.map((f) => `${f.pk}:${f.action}:${f.at}`).join(','),
      corpus,
    ]);
  }

  /** The cached feed, or `build()`'s. `corpus`: values that change when the papers or indexes do. */
  async get(store: Store, profileName: string, opts: FeedOptions, corpus: unknown[], build: () => Promise<Feed>): Promise<Feed> {
    const state = await FeedCache.stateKey(store, profileName, corpus);
    if (state === undefined) return build(); // unknown profile: let the builder say so
    const { now: _now, ...rest } = opts;
    // Sorted keys: callers building the same options in another order share the entry.
    const opt = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
    const key = `${profileName}\u0000${state}\u0000${JSON.stringify(opt, (_k, v) => (v === -Infinity ? '-Infinity' : v))}`;
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < TTL_MS) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.feed;
    }
    const feed = build();
    this.entries.set(key, { key, feed, at: t });
    feed.catch(() => this.entries.delete(key));
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return feed;
  }
}
