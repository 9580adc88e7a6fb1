/** Health and counts: what a monitor or the page footer asks. */
import { z } from 'zod';
import type { RouteModule } from '../../http/app.ts';
import { VERSION } from '../version.ts';
import { defineRoute } from '../../http/route.ts';

export const metaRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/health',
    tags: ['meta'],
    summary: 'Liveness: the server answers and the store is reachable',
    access: 'public',
    response: z.object({ ok: z.boolean(), version: z.string(), store: z.string() }),
    handler: async ({ ctx }) => {
      await ctx.store.papers.stats();
      return { ok: true, version: VERSION, store: ctx.store.kind };
    },
  });
  defineRoute(api, {
    method: 'GET',
    url: '/stats',
    tags: ['meta'],
    summary: 'Counts of papers, profiles, authors, categories and sources (same as `radar stats --json`)',
    handler: async ({ ctx }) => ctx.store.papers.stats(),
  });
};
