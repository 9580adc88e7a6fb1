/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The search page, and its results alone as a fragment for search as you type. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { searchForPage } from '../../app/search.ts';
import { parsePart } from '../../http/route.ts';
import { renderFragment } from '../html.tsx';
import { SearchPage, SearchResults } from '../pages/search.tsx';
import type { Web } from '../web.ts';

export function registerSearch(app: FastifyInstance, web: Web) {

  // Any text is a valid query (the parser never throws); only the controls' shapes are checked.
  const searchQuery = z.object({
    q: z.string().max(10_000).optional(),
    sort: z.enum(['relevance', 'date', 'upvotes']).optional(),
    cat: z.string().max(200).optional(),
    author: z.string().max(200).optional(),
    from: z.string().max(20).optional(),
    to: z.string().max(20).optional(),
    offset: z.coerce.number().int().min(0).max(10_000).optional(),
    partial: z.literal('1').optional(),
  });
  app.get('/search', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { partial, ...params } = parsePart(searchQuery, req.query, 'query');
    const r = await searchForPage(ctx, params);
    if (partial) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderFragment(<SearchResults params={params} {...r} />));
    }
    return web.send(reply, { title: r.text ? `${r.text} · Search` : 'Search', nav: 'search', q: params.q, liveMath: true, body: <SearchPage params={params} {...r} /> });
  });
}
