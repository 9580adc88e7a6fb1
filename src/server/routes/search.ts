/**
 * `GET /api/search?q=&limit=&offset=&sort=&mode=`: keyword (or hybrid) search.
 * Any `q` is answered with 200: odd syntax becomes `warnings`, never an error;
 * only the numeric and enumerated parameters can be invalid (400 naming the
 * field).
 */
import { z } from 'zod';
import { queryParam } from '../../config/option-schemas.ts';
import { offsetRule } from '../../config/options.ts';
import type { RouteModule } from '../../http/app.ts';
import { searchDepsFor } from '../../rank/search-deps.ts';
import { MAX_LIMIT, MAX_OFFSET, searchPapers } from '../../rank/search.ts';
import { defineRoute, zLimit } from '../../http/route.ts';

const segments = z.array(z.object({ text: z.string(), hit: z.boolean() }));
const snippet = z.object({ segments, html: z.string().describe('escaped text with <mark> around hits'), cutStart: z.boolean(), cutEnd: z.boolean() });

const response = z.object({
  query: z.object({
    text: z.string(),
    understood: z.string().describe('the query as the engine read it, in query syntax'),
    ignored: z.array(z.string()).describe('words left out as too common'),
    filters: z.record(z.string(), z.unknown()),
    sort: z.enum(['relevance', 'date', 'upvotes']),
    mode: z.enum(['bm25', 'dense', 'hybrid']),
    relaxed: z.boolean().describe('papers matching only some words follow those matching all'),
    bounded: z.boolean().describe('more papers matched than one query ranks: newest and best title matches were ranked'),
  }),
  total: z.number().int(),
  totalExact: z.boolean().describe('false: total is an estimate'),
  offset: z.number().int(),
  limit: z.number().int(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  suggestion: z.string().optional().describe('did you mean: the query with misspelt words corrected from the papers\' vocabulary, only when that finds papers'),
  results: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      score: z.number(),
      snippet,
      titleHighlight: snippet,
      matchedAll: z.boolean(),
      authors: z.array(z.string()),
      authorCount: z.number().int(),
      authorsComplete: z.boolean(),
      date: z.string().optional(),
      categories: z.array(z.string()),
      upvotes: z.number().optional(),
      organization: z.string().optional(),
    }),
  ),
});

export const searchRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/search',
    tags: ['search'],
    summary: 'Search papers: words, "phrases", -exclusions, prefix*, a OR b, title:, author:, cat:, year:, date:, after:, before:, sort:',
    description:
      'BM25F over title > abstract > authors with stemming; papers matching every word first (when fewer than ten do, papers matching some words follow). ' +
      'Any q is accepted: syntax the engine cannot use is reported in `warnings`. Snippets come as segments and as HTML in which all paper text is escaped.',
    query: z.object({
      q: z.string().max(20_000).default('').describe('the query, e.g. `"neural collapse" -dropout cat:cs.LG year:2024`'),
      limit: zLimit(MAX_LIMIT, 20),
      offset: queryParam(offsetRule(MAX_OFFSET), 0),
      sort: z.enum(['relevance', 'date', 'upvotes']).optional().describe("default: the query's sort:, else relevance"),
      mode: z.enum(['auto', 'bm25', 'dense', 'hybrid']).optional().describe('auto: hybrid when a dense index exists'),
    }),
    response,
    handler: async ({ ctx, query }) => {
      const deps = ctx.services.search ? await ctx.services.search() : await searchDepsFor(ctx.store);
      const r = await searchPapers(deps, query.q, { limit: query.limit, offset: query.offset, sort: query.sort, mode: query.mode });
      const { hits, ...rest } = r;
      return { ...rest, results: hits };
    },
  });
};
