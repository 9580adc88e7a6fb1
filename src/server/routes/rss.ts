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
import { publicUrl } from '../../digest/public-url.ts';
import { digestSettings } from '../../digest/settings.ts';
import { listingWindow } from '../../profile/window.ts';
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
    description: 'Get the URL with `radar digest NAME --feed-url`. Covers the last 7 days ending at the newest listing day not after today (the channel description names them); papers without a listing day are never in it.',
    produces: 'application/rss+xml',
    // The token in the URL is the credential: feed readers do not sign in.
    access: 'public',
    params: z.object({ profile: z.string().min(1).max(200), file: z.string().regex(/^[A-Za-z0-9_-]+\.(rss|atom)$/) }),
    handler: async ({ params, reply, req }) => {
      const config = ctx.config ?? defaultConfig();
      const [token, format] = params.file.split('.') as [string, 'rss' | 'atom'];
      const secret = await resolveSecret(config.secret, ctx.store.jobs, ctx.now());
      const unknown = () => notFound(`no feed at this address`);
      // A member's feed token names its account (signed with it); the plain form is the local admin's.
      const owner = feedTokenOwner(token);
      const store = owner === undefined ? ctx.store : ctx.store.forOwner(owner);
      if (!verifyFeedToken(secret, params.profile, token, owner)) throw unknown();
      let settings;
      try {
        settings = await digestSettings(store, config, params.profile);
      } catch {
        throw unknown();
      }
      if (settings.rss === false || !(await store.profiles.getProfile(params.profile))) throw unknown();
      const now = ctx.now();
      const baseUrl = (await publicUrl(config, ctx.store.jobs, { protocol: req.protocol, host: req.headers.host })).url;
      const key = `${owner ?? ''}/${params.profile}.${format}.${baseUrl}`;
      const hit = cache.get(key);
      let xml = hit && now.getTime() - hit.at < CACHE_MS && now.getTime() >= hit.at ? hit.xml : undefined;
      if (!xml) {
        // The feeds' window rule (src/profile/window.ts): the last FEED_DAYS days ending at the newest listing day not after today.
        const w = await listingWindow(ctx.store.papers, FEED_DAYS, now);
        const window = { from: w.from, to: w.to };
        const limit = settings.origin === 'config' ? settings.limit : Math.max(settings.limit, 20);
        const digest = await composeDigest({ store, config, rank: serverRanker(ctx.services, store), baseUrl }, params.profile, window, now, 'rss', { limit });
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
