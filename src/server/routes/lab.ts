/** "Popular in your lab" (what members liked and saved lately) and each member's choice to be named there. */
import { z } from 'zod';
import { labView, setShowInLab } from '../../app/lab.ts';
import { publicPaper } from '../../app/present.ts';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';

export const labRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/lab',
    tags: ['accounts'],
    summary:
      'Papers most liked and saved by the members over the last `days` (default 14), with counts and the names of members who chose to be shown; empty on an instance with fewer than two accounts',
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(14), limit: z.coerce.number().int().min(1).max(100).default(10) }),
    handler: async ({ ctx, query }) => {
      const lab = await labView(ctx, { days: query.days, limit: query.limit });
      return {
        days: query.days,
        papers: (lab?.entries ?? []).map((e) => ({ paper: publicPaper(e.paper), likes: e.likes, saves: e.saves, members: e.members, names: e.names })),
      };
    },
  });

  defineRoute(api, {
    method: 'PUT',
    url: '/me/lab',
    tags: ['accounts'],
    summary: 'Whether your name is shown next to the papers you like and save in "Popular in your lab" (off by default)',
    body: z.object({ show: z.boolean() }),
    handler: async ({ ctx, body }) => setShowInLab(ctx, body.show),
  });
};
