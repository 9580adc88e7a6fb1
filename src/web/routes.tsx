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
import { dailyListing } from '../server/services/listing.ts';
import { registerAssets, type Assets } from './assets.ts';
import { paperHref, qs } from './components.tsx';
import { activeProfile, sendPage, type PageSpec } from './html.tsx';
import { DailyPage } from './pages/daily.tsx';
import { PaperPage } from './pages/paper.tsx';
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

/** Builds the web module: its page routes and the HTML error page the app uses outside /api. */
export function webUi(): Pick<BuildOptions, 'pages' | 'htmlError'> {
  let web: Web | undefined;
  const pages: PageModule = async (app, ctx) => {
    const assets = await registerAssets(app);
    web = { ctx, assets, send: (reply, spec) => sendPage(reply, assets, spec) };
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

function redirect(reply: FastifyReply, url: string) {
  return reply.code(303).header('location', url).send();
}

function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

function registerPages(app: FastifyInstance, web: Web) {
  const { ctx } = web;
  const { store } = ctx;

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
    const empty = !listing.day && (await store.stats()).papers === 0;
    const profiles = (await store.listProfiles()).map((p) => p.name);
    const profile = q.profile ?? activeProfile(req) ?? profiles[0];
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
          forMeError={q.sort === 'forme' ? 'Ranking for a profile is not available yet in this build.' : undefined}
          pageSize={PAGE_SIZE}
          offset={q.offset}
          empty={empty}
        />
      ),
    });
  });

  // ---- paper page -------------------------------------------------------
  const paperParams = z.object({ id: z.string().min(1).max(500) });
  app.get('/paper/:id', async (req, reply) => {
    const { id } = parsePart(paperParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional(), similar: z.enum(['recent', 'popular']).optional() }), req.query, 'query');
    const paper = await requirePaper(store, id);
    if (paper.id !== id) return reply.code(301).header('location', paperHref(paper.id) + qs({ similar: q.similar })).send();
    const [provenance, note, collections, inCollections] = await Promise.all([
      store.provenance(paper.pk),
      store.getNote(paper.pk),
      store.listCollections(),
      store.collectionsOf(paper.pk),
    ]);
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
