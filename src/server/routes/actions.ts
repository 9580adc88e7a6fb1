/**
 * One-click links from digests (src/app/actions.ts): like / dismiss / save a
 * paper, unsubscribe.
 *
 * GET only asks: mail security scanners and link previews fetch every link in
 * a message, and must not dismiss papers or unsubscribe anyone. It answers a
 * small confirmation page (in the app's shell) whose button POSTs to the same
 * URL. POST acts, idempotently: the button's same-origin form post (the app's
 * cross-site rule, src/http/security.ts, refuses posts from other sites), and
 * RFC 8058 one-click unsubscribe, which mail clients send to the
 * List-Unsubscribe URL without an Origin. A link acts once: a second POST (a
 * replay after the reaction was undone, or by anyone who saw the mail) changes
 * nothing and is answered 409. A browser (Accept: text/html) gets a
 * page back, anything else JSON. The pages are rendered by src/web and passed
 * in (`sendPage`), so the API never renders HTML itself.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { performAction, verifyAction, type ActionView } from '../../app/actions.ts';
import { HttpError } from '../../app/errors.ts';
import type { LinkClaims } from '../../digest/tokens.ts';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';

/** Sends one of the one-click pages to a browser (src/web/pages/actions.tsx). */
export type SendActionPage = (reply: FastifyReply, view: ActionView) => FastifyReply;

const params = z.object({ token: z.string().min(1).max(2000) });

const wantsPage = (req: FastifyRequest) => /\btext\/html\b/.test(req.headers.accept ?? '');

export function actionsRoutes(sendPage: SendActionPage): RouteModule {
  return (api, ctx) => {
    defineRoute(api, {
      method: 'GET',
      url: '/actions/:token',
      tags: ['digests'],
      summary: 'Open a one-click link from a digest: a confirmation page whose button POSTs (nothing is recorded by GET)',
      description: 'The token is signed and expires (30 days for feedback, a year for unsubscribe). 403: altered; 410: expired.',
      produces: 'text/html',
      // The signed token is the credential (a mail client does not sign in); the links act for the local admin, whose digests send them.
      access: 'public',
      params,
      handler: async ({ params, reply }) => {
        let claims: LinkClaims;
        try {
          claims = await verifyAction(ctx, params.token);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          return sendPage(reply, { kind: 'refused', status: err.statusCode, message: err.message });
        }
        const paper = claims.id ? await ctx.store.papers.getPaper(claims.id) : undefined;
        return sendPage(reply, { kind: 'confirm', claims, token: params.token, paperTitle: paper?.title });
      },
    });
    defineRoute(api, {
      method: 'POST',
      url: '/actions/:token',
      tags: ['digests'],
      summary: 'Do what a one-click link says (the confirmation button; RFC 8058 List-Unsubscribe-Post)',
      consumes: 'application/x-www-form-urlencoded',
      access: 'public',
      params,
      body: z.unknown(),
      response: z.object({ ok: z.boolean(), action: z.string(), profile: z.string(), message: z.string() }),
      handler: async ({ params, req, reply }) => {
        let claims: LinkClaims;
        let message: string;
        try {
          claims = await verifyAction(ctx, params.token);
          message = await performAction(ctx, params.token, claims);
        } catch (err) {
          if (!(err instanceof HttpError) || !wantsPage(req)) throw err;
          return sendPage(reply, { kind: 'refused', status: err.statusCode, message: err.message });
        }
        if (wantsPage(req)) return sendPage(reply, { kind: 'done', claims, message });
        return { ok: true, action: claims.a, profile: claims.p, message };
      },
    });
  };
}
