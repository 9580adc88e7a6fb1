/**
 * One-click links from digests: like / dismiss / save a paper, unsubscribe.
 * The token in the path carries the profile, action, paper and expiry, signed
 * (src/digest/tokens.ts), so the link works without a login and cannot be
 * altered. GET (a click in a mail) and POST (RFC 8058 one-click unsubscribe,
 * which mail clients send to the List-Unsubscribe URL) do the same thing;
 * both are idempotent. A tampered token is refused with 403, an expired one
 * with 410, and nothing is recorded.
 */
import { z } from 'zod';
import { validateConfig } from '../../config/load.ts';
import { escapeHtml } from '../../digest/render-email.ts';
import { resolveSecret, verifyLink, type LinkClaims } from '../../digest/tokens.ts';
import { giveFeedback } from '../../profile/profiles.ts';
import type { AppContext, RouteModule } from '../app.ts';
import { HttpError } from '../errors.ts';
import { defineRoute } from '../route.ts';

const params = z.object({ token: z.string().min(1).max(2000) });

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · Paper Radar</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

async function perform(ctx: AppContext, token: string): Promise<{ claims: LinkClaims; message: string }> {
  const config = ctx.config ?? validateConfig({}, 'defaults', {});
  const secret = await resolveSecret(config.secret, ctx.store, ctx.now());
  const v = verifyLink(secret, token, ctx.now());
  if (!v.ok) {
    if (v.reason === 'expired') throw new HttpError(410, 'this link has expired; open the feed to react to the paper');
    throw new HttpError(403, 'this link is not valid (it was altered or signed with another key)');
  }
  const c = v.claims;
  if (c.a === 'unsubscribe') {
    const channel = c.c ?? 'email';
    await ctx.store.setUnsubscribed(c.p, channel, true, ctx.now().toISOString());
    return { claims: c, message: `The profile “${c.p}” will get no more ${channel === 'email' ? 'e-mail' : 'webhook'} digests.` };
  }
  if (!c.id) throw new HttpError(403, 'this link names no paper');
  try {
    const done = await giveFeedback(ctx.store, c.p, c.id, c.a, ctx.now());
    const verb = { like: 'Liked', dismiss: 'Dismissed', save: 'Saved' }[c.a];
    return { claims: c, message: `${verb} “${done.title || done.id}” for the profile “${c.p}”. The next feed takes it into account.` };
  } catch (err) {
    // A profile or paper deleted since the mail was sent.
    throw new HttpError(404, (err as Error).message);
  }
}

export const actionsRoutes: RouteModule = (api, ctx) => {
  defineRoute(api, {
    method: 'GET',
    url: '/actions/:token',
    tags: ['digests'],
    summary: 'Follow a one-click link from a digest (like, dismiss, save, unsubscribe)',
    description: 'The token is signed and expires (30 days for feedback, a year for unsubscribe). 403: altered; 410: expired.',
    produces: 'text/html',
    params,
    handler: async ({ params, reply }) => {
      const { claims, message } = await perform(ctx, params.token);
      const title = claims.a === 'unsubscribe' ? 'Unsubscribed' : 'Thanks';
      return reply.type('text/html; charset=utf-8').send(page(title, `<p>${escapeHtml(message)}</p>`));
    },
  });
  defineRoute(api, {
    method: 'POST',
    url: '/actions/:token',
    tags: ['digests'],
    summary: 'One-click action (RFC 8058 List-Unsubscribe-Post); same effect as GET',
    consumes: 'application/x-www-form-urlencoded',
    params,
    body: z.unknown(),
    response: z.object({ ok: z.boolean(), action: z.string(), profile: z.string(), message: z.string() }),
    handler: async ({ params }) => {
      const { claims, message } = await perform(ctx, params.token);
      return { ok: true, action: claims.a, profile: claims.p, message };
    },
  });
};
