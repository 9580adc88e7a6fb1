/**
 * A profile's feed for feed readers: `/api/feeds/NAME/TOKEN.rss` (RSS 2.0)
 * and `.atom` (Atom 1.0). The token is an HMAC of the profile name
 * (src/digest/tokens.ts): the URL is the only credential, so a wrong token
 * answers 404 exactly like an unknown profile. Items are the profile's feed
 * over the last 7 days, ranked and explained, with like/dismiss links.
 * Rendered feeds are kept for a few minutes: readers poll often, and a
 * feed build trains the profile's model.
 */
import { z } from 'zod';
import { defaultConfig } from '../../config/load.ts';
import { composeDigest } from '../../digest/send.ts';
import { serverRanker } from '../../digest/rank.ts';
import { renderFeed } from '../../digest/render-feed.ts';
import { feedTokenOwner, resolveSecret, verifyFeedToken } from '../../digest/tokens.ts';
import { localDay } from '../../digest/window.ts';
import { addDays } from '../../paper/days.ts';
import type { RouteModule } from '../../http/app.ts';
import { notFound } from '../../app/errors.ts';
import { defineRoute } from '../../http/route.ts';

const CACHE_MS = 5 * 60_000;
export const FEED_DAYS = 7;

export const rssRoutes: RouteModule = (api, ctx) => {
  const cache = new Map<string, { at: number; xml: string }>();
  defineRoute(api, {
    method: 'GET',
    url: '/feeds/:profile/:file',
    tags: ['digests'],
    summary: "A profile's ranked feed as RSS 2.0 (`TOKEN.rss`) or Atom (`TOKEN.atom`)",
    description: 'Get the URL with `radar digest NAME --feed-url`. Covers the last 7 listing days.',
    produces: 'application/rss+xml',
    // The token in the URL is the credential: feed readers do not sign in.
    access: 'public',
    params: z.object({ profile: z.string().min(1).max(200), file: z.string().regex(/^[A-Za-z0-9_-]+\.(rss|atom)$/) }),
    handler: async ({ params, reply }) => {
      const config = ctx.config ?? defaultConfig();
      const [token, format] = params.file.split('.') as [string, 'rss' | 'atom'];
      const secret = await resolveSecret(config.secret, ctx.store, ctx.now());
      const settings = config.profiles[params.profile]?.digest;
      const unknown = () => notFound(`no feed at this address`);
      // A member's feed token names its account (signed with it); the plain form is the local admin's.
      const owner = feedTokenOwner(token);
      const store = owner === undefined ? ctx.store : ctx.store.forOwner(owner);
      if (!verifyFeedToken(secret, params.profile, token, owner) || settings?.rss === false) throw unknown();
      if (!(await store.getProfile(params.profile))) throw unknown();
      const now = ctx.now();
      const key = `${owner ?? ''}/${params.profile}.${format}`;
      const hit = cache.get(key);
      let xml = hit && now.getTime() - hit.at < CACHE_MS && now.getTime() >= hit.at ? hit.xml : undefined;
      if (!xml) {
        const today = localDay(now, config.timezone);
        const window = { from: addDays(today, -(FEED_DAYS - 1)), to: today };
        const cfg = settings ? config : { ...config, profiles: { ...config.profiles, [params.profile]: { digest: { frequency: 'daily' as const, weekday: 'mon' as const, limit: 20, rss: true } } } };
        const digest = await composeDigest({ store, config: cfg, rank: serverRanker(ctx.services, store) }, params.profile, window, now, 'rss');
        xml = renderFeed(digest, format);
        cache.set(key, { at: now.getTime(), xml });
      }
      return reply
        .type(format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(xml);
    },
  });
};
