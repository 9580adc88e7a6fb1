/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The mail settings page: SMTP server (saved, then redirect) and a test mail (the outcome shown on the page). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../../app/accounts.ts';
import type { AppContext } from '../../app/context.ts';
import { HttpError } from '../../app/errors.ts';
import { mailView, sendTestMail, updateMail } from '../../app/mail.ts';
import { parsePart } from '../../http/route.ts';
import { field, redirect } from '../forms.ts';
import { MailPage, type MailPageProps } from '../pages/mail.tsx';
import type { Web } from '../web.ts';

export function registerMail(app: FastifyInstance, web: Web) {
  const page = async (ctx: AppContext, reply: Parameters<Web['send']>[0], extra: Omit<MailPageProps, 'view'> & { status?: number }) => {
    const { status, ...rest } = extra;
    return web.send(reply, { title: 'Mail settings', nav: 'none', status, body: <MailPage view={await mailView(ctx)} {...rest} /> });
  };

  // The SMTP server is the whole instance's: an admin's to set.
  app.get('/settings/mail', async (req, reply) => {
    const ctx = req.actx;
    requireAdmin(ctx.actor);
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return page(ctx, reply, { flash: q.flash === 'saved' ? 'Mail settings saved.' : undefined });
  });

  app.post('/settings/mail', async (req, reply) => {
    const ctx = req.actx;
    requireAdmin(ctx.actor);
    const values = { url: field(req.body, 'url'), from: field(req.body, 'from') };
    try {
      await updateMail(ctx, values);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      return page(ctx, reply, { status: 400, error: err.message, values });
    }
    return redirect(reply, '/settings/mail?flash=saved');
  });

  app.post('/settings/mail/test', async (req, reply) => {
    const ctx = req.actx;
    requireAdmin(ctx.actor);
    const to = field(req.body, 'to');
    try {
      const result = await sendTestMail(ctx, to);
      return page(ctx, reply, { status: result.ok ? 200 : 502, test: { ...result, to } });
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      return page(ctx, reply, { status: 400, test: { ok: false, message: err.message, to } });
    }
  });
}
