/**
 * The digest's ranking is the profile's feed (src/profile/feed.ts) over the
 * digest window, at the digest's own time: the same papers, order and reasons
 * the researcher sees on the feed page for those days.
 */
import { openProfileDeps } from '../profile/deps.ts';
import { buildFeed } from '../profile/feed.ts';
import type { ProfileDeps } from '../profile/model.ts';
import type { Store } from '../store/types.ts';
import type { RankFn } from './send.ts';

/**
 * `deps` gives the feed's dependencies: the server passes its cached ones
 * (ServerServices.profileDeps); a store alone opens them per call, so a digest
 * job that runs after new papers arrived sees them.
 */
export function feedRanker(deps: Store | (() => Promise<ProfileDeps>)): RankFn {
  const get = typeof deps === 'function' ? deps : () => openProfileDeps(deps);
  return async (profile, window, limit, now) => {
    const feed = await buildFeed(await get(), profile, { from: window.from, to: window.to, limit, now });
    return feed.items;
  };
}

/**
 * The server's cached feed dependencies when it provides them (`ServerServices.profileDeps`), else the
 * store's; either way profiles are looked up in `store` (the view of the account the request acts for).
 */
export function serverRanker(services: object, store: Store): RankFn {
  const cached = (services as { profileDeps?: () => Promise<ProfileDeps> }).profileDeps;
  return feedRanker(cached ? async () => ({ ...(await cached()), store }) : store);
}
