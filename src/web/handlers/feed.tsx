/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** A profile's feed ("For you"): one cached ranking of the window, cut into pages. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../app/errors.ts';
import { FEED_SPANS, profileFeed, type FeedSpan } from '../../app/feeds.ts';
import { parsePart } from '../../http/route.ts';
import { activeProfile, setActiveProfile } from '../html.tsx';
import { FeedPage } from '../pages/feed.tsx';
import { PAGE_SIZE, type Web } from '../web.ts';

/** How far down the feed page ranks a window (pages of PAGE_SIZE). */
const FEED_DEPTH = 150;

export function registerFeed(app: FastifyInstance, web: Web) {

  app.get('/feed', async (req, reply) => {
    const ctx = req.actx;
    const q = parsePart(
      z.object({
        profile: z.string().max(200).optional(),
        since: z.enum(Object.keys(FEED_SPANS) as [FeedSpan, ...FeedSpan[]]).default('7d'),
        offset: z.coerce.number().int().min(0).max(FEED_DEPTH).default(0),
      }),
      req.query,
      'query',
    );
    const all = await ctx.store.listProfiles();
    const profiles = all.map((p) => p.name);
    const chosen = q.profile ?? activeProfile(req);
    const profile = all.find((p) => p.name === chosen) ?? all[0];
    if (q.profile && !profiles.includes(q.profile)) throw new HttpError(404, `no profile named "${q.profile}"`);
    if (profile && profile.name !== activeProfile(req)) setActiveProfile(reply, profile.name);
    // One ranking of the window's best FEED_DEPTH papers (cached), cut into pages: pages never overlap and
    // paging fits no model (a longer ranking per page would re-diversify and reshuffle the earlier ones).
    const feed = profile ? await profileFeed(ctx, profile.name, { span: FEED_SPANS[q.since], limit: FEED_DEPTH }) : undefined;
    // Papers with any feedback leave the feed, so its buttons start unpressed.
    const pressed = new Map<string, string[]>();
    const noPapers = !profile && (await ctx.store.stats()).papers === 0;
    return web.send(reply, {
      title: profile ? `For ${profile.name}` : 'For you',
      nav: 'feed',
      body: <FeedPage profiles={profiles} profile={profile?.name} span={q.since} feed={feed} pressed={pressed} noPapers={noPapers} offset={q.offset} pageSize={PAGE_SIZE} />,
    });
  });
}
