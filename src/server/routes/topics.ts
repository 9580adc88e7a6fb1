/** Topics with trends, and the 2-D map of the corpus. */
import { z } from 'zod';
import { mapBinary, mapHighlight, mapIdsText } from '../../app/map-payload.ts';
import { topicMap, trends } from '../../app/topics.ts';
import type { RouteModule } from '../../http/app.ts';
import { sendCachedBody } from '../../http/cached-body.ts';
import { defineRoute } from '../../http/route.ts';

const zProfile = z.object({ profile: z.string().min(1).max(200).optional() });

const zTopic = z.object({
  id: z.number().int(),
  label: z.string(),
  size: z.number().int(),
  trend: z.array(z.number().int()).describe('papers per week, the last 26 weeks, oldest first'),
  growth: z.number().describe("share of papers this month ÷ the three months before"),
  rising: z.boolean().describe('significant rise at a 5 % false discovery rate (binomial test, Benjamini–Hochberg)'),
  q: z.number(),
  terms: z.array(z.string()),
});

export const topicsRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/topics',
    tags: ['topics'],
    summary: 'Topics with papers per week (26 weeks) and growth, most rising first (same as `radar topics --json`); with `profile`, the topics near it',
    query: zProfile,
    response: z.object({ lastWeek: z.string().optional(), topics: z.array(zTopic), risingTerms: z.array(z.object({ term: z.string(), recent: z.number(), before: z.number(), growth: z.number(), q: z.number() })) }),
    handler: async ({ ctx, query }) => {
      const t = await trends(ctx, { profile: query.profile });
      return {
        lastWeek: t.topics?.lastWeek,
        topics: (t.topics?.topics ?? []).map((x) => ({ id: x.id, label: x.label, size: x.size, trend: x.trend, growth: x.growth, rising: x.rising, q: x.q, terms: x.terms })),
        risingTerms: t.terms,
      };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/map',
    tags: ['topics'],
    summary: "The 2-D map of the corpus: every paper's position and topic, and the topics' labels at their centres",
    description: 'Positions are in [-1, 1]. With `profile`, `profile.papers` and `profile.feed` list the ids to highlight. Empty until the topics are built (with the indexes).',
    query: zProfile,
    response: z.object({
      points: z.array(z.object({ id: z.string(), x: z.number(), y: z.number(), topic: z.number().int() })),
      topics: z.array(z.object({ id: z.number().int(), label: z.string(), x: z.number(), y: z.number(), size: z.number().int() })),
      profile: z.object({ name: z.string(), papers: z.array(z.string()), feed: z.array(z.string()) }).optional(),
    }),
    handler: async ({ ctx, query }) => topicMap(ctx, { profile: query.profile }),
  });

  defineRoute(api, {
    method: 'GET',
    url: '/map.bin',
    tags: ['topics'],
    summary: 'The map in a compact binary form (what the Map page loads): 6 bytes a paper',
    description:
      'Little-endian: "RMAP", u32 version (1), u32 n, u32 topics-JSON length; u16[n] x, u16[n] y (0 ↔ -1, 65535 ↔ 1), u16[n] topic (65535: none); ' +
      'then the topics as JSON `[{ id, label, x, y, size }]`. Point i is the paper on line i of `GET /api/map.ids`. Made once per topic build; ' +
      'compressed (br, gzip) as the client accepts; `ETag` and `x-map-build` name the build.',
    produces: 'application/vnd.paper-radar.map',
    handler: async ({ ctx, req, reply }) => {
      const body = await mapBinary(ctx);
      reply.header('x-map-build', body.build);
      return sendCachedBody(req, reply, body);
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/map.ids',
    tags: ['topics'],
    summary: "The ids of `GET /api/map.bin`'s points, one a line, in the same order (an empty line: the paper is gone)",
    produces: 'text/plain',
    handler: async ({ ctx, req, reply }) => {
      const body = await mapIdsText(ctx);
      reply.header('x-map-build', body.build);
      return sendCachedBody(req, reply, body);
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/map/highlight',
    tags: ['topics'],
    summary: "A profile's papers and current feed as indices of `GET /api/map.bin`'s points",
    description: '`build` names the topic build the indices belong to (the `x-map-build` header of the binary map).',
    query: z.object({ profile: z.string().min(1).max(200) }),
    response: z.object({ build: z.string(), profile: z.string(), papers: z.array(z.number().int()), feed: z.array(z.number().int()) }),
    handler: async ({ ctx, query }) => mapHighlight(ctx, query.profile),
  });
};
