/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The web UI: server-rendered pages (Preact to string) over the same service
 * functions the JSON API uses, plain HTML forms that work without script
 * (post, then redirect), and one small client script that enhances them
 * (live search, optimistic feedback, keyboard shortcuts, note autosave,
 * upload progress). The pages never open the database themselves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, BuildOptions, PageModule } from '../server/app.ts';
import { HttpError } from '../server/errors.ts';
import { parsePart, zDay } from '../server/route.ts';
import {
  addPaperToCollection,
  collectionWithPapers,
  removePaperFromCollection,
  requireCollection,
  requirePaper,
  setNote,
  validCollectionName,
} from '../server/services/library.ts';
import { FEED_SPANS, profileFeed, recordFeedback, whyRecommended, type FeedSpan, type Why } from '../server/services/feeds.ts';
import { dailyListing } from '../server/services/listing.ts';
import { searchForPage } from '../server/services/search.ts';
import { similarForPage } from '../server/services/similar.ts';
import { registerAssets, type Assets } from './assets.ts';
import { paperHref, qs } from './components.tsx';
import { activeProfile, renderFragment, sendPage, setActiveProfile, type PageSpec } from './html.tsx';
import { redirect, field } from './forms.ts';
import { registerImport } from './handlers/import.tsx';
import { registerProfiles } from './handlers/profiles.tsx';
import { DailyPage, type ForMe } from './pages/daily.tsx';
import { FeedPage, itemPaper } from './pages/feed.tsx';
import { PaperPage, WhyBody, type WhyView } from './pages/paper.tsx';
import { SearchPage, SearchResults } from './pages/search.tsx';
import { AuthorPage, CollectionPage, CollectionsPage, ErrorPage } from './pages/simple.tsx';

export interface Web {
  ctx: AppContext;
  assets: Assets;
  send(reply: FastifyReply, spec: PageSpec): FastifyReply;
}

const FLASH: Record<string, string> = {
  note: 'Note saved.',
  saved: 'Saved to the collection.',
  removed: 'Removed from the collection.',
  deleted: 'Collection deleted.',
  created: 'Collection created.',
};

const PAGE_SIZE = 30;
/** How far down the feed page ranks a window (pages of PAGE_SIZE). */
const FEED_DEPTH = 150;

/** Builds the web module: its page routes and the HTML error page the app uses outside /api. */
export function webUi(): Pick<BuildOptions, 'pages' | 'htmlError'> {
  let web: Web | undefined;
  const pages: PageModule = async (app, ctx) => {
    const assets = await registerAssets(app);
    web = { ctx, assets, send: (reply, spec) => sendPage(reply, assets, spec) };
    ctx.sendPage = web.send; // API routes answering a browser (one-click digest links) render in the same shell
    registerPages(app, web);
  };
  const htmlError = (status: number, message: string, _req: FastifyRequest, reply: FastifyReply) => {
    if (!web) return reply.code(status).type('text/plain; charset=utf-8').send(message);
    return web.send(reply, { title: status === 404 ? 'Not found' : 'Error', nav: 'none', status, body: <ErrorPage status={status} message={message} /> });
  };
  return { pages: [pages], htmlError };
}

const dailyQuery = z.object({
  day: zDay.optional(),
  view: z.enum(['day', 'week', 'month']).default('day'),
  sort: z.enum(['trending', 'date', 'upvotes', 'forme']).default('trending'),
  profile: z.string().max(200).optional(),
  category: z.string().trim().max(40).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});


