/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Collections: the list, one collection, and the forms that create, empty and delete them. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../app/errors.ts';
import { collectionWithPapers, removePaperFromCollection, requireCollection, validCollectionName } from '../../app/library.ts';
import { parsePart } from '../../http/route.ts';
import { field, redirect } from '../forms.ts';
import { CollectionPage, CollectionsPage } from '../pages/simple.tsx';
import { FLASH, type Web } from '../web.ts';

export function registerCollections(app: FastifyInstance, web: Web) {

  app.get('/collections', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return web.send(reply, {
      title: 'Collections',
      nav: 'collections',
      body: <CollectionsPage collections={await store.library.listCollections()} flash={q.flash ? FLASH[q.flash] : undefined} />,
    });
  });

  app.post('/collections', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    let name: string;
    try {
      name = validCollectionName(field(req.body, 'name'));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return web.send(reply, {
        title: 'Collections',
        nav: 'collections',
        status: 400,
        body: <CollectionsPage collections={await store.library.listCollections()} error={err.message} />,
      });
    }
    const c = await store.library.ensureCollection(name, ctx.now().toISOString());
    return redirect(reply, `/collections/${encodeURIComponent(c.name)}?flash=created`);
  });

  const collectionParams = z.object({ name: z.string().min(1).max(200) });
  app.get('/collections/:name', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(collectionParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    const { collection, papers } = await collectionWithPapers(ctx.store, name);
    return web.send(reply, {
      title: collection.name,
      nav: 'collections',
      body: <CollectionPage collection={collection} papers={papers} flash={q.flash ? FLASH[q.flash] : undefined} />,
    });
  });

  app.post('/collections/:name/remove', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(collectionParams, req.params, 'path');
    const r = await removePaperFromCollection(ctx.store, name, field(req.body, 'id'));
    return redirect(reply, `/collections/${encodeURIComponent(r.collection)}?flash=removed`);
  });

  app.post('/collections/:name/delete', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { name } = parsePart(collectionParams, req.params, 'path');
    const c = await requireCollection(store, name);
    await store.library.deleteCollection(c.collectionId);
    return redirect(reply, '/collections?flash=deleted');
  });
}
