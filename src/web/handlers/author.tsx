/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** An author's papers, with other authors of the same surname. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parsePart } from '../../http/route.ts';
import { AuthorPage } from '../pages/simple.tsx';
import type { Web } from '../web.ts';

export function registerAuthor(app: FastifyInstance, web: Web) {

  app.get('/author/:name', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { name } = parsePart(z.object({ name: z.string().trim().min(1).max(300) }), req.params, 'path');
    const [papers, others] = await Promise.all([store.papers.papersByAuthor(name, 500), store.papers.findAuthors(name.split(/\s+/).pop() ?? name, 20)]);
    return web.send(reply, { title: name, nav: 'none', body: <AuthorPage name={name} papers={papers} others={others} /> });
  });
}