function registerPages(app: FastifyInstance, web: Web) {
  const { ctx } = web;
  const { store } = ctx;

  registerProfiles(app, web);
  registerImport(app, web);

  app.get('/', async (req, reply) => {
    const q = parsePart(dailyQuery, req.query, 'query');
    const listing = await dailyListing(store, {
      day: q.day,
      view: q.view,
      sort: q.sort === 'forme' ? 'trending' : q.sort,
      categories: q.category ? [q.category] : undefined,
      limit: PAGE_SIZE,
      offset: q.offset,
    });
    // No day anywhere (prev/next ignore the category): either no papers at all, or only undated ones.
    const noDays = !listing.day || (listing.days.length === 0 && !listing.prev && !listing.next);
    const stats = noDays ? await store.stats() : undefined;
    const undated =
      stats && stats.papers > 0
        ? { count: stats.papers, some: await store.undatedPapers({ addedFrom: '0000-01-01T00:00:00.000Z', addedTo: '9999-12-31T23:59:59.999Z', limit: 5 }) }
        : undefined;
    const profiles = (await store.listProfiles()).map((p) => p.name);
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
        />
      ),
    });
  });

  // ---- search -----------------------------------------------------------
  // Any text is a valid query (the parser never throws); only the controls' shapes are checked.
  const searchQuery = z.object({
    q: z.string().max(10_000).optional(),
    sort: z.enum(['relevance', 'date', 'upvotes']).optional(),
    cat: z.string().max(200).optional(),
    author: z.string().max(200).optional(),
    from: z.string().max(20).optional(),
    to: z.string().max(20).optional(),
    offset: z.coerce.number().int().min(0).max(10_000).optional(),
    partial: z.literal('1').optional(),
  });
  app.get('/search', async (req, reply) => {
    const { partial, ...params } = parsePart(searchQuery, req.query, 'query');
    const r = await searchForPage(ctx, params);
    if (partial) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderFragment(<SearchResults params={params} {...r} />));
    }
    return web.send(reply, { title: r.text ? `${r.text} · Search` : 'Search', nav: 'search', q: params.q, liveMath: true, body: <SearchPage params={params} {...r} /> });
  });

  // ---- paper page -------------------------------------------------------
  const paperParams = z.object({ id: z.string().min(1).max(500) });
  app.get('/paper/:id', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional(), similar: z.enum(['recent', 'popular']).optional() }), req.query, 'query');
    const paper = await requirePaper(store, id);
    if (paper.id !== id) return reply.code(301).header('location', paperHref(paper.id) + qs({ similar: q.similar })).send();
    const [provenance, note, collections, inCollections, profiles, similar] = await Promise.all([
      store.provenance(paper.pk),
      store.getNote(paper.pk),
      store.listCollections(),
      store.collectionsOf(paper.pk),
      store.listProfiles(),
      similarForPage(ctx, paper, q.similar ?? 'similarity').catch((err) => {
        ctx.log(`radar serve: similar papers for ${paper.id} failed: ${(err as Error).stack ?? err}`);
        return { unavailable: 'Similar papers could not be computed (see the server log).', reason: 'indexes' as const };
      }),
    ]);
    const chosen = activeProfile(req);
    const profile = profiles.find((p) => p.name === chosen) ?? (profiles.length === 1 ? profiles[0] : undefined);
    let why: WhyView | undefined;
    let pressed: string[] = [];
    if (profile) {
      pressed = (await store.feedback(profile.profileId)).filter((f) => f.pk === paper.pk).map((f) => f.action);
      why = describeWhy(await whyRecommended(ctx, profile.name, paper, { rank: false }), profile.name, paper.id);
    }
    return web.send(reply, {
      title: paper.title || paper.id,
      nav: 'none',
      body: (
        <PaperPage
          paper={paper}
          provenance={provenance}
          note={note}
          collections={collections}
          inCollections={inCollections}
          similar={similar}
          profile={profile?.name}
          why={why}
          feedback={pressed}
          flash={q.flash ? FLASH[q.flash] : undefined}
        />
      ),
    });
  });

  app.post('/paper/:id/note', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const r = await setNote(store, id, field(req.body, 'text'), ctx.now());
    return redirect(reply, `${paperHref(r.id)}?flash=note`);
  });

  app.post('/paper/:id/collect', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const r = await addPaperToCollection(store, field(req.body, 'collection') || 'Saved', id, ctx.now());
    return redirect(reply, `${paperHref(r.id)}?flash=saved`);
  });

  // Why a profile would want a paper: ranking its day costs a model fit, so the paper page
  // loads this after it has painted (client script), or links here without script.
  app.get('/paper/:id/why', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const q = parsePart(z.object({ profile: z.string().min(1).max(200), partial: z.literal('1').optional() }), req.query, 'query');
    const paper = await requirePaper(store, id);
    const why = describeWhy(await whyRecommended(ctx, q.profile, paper), q.profile, paper.id);
    const body = <WhyBody why={why} profile={q.profile} />;
    if (q.partial) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderFragment(body));
    return web.send(reply, {
      title: `Why for ${q.profile}`,
      nav: 'none',
      body: (
        <>
          <p>
            <a href={paperHref(paper.id)}>← {paper.title || paper.id}</a>
          </p>
          <h1>Why {q.profile} would want this paper</h1>
          {body}
        </>
      ),
    });
  });

  // Feedback from a feed card or the paper page. The client script posts here asking for JSON
  // (optimistic update); without script the form posts and comes back to where it was.
  app.post('/paper/:id/feedback', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const b = parsePart(
      z.object({ profile: z.string().min(1).max(200), action: z.enum(['like', 'save', 'dismiss', 'seen']), undo: z.union([z.boolean(), z.enum(['1', 'true', ''])]).optional(), back: z.string().optional() }),
      req.body,
      'body',
    );
    const undo = b.undo === true || b.undo === '1' || b.undo === 'true';
    const r = await recordFeedback(ctx, b.profile, id, b.action, undo);
    if ((req.headers.accept ?? '').includes('application/json')) return r;
    return redirect(reply, b.back === 'feed' ? `/feed${qs({ profile: b.profile })}` : `${paperHref(r.id)}`);
  });

  // ---- feed -------------------------------------------------------------
  app.get('/feed', async (req, reply) => {
    const q = parsePart(
      z.object({
        profile: z.string().max(200).optional(),
        since: z.enum(Object.keys(FEED_SPANS) as [FeedSpan, ...FeedSpan[]]).default('7d'),
        offset: z.coerce.number().int().min(0).max(FEED_DEPTH).default(0),
      }),
      req.query,
      'query',
    );
    const all = await store.listProfiles();
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
    const noPapers = !profile && (await store.stats()).papers === 0;
    return web.send(reply, {
      title: profile ? `For ${profile.name}` : 'For you',
      nav: 'feed',
      body: <FeedPage profiles={profiles} profile={profile?.name} span={q.since} feed={feed} pressed={pressed} noPapers={noPapers} offset={q.offset} pageSize={PAGE_SIZE} />,
    });
  });

  // ---- authors ----------------------------------------------------------
  app.get('/author/:name', async (req, reply) => {
    const { name } = parsePart(z.object({ name: z.string().trim().min(1).max(300) }), req.params, 'path');
    const [papers, others] = await Promise.all([store.papersByAuthor(name, 500), store.findAuthors(name.split(/\s+/).pop() ?? name, 20)]);
    return web.send(reply, { title: name, nav: 'none', body: <AuthorPage name={name} papers={papers} others={others} /> });
  });

  // ---- collections ------------------------------------------------------
  app.get('/collections', async (req, reply) => {
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return web.send(reply, {
      title: 'Collections',
      nav: 'collections',
      body: <CollectionsPage collections={await store.listCollections()} flash={q.flash ? FLASH[q.flash] : undefined} />,
    });
  });

  app.post('/collections', async (req, reply) => {
    let name: string;
    try {
      name = validCollectionName(field(req.body, 'name'));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return web.send(reply, {
        title: 'Collections',
        nav: 'collections',
        status: 400,
        body: <CollectionsPage collections={await store.listCollections()} error={err.message} />,
      });
    }
    const c = await store.ensureCollection(name, ctx.now().toISOString());
    return redirect(reply, `/collections/${encodeURIComponent(c.name)}?flash=created`);
  });

  const collectionParams = z.object({ name: z.string().min(1).max(200) });
  app.get('/collections/:name', async (req, reply) => {
    const { name } = parsePart(collectionParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    const { collection, papers } = await collectionWithPapers(store, name);
    return web.send(reply, {
      title: collection.name,
      nav: 'collections',
      body: <CollectionPage collection={collection} papers={papers} flash={q.flash ? FLASH[q.flash] : undefined} />,
    });
  });

  app.post('/collections/:name/remove', async (req, reply) => {
    const { name } = parsePart(collectionParams, req.params, 'path');
    const r = await removePaperFromCollection(store, name, field(req.body, 'id'));
    return redirect(reply, `/collections/${encodeURIComponent(r.collection)}?flash=removed`);
  });

  app.post('/collections/:name/delete', async (req, reply) => {
    const { name } = parsePart(collectionParams, req.params, 'path');
    const c = await requireCollection(store, name);
    await store.deleteCollection(c.collectionId);
    return redirect(reply, '/collections?flash=deleted');
  });
}

function describeWhy(w: Why, profile: string, id: string): WhyView {
  switch (w.kind) {
    case 'pending':
      return { pending: `${paperHref(id)}/why${qs({ profile })}` };
    case 'ranked':
      return { reasons: w.reasons, score: w.score };
    case 'own':
      return { unavailable: `This is one of ${profile}'s own papers: it teaches the ranking and never appears in the feed.` };
    case 'feedback':
      return { unavailable: `You marked this paper: ${w.actions.join(', ')}. ${w.actions.includes('dismiss') ? 'It will not be shown again.' : 'The ranking learns from it.'}` };
    case 'unranked':
      return { unavailable: w.message };
  }
}
