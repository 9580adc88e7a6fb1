/** Topics with trends, and the 2-D map of the corpus. */
import { z } from 'zod';
import { topicMap, trends } from '../../app/topics.ts';
import type { RouteModule } from '../../http/app.ts';
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
};
