/** Papers: the daily listing, one paper, the days that have papers, authors. */
import { z } from 'zod';
import type { RouteModule } from '../../http/app.ts';
import { HttpError, notFound } from '../../app/errors.ts';
import { defineRoute, zDay, zLimit, zList, zOffset } from '../../http/route.ts';
import { dailyListing } from '../../app/listing.ts';
import { publicPaper } from '../../app/present.ts';
import { similarForPage } from '../../app/similar.ts';

export const papersRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/papers',
    tags: ['papers'],
    summary: 'The daily listing: papers of a day, week or month, sorted, with the previous/next periods that have papers',
    query: z.object({
      day: zDay.optional().describe('any day in the period (default: the latest day with papers)'),
      view: z.enum(['day', 'week', 'month']).default('day'),
      sort: z.enum(['trending', 'date', 'upvotes']).default('trending').describe('trending = upvotes decayed by age; date = newest first'),
      category: zList.optional().describe('only these categories (comma-separated or repeated)'),
      limit: zLimit(200, 30),
      offset: zOffset,
    }),
    handler: async ({ ctx, query }) => {
      const l = await dailyListing(ctx.store, { ...query, categories: query.category, today: ctx.now().toISOString().slice(0, 10) });
      return { ...l, papers: l.papers.map(publicPaper) };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/days',
    tags: ['papers'],
    summary: 'Days that have papers, newest first, with counts',
    query: z.object({ from: zDay.optional(), to: zDay.optional(), limit: zLimit(5000, 60) }),
    handler: async ({ ctx, query }) => ({ days: await ctx.store.papers.listingDays(query) }),
  });

  defineRoute(api, {
    method: 'GET',
    url: '/papers/:id',
    tags: ['papers'],
    summary: 'One paper (by any id it is known under: arxiv:…, a bare arXiv id, doi:…) with where each part came from',
    params: z.object({ id: z.string().min(1).max(500) }),
    handler: async ({ ctx, params }) => {
      const paper = await ctx.store.papers.getPaper(params.id);
      if (!paper) throw notFound(`no paper with id "${params.id}"`);
      return { paper: publicPaper(paper), provenance: await ctx.store.papers.provenance(paper.pk) };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/papers/:id/similar',
    tags: ['papers'],
    summary: 'Papers similar to one paper (TF-IDF with feedback + the dense model), best first',
    description: '`sort=recent|popular` re-orders the closest papers by listing date or upvotes. 503 while the indexes are not built yet.',
    params: z.object({ id: z.string().min(1).max(500) }),
    query: z.object({ limit: zLimit(100, 10), sort: z.enum(['similarity', 'recent', 'popular']).default('similarity') }),
    handler: async ({ ctx, params, query }) => {
      const paper = await ctx.store.papers.getPaper(params.id);
      if (!paper) throw notFound(`no paper with id "${params.id}"`);
      const r = await similarForPage(ctx, paper, query.sort, query.limit);
      if ('unavailable' in r) {
        // A paper with no neighbours is an empty answer; missing indexes are the server's state, said as 503.
        if (r.reason === 'none') return { paper: { id: paper.id, title: paper.title }, sort: query.sort, results: [] };
        throw new HttpError(503, r.unavailable);
      }
      return {
        paper: { id: paper.id, title: paper.title },
        sort: r.sort,
        results: r.items.map(({ paper: p, score }) => ({ ...publicPaper(p), score: Math.round(score * 10000) / 10000 })),
      };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/authors',
    tags: ['papers'],
    summary: 'Author names matching a name or part of one, with paper counts',
    query: z.object({ q: z.string().trim().min(1).max(200), limit: zLimit(100, 20) }),
    handler: async ({ ctx, query }) => ({ authors: await ctx.store.papers.findAuthors(query.q, query.limit) }),
  });

  defineRoute(api, {
    method: 'GET',
    url: '/authors/:name/papers',
    tags: ['papers'],
    summary: "An author's papers, newest first",
    params: z.object({ name: z.string().min(1).max(300) }),
    query: z.object({ limit: zLimit(500, 100) }),
    handler: async ({ ctx, params, query }) => ({ name: params.name, papers: (await ctx.store.papers.papersByAuthor(params.name, query.limit)).map(publicPaper) }),
  });
};
