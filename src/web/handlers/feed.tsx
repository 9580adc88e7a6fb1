/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** A profile's feed ("For you"): one cached ranking of the window, cut into pages. */
import { tldrsFor } from '../../app/tldr.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../app/errors.ts';
import { FEED_SPANS, profileFeed, type FeedSpan } from '../../app/feeds.ts';
import { parsePart } from '../../http/route.ts';
import { activeProfile, setActiveProfile } from '../html.tsx';
import { DEFAULT_FEED_DEPTH, FeedPage, MAX_FEED_DEPTH } from '../pages/feed.tsx';
import { PAGE_SIZE, type Web } from '../web.ts';


export function registerFeed(app: FastifyInstance, web: Web) {

  app.get('/feed', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const q = parsePart(
      z.object({
        profile: z.string().max(200).optional(),
        since: z.enum(Object.keys(FEED_SPANS) as [FeedSpan, ...FeedSpan[]]).default('7d'),
        depth: z.coerce.number().int().min(DEFAULT_FEED_DEPTH).max(MAX_FEED_DEPTH).default(DEFAULT_FEED_DEPTH),
        offset: z.coerce.number().int().min(0).max(MAX_FEED_DEPTH).default(0),
      }),
      req.query,
      'query',
    );
    const all = await store.profiles.listProfiles();
    const profiles = all.map((p) => p.name);
    const chosen = q.profile ?? activeProfile(req);
    const profile = all.find((p) => p.name === chosen) ?? all[0];
    if (q.profile && !profiles.includes(q.profile)) throw new HttpError(404, `no profile named "${q.profile}"`);
    if (profile && profile.name !== activeProfile(req)) setActiveProfile(reply, profile.name);
    // One ranking of the window's best `depth` papers (cached), cut into pages: pages never overlap and
    // paging fits no model (a longer ranking per page would re-diversify and reshuffle the earlier ones).
    const feed = profile ? await profileFeed(ctx, profile.name, { span: FEED_SPANS[q.since], limit: q.depth }) : undefined;
    // Papers with any feedback leave the feed, so its buttons start unpressed.
    const pressed = new Map<string, string[]>();
    const noPapers = !profile && (await store.papers.stats()).papers === 0;
    const tldrs = feed ? await tldrsFor(ctx, feed.items.slice(q.offset, q.offset + PAGE_SIZE).map((it) => it.id)) : undefined;
    return web.send(reply, {
      title: profile ? `For ${profile.name}` : 'For you',
      nav: 'feed',
      body: <FeedPage tldrs={tldrs} profiles={profiles} profile={profile?.name} span={q.since} feed={feed} pressed={pressed} noPapers={noPapers} offset={q.offset} pageSize={PAGE_SIZE} depth={q.depth} moreDepth={q.depth < MAX_FEED_DEPTH ? Math.min(MAX_FEED_DEPTH, q.depth * 2) : undefined} />,
    });
  });
}
