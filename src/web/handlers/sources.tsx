/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The Sources page: follow (queues a back-fill), unfollow; forms post, then redirect. */
import type { AppContext } from '../../app/context.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../app/errors.ts';
import { addSource, listSources, removeSource } from '../../app/sources.ts';
import { parsePart } from '../../http/route.ts';
import { field, redirect } from '../forms.ts';
import { SourcesPage, type SourcesPageProps } from '../pages/sources.tsx';
import type { Web } from '../web.ts';

const FLASH: Record<string, string> = {
  followed: 'Followed. The papers of the last days are being fetched; this page shows how far it got.',
  already: 'Already followed.',
  removed: 'No longer followed. Its papers stay.',
};

export function registerSources(app: FastifyInstance, web: Web) {
  const page = async (ctx: AppContext, reply: FastifyReply, extra: Omit<SourcesPageProps, 'sources' | 'now'> & { status?: number }) => {
    const { status, ...rest } = extra;
    return web.send(reply, { title: 'Sources', nav: 'sources', status, body: <SourcesPage sources={await listSources(ctx)} now={ctx.now()} {...rest} /> });
  };

  app.get('/sources', async (req, reply) => {
    const ctx = req.actx;
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return page(ctx, reply, { flash: q.flash ? FLASH[q.flash] : undefined });
  });

  app.post('/sources', async (req, reply) => {
    const ctx = req.actx;
    const values = { source: field(req.body, 'source'), days: field(req.body, 'days') };
    const daysText = values.days.trim();
    const days = daysText === '' ? undefined : Number(daysText);
    try {
      if (days !== undefined && !Number.isInteger(days)) throw new HttpError(400, `Days: “${daysText}” is not a whole number.`, 'days');
      const r = await addSource(ctx, values.source, days);
      return redirect(reply, `/sources?flash=${r.created ? 'followed' : 'already'}`);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      return page(ctx, reply, { status: 400, error: err.message, values });
    }
  });

  app.post('/sources/remove', async (req, reply) => {
    const ctx = req.actx;
    await removeSource(ctx, field(req.body, 'source'));
    return redirect(reply, '/sources?flash=removed');
  });
}
