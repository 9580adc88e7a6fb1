/**
 * One-click links from digests: like / dismiss / save a paper, unsubscribe.
 * The token in the path carries the profile, action, paper and expiry, signed
 * (src/digest/tokens.ts), so the link works without a login and cannot be
 * altered. A tampered token is refused with 403, an expired one with 410, and
 * nothing is recorded.
 *
 * GET only asks: mail security scanners and link previews fetch every link in
 * a message, and must not dismiss papers or unsubscribe anyone. It answers a
 * small confirmation page (in the app's shell) whose button POSTs to the same
 * URL. POST acts, idempotently: the button's same-origin form post (the app's
 * cross-site rule, app.ts, refuses posts from other sites), and RFC 8058
 * one-click unsubscribe, which mail clients send to the List-Unsubscribe URL
 * without an Origin. A link acts once: a second POST (a replay after the
 * reaction was undone, or by anyone who saw the mail) changes nothing and is
 * answered 409. A browser (Accept: text/html) gets a page back, anything
 * else JSON.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defaultConfig } from '../../config/load.ts';
import { linkUseKey, resolveSecret, verifyLink, type LinkClaims } from '../../digest/tokens.ts';
import { giveFeedback } from '../../profile/profiles.ts';
import type { AppContext, RouteModule } from '../app.ts';
import { HttpError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { confirmPage, donePage, refusedPage, sendActionPage } from '../../web/pages/actions.tsx';

const params = z.object({ token: z.string().min(1).max(2000) });

/** The link's claims, or the HTTP error a bad link gets. Records nothing. */
async function verify(ctx: AppContext, token: string): Promise<LinkClaims> {
  const config = ctx.config ?? defaultConfig();
  const secret = await resolveSecret(config.secret, ctx.store, ctx.now());
  const v = verifyLink(secret, token, ctx.now());
  if (v.ok) return v.claims;
  if (v.reason === 'expired') throw new HttpError(410, 'this link has expired; open the feed to react to the paper');
  throw new HttpError(403, 'this link is not valid (it was altered or signed with another key)');
}

/** Does what the link says, once: a link used before is refused with 409 and changes nothing. */
async function performOnce(ctx: AppContext, token: string, c: LinkClaims): Promise<string> {
  const key = linkUseKey(token);
  const use = await ctx.store.useLinkOnce(key, ctx.now().toISOString(), new Date(c.exp * 1000).toISOString());
  if (!use.first) {
    throw new HttpError(409, `this link was already used (${use.usedAt.slice(0, 16).replace('T', ' ')} UTC); a link acts once, so nothing was changed. Open the feed to change your reaction`);
  }
  try {
    return await perform(ctx, c);
  } catch (err) {
    await ctx.store.forgetLinkUse(key);
    throw err;
  }
}

async function perform(ctx: AppContext, c: LinkClaims): Promise<string> {
  if (c.a === 'unsubscribe') {
    const channel = c.c ?? 'email';
    await ctx.store.setUnsubscribed(c.p, channel, true, ctx.now().toISOString());
    return `The profile “${c.p}” will get no more ${channel === 'email' ? 'e-mail' : 'webhook'} digests.`;
  }
  if (!c.id) throw new HttpError(403, 'this link names no paper');
  try {
    const done = await giveFeedback(ctx.store, c.p, c.id, c.a, ctx.now());
    const verb = { like: 'Liked', dismiss: 'Dismissed', save: 'Saved' }[c.a];
    return `${verb} “${done.title || done.id}” for the profile “${c.p}”. The next feed takes it into account.`;
  } catch (err) {
    // A profile or paper deleted since the mail was sent.
    throw new HttpError(404, (err as Error).message);
  }
}

const wantsPage = (req: FastifyRequest) => /\btext\/html\b/.test(req.headers.accept ?? '');

export const actionsRoutes: RouteModule = (api, ctx) => {
  defineRoute(api, {
    method: 'GET',
    url: '/actions/:token',
    tags: ['digests'],
    summary: 'Open a one-click link from a digest: a confirmation page whose button POSTs (nothing is recorded by GET)',
    description: 'The token is signed and expires (30 days for feedback, a year for unsubscribe). 403: altered; 410: expired.',
    produces: 'text/html',
    params,
    handler: async ({ params, reply }) => {
      let claims: LinkClaims;
      try {
        claims = await verify(ctx, params.token);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return sendActionPage(ctx, reply, refusedPage(err.statusCode, err.message));
      }
      const paper = claims.id ? await ctx.store.getPaper(claims.id) : undefined;
      return sendActionPage(ctx, reply, confirmPage(claims, params.token, paper?.title));
    },
  });
  defineRoute(api, {
    method: 'POST',
    url: '/actions/:token',
    tags: ['digests'],
    summary: 'Do what a one-click link says (the confirmation button; RFC 8058 List-Unsubscribe-Post)',
    consumes: 'application/x-www-form-urlencoded',
    params,
    body: z.unknown(),
    response: z.object({ ok: z.boolean(), action: z.string(), profile: z.string(), message: z.string() }),
    handler: async ({ params, req, reply }) => {
      let claims: LinkClaims;
      let message: string;
      try {
        claims = await verify(ctx, params.token);
        message = await performOnce(ctx, params.token, claims);
      } catch (err) {
        if (!(err instanceof HttpError) || !wantsPage(req)) throw err;
        return sendActionPage(ctx, reply, refusedPage(err.statusCode, err.message));
      }
      if (wantsPage(req)) return sendActionPage(ctx, reply, donePage(claims, message));
      return { ok: true, action: claims.a, profile: claims.p, message };
    },
  });
};
