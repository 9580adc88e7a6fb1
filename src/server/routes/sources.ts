/** The sources the app follows: /api/sources (list with each one's state, follow, unfollow). */
import { z } from 'zod';
import { defaultConfig } from '../../config/load.ts';
import { followSource, SourceInputError, sourceStates, unfollowSource } from '../../jobs/follow.ts';
import type { RouteModule } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { defineRoute } from '../route.ts';

export const sourcesRoutes: RouteModule = (api, ctx) => {
  const asHttp = (err: unknown) => (err instanceof SourceInputError ? badRequest(err.message, err.field) : err);
  defineRoute(api, {
    method: 'GET',
    url: '/sources',
    tags: ['sources'],
    summary: 'Followed sources with their state: last fetched, next run, last error in words, back-fill progress',
    handler: async () => ({ sources: await sourceStates(ctx.store, ctx.config ?? defaultConfig(), ctx.now()) }),
  });
  defineRoute(api, {
    method: 'POST',
    url: '/sources',
    tags: ['sources'],
    summary: 'Follow an arXiv category (`cs.LG`) or Hugging Face Daily Papers (`hf`); queues a back-fill of the last `backfillDays` days (default 7)',
    body: z.object({ source: z.string().min(1).max(100), backfillDays: z.coerce.number().int().min(0).max(366).optional() }).strict(),
    handler: async ({ body, reply }) => {
      try {
        const r = await followSource(ctx.store, { name: body.source, backfillDays: body.backfillDays }, ctx.now());
        const state = (await sourceStates(ctx.store, ctx.config ?? defaultConfig(), ctx.now())).find((s) => s.id === r.source.id);
        return reply.code(r.created ? 201 : 200).send({ created: r.created, source: state });
      } catch (err) {
        throw asHttp(err);
      }
    },
  });
  defineRoute(api, {
    method: 'DELETE',
    url: '/sources/:name',
    tags: ['sources'],
    summary: 'Stop following a source (`arxiv:cs.LG` or `hf`); its papers stay',
    params: z.object({ name: z.string().min(1).max(100) }),
    handler: async ({ params }) => {
      let removed: boolean;
      try {
        removed = await unfollowSource(ctx.store, params.name);
      } catch (err) {
        throw asHttp(err);
      }
      if (!removed) throw notFound(`"${params.name}" is not followed`);
      return { removed: true };
    },
  });
};
