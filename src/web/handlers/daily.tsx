/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The daily page (`/`): one day, week or month of papers, sorted by trend,
 * date, upvotes or "for me" (a profile's ranking of that period).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { profileFeed } from '../../app/feeds.ts';
import { labView } from '../../app/lab.ts';
import { dailyListing } from '../../app/listing.ts';
import { parsePart, zDay } from '../../http/route.ts';
import { activeProfile } from '../html.tsx';
import { DailyPage, type ForMe } from '../pages/daily.tsx';
import { itemPaper } from '../pages/feed.tsx';
import { PAGE_SIZE, type Web } from '../web.ts';

const dailyQuery = z.object({
  day: zDay.optional(),
  view: z.enum(['day', 'week', 'month']).default('day'),
  sort: z.enum(['trending', 'date', 'upvotes', 'forme']).default('trending'),
  profile: z.string().max(200).optional(),
  category: z.string().trim().max(40).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function registerDaily(app: FastifyInstance, web: Web) {

  app.get('/', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const q = parsePart(dailyQuery, req.query, 'query');
    const listing = await dailyListing(ctx.store, {
      day: q.day,
      view: q.view,
      sort: q.sort === 'forme' ? 'trending' : q.sort,
      categories: q.category ? [q.category] : undefined,
      limit: PAGE_SIZE,
      offset: q.offset,
      today: ctx.now().toISOString().slice(0, 10),
    });
    // No day anywhere (prev/next ignore the category): either no papers at all, or only undated ones.
    const noDays = !listing.day || (listing.days.length === 0 && !listing.prev && !listing.next);
    const stats = noDays ? await store.papers.stats() : undefined;
    const undated =
      stats && stats.papers > 0
        ? { count: stats.papers, some: await store.profiles.undatedPapers({ addedFrom: '0000-01-01T00:00:00.000Z', addedTo: '9999-12-31T23:59:59.999Z', limit: 5 }) }
        : undefined;
    const profiles = (await store.profiles.listProfiles()).map((p) => p.name);
    const chosen = q.profile ?? activeProfile(req);
    const profile = chosen && profiles.includes(chosen) ? chosen : profiles[0];
    let forMe: ForMe | undefined;
    if (q.sort === 'forme' && profile && listing.from && listing.to && !undated) {
      // The period's dated papers (as the listing counts them, in its category), all ranked in the
      // profile's score order with no cut-off: one cached ranking that the pages cut, so they never overlap.
      const feed = await profileFeed(ctx, profile, { from: listing.from, to: listing.to, limit: 100_000, cutoff: -Infinity, diversity: 1, includeUndated: false, category: q.category });
      forMe = {
        total: feed.items.length,
        hidden: Math.max(0, listing.total - feed.items.length),
        items: feed.items.slice(q.offset, q.offset + PAGE_SIZE).map((it) => ({ paper: itemPaper(it), reasons: it.reasons, score: it.score })),
      };
    }
    // On a shared instance only (two accounts or more), and only on the first page.
    const lab = q.offset === 0 ? await labView(ctx) : undefined;
    return web.send(reply, {
      title: 'Daily papers',
      nav: 'daily',
      body: (
        <DailyPage
          listing={listing}
          sort={q.sort === 'forme' && !profiles.length ? 'trending' : q.sort}
          category={q.category}
          profiles={profiles}
          profile={profile}
          forMe={forMe}
          pageSize={PAGE_SIZE}
          offset={q.offset}
          empty={stats?.papers === 0}
          undated={undated}
          lab={lab}
        />
      ),
    });
  });
}
