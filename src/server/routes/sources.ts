/** The sources the app follows: /api/sources (list with each one's state, follow, unfollow); src/app/sources.ts does the work. */
import { z } from 'zod';
import { addSource, listSources, removeSource } from '../../app/sources.ts';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';

export const sourcesRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/sources',
    tags: ['sources'],
    summary: 'Followed sources with their state: last fetched, next run, last error in words, back-fill progress',
    handler: async ({ ctx }) => ({ sources: await listSources(ctx) }),
  });
  defineRoute(api, {
    method: 'POST',
    url: '/sources',
    tags: ['sources'],
    summary: 'Follow an arXiv category (`cs.LG`) or Hugging Face Daily Papers (`hf`); queues a back-fill of the last `backfillDays` days (default 7)',
    body: z.object({ source: z.string().min(1).max(100), backfillDays: z.coerce.number().int().min(0).max(366).optional() }).strict(),
    handler: async ({ ctx, body, reply }) => {
      const r = await addSource(ctx, body.source, body.backfillDays);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  });
  defineRoute(api, {
    method: 'DELETE',
    url: '/sources/:name',
    tags: ['sources'],
    summary: 'Stop following a source (`arxiv:cs.LG` or `hf`); its papers stay',
    params: z.object({ name: z.string().min(1).max(100) }),
    handler: async ({ ctx, params }) => {
      await removeSource(ctx, params.name);
      return { removed: true };
    },
  });
};
