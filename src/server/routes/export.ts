/** Your data out: the whole export document (docs/export.md), and a collection as CSL-JSON beside its BibTeX. */
import { z } from 'zod';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';
import { toCslJson } from '../../app/csl.ts';
import { buildExport } from '../../app/export.ts';
import { collectionWithPapers } from '../../app/library.ts';

export const exportRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/export',
    tags: ['library'],
    summary: 'Everything made in this database (profiles, their papers, feedback, rules, notes, collections) as one JSON document; see docs/export.md',
    query: z.object({ papers: z.enum(['referenced', 'all']).default('referenced') }),
    handler: async ({ ctx, query, reply }) => {
      const doc = await buildExport(ctx.store, { now: ctx.now(), allPapers: query.papers === 'all' });
      reply.header('content-disposition', `attachment; filename="paper-radar-export-${doc.exportedAt.slice(0, 10)}.json"`);
      return doc;
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/collections/:name/csl',
    tags: ['library'],
    summary: 'The collection as CSL-JSON (for citeproc, Pandoc, Zotero)',
    params: z.object({ name: z.string().min(1).max(200) }),
    handler: async ({ ctx, params, reply }) => {
      const { papers } = await collectionWithPapers(ctx.store, params.name);
      const file = params.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'collection';
      reply.header('content-disposition', `attachment; filename="${file}.json"`);
      return toCslJson(papers.map((p) => p.paper));
    },
  });
};
