import { describe, expect, it } from 'vitest';
import type { Feed } from '../../src/profile/feed.ts';
import { FeedCache } from '../../src/app/feed-cache.ts';
import { NOW, testServer } from '../server/helpers.ts';

const fakeFeed = (n: number) => ({ profile: 'Ada', from: 'a', to: 'b', items: [], stats: { n } }) as unknown as Feed;

describe('feed cache', () => {
  it('reuses a feed only while the profile, its feedback and the corpus are unchanged', async () => {
    const { store } = await testServer();
    const profile = await store.profiles.createProfile('Ada', {}, NOW.toISOString());
    const p1 = (await store.papers.getPaper('arxiv:2510.00001'))!;
    const p2 = (await store.papers.getPaper('arxiv:2510.00002'))!;
    await store.profiles.addProfilePapers(profile.profileId, [{ pk: p1.pk, origin: 'manual' }], NOW.toISOString());
    let t = 0;
    const cache = new FeedCache(() => t);
    let builds = 0;
    const get = (opts = { from: '2025-10-01', to: '2025-10-10' }, corpus: unknown[] = [1]) => cache.get(store, 'Ada', opts, corpus, async () => fakeFeed(++builds));
    await get();
    await get();
    expect(builds).toBe(1);
    await store.profiles.addFeedback(profile.profileId, p2.pk, 'dismiss', NOW.toISOString());
    await get();
    expect(builds).toBe(2);
    await store.profiles.addProfilePapers(profile.profileId, [{ pk: p2.pk, origin: 'manual' }], NOW.toISOString());
    await get();
    expect(builds).toBe(3);
    await get({ from: '2025-10-02', to: '2025-10-10' });
    expect(builds).toBe(4);
    await get(undefined, [2]);
    expect(builds).toBe(5);
    await get(undefined, [2]);
    expect(builds).toBe(5);
    // The same options written in another order are the same feed.
    await get({ to: '2025-10-10', from: '2025-10-01' } as { from: string; to: string }, [2]);
    expect(builds).toBe(5);
    t += 11 * 60_000;
    await get(undefined, [2]);
    expect(builds).toBe(6);
  });

  it('does not keep failures', async () => {
    const { store } = await testServer();
    await store.profiles.createProfile('Ada', {}, NOW.toISOString());
    const cache = new FeedCache();
    await expect(cache.get(store, 'Ada', {}, [], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await cache.get(store, 'Ada', {}, [], async () => fakeFeed(1))).stats).toEqual({ n: 1 });
  });
});
