/** The private library: notes on papers, and named collections exportable as BibTeX. */
import { z } from 'zod';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';
import {
  addPaperToCollection,
  collectionBibtex,
  collectionWithPapers,
  NOTE_MAX,
  removePaperFromCollection,
  requireCollection,
  requirePaper,
  setNote,
  validCollectionName,
} from '../../app/library.ts';
import { publicPaper } from '../../app/present.ts';

const paperId = z.object({ id: z.string().min(1).max(500) });
const collectionName = z.object({ name: z.string().min(1).max(200) });

export const libraryRoutes: RouteModule = (api) => {

  defineRoute(api, {
    method: 'GET',
    url: '/papers/:id/note',
    tags: ['library'],
    summary: 'The private note on a paper (null when there is none)',
    params: paperId,
    handler: async ({ ctx, params }) => {
      const p = await requirePaper(ctx.store, params.id);
      return { id: p.id, note: (await ctx.store.library.getNote(p.pk)) ?? null };
    },
  });

  defineRoute(api, {
    method: 'PUT',
    url: '/papers/:id/note',
    tags: ['library'],
    summary: 'Sets the private note on a paper; empty text deletes it',
    params: paperId,
    body: z.object({ text: z.string().max(NOTE_MAX) }),
    handler: async ({ ctx, params, body }) => setNote(ctx.store, params.id, body.text, ctx.now()),
  });

  defineRoute(api, {
    method: 'GET',
    url: '/collections',
    tags: ['library'],
    summary: 'Collections with their paper counts',
    handler: async ({ ctx }) => ({ collections: (await ctx.store.library.listCollections()).map(({ collectionId: _id, ...c }) => c) }),
  });

  defineRoute(api, {
    method: 'POST',
    url: '/collections',
    tags: ['library'],
    summary: 'Creates a collection (or returns the one of that name)',
    body: z.object({ name: z.string().max(200) }),
    handler: async ({ ctx, body, reply }) => {
      const { collectionId: _id, ...c } = await ctx.store.library.ensureCollection(validCollectionName(body.name), ctx.now().toISOString());
      reply.code(201);
      return { collection: c };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/collections/:name',
    tags: ['library'],
    summary: 'A collection and its papers, newest addition first',
    params: collectionName,
    handler: async ({ ctx, params }) => {
      const { collection, papers } = await collectionWithPapers(ctx.store, params.name);
      const { collectionId: _id, ...c } = collection;
      return { collection: c, papers: papers.map((p) => ({ ...publicPaper(p.paper), addedAt: p.addedAt })) };
    },
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/collections/:name',
    tags: ['library'],
    summary: 'Deletes a collection (its papers stay in the database)',
    params: collectionName,
    handler: async ({ ctx, params }) => {
      const c = await requireCollection(ctx.store, params.name);
      return { deleted: await ctx.store.library.deleteCollection(c.collectionId) };
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/collections/:name/papers',
    tags: ['library'],
    summary: 'Adds a paper to a collection, creating the collection if needed',
    params: collectionName,
    body: z.object({ id: z.string().min(1).max(500) }),
    handler: async ({ ctx, params, body }) => addPaperToCollection(ctx.store, params.name, body.id, ctx.now()),
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/collections/:name/papers/:id',
    tags: ['library'],
    summary: 'Removes a paper from a collection',
    params: collectionName.extend(paperId.shape),
    handler: async ({ ctx, params }) => removePaperFromCollection(ctx.store, params.name, params.id),
  });

  defineRoute(api, {
    method: 'GET',
    url: '/collections/:name/bibtex',
    tags: ['library'],
    summary: 'The collection as a BibTeX file',
    produces: 'application/x-bibtex',
    params: collectionName,
    handler: async ({ ctx, params, reply }) => {
      const bib = await collectionBibtex(ctx.store, params.name);
      const file = params.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'collection';
      return reply
        .type('application/x-bibtex; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}.bib"`)
        .send(bib);
    },
  });
};
