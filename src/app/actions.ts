/**
 * One-click links from digests: what a signed link asks for, and doing it.
 * The token carries the profile, action, paper and expiry, signed
 * (src/digest/tokens.ts), so the link works without a login and cannot be
 * altered. A tampered token is refused with 403, an expired one with 410, and
 * nothing is recorded. The API route (src/server/routes/actions.ts) answers
 * with JSON or, for a browser, one of the `ActionView` pages src/web renders.
 */
import { defaultConfig } from '../config/load.ts';
import { linkUseKey, resolveSecret, verifyLink, type LinkClaims } from '../digest/tokens.ts';
import { giveFeedback } from '../profile/profiles.ts';
import type { AppContext } from './context.ts';
import { HttpError } from './errors.ts';

/** What a browser is shown: the question with its button, the result, or why the link does not work. */
export type ActionView =
  | { kind: 'confirm'; claims: LinkClaims; token: string; paperTitle?: string }
  | { kind: 'done'; claims: LinkClaims; message: string }
  | { kind: 'refused'; status: number; message: string };

/** The link's claims, or the HTTP error a bad link gets. Records nothing. */
export async function verifyAction(ctx: AppContext, token: string): Promise<LinkClaims> {
  const config = ctx.config ?? defaultConfig();
  const secret = await resolveSecret(config.secret, ctx.store.jobs, ctx.now());
  const v = verifyLink(secret, token, ctx.now());
  if (v.ok) return v.claims;
  if (v.reason === 'expired') throw new HttpError(410, 'this link has expired; open the feed to react to the paper');
  throw new HttpError(403, 'this link is not valid (it was altered or signed with another key)');
}

/**
 * Does what the link says, once, and says what was done, for the person who
 * clicked. A link used before is refused with 409 and changes nothing (its use
 * is recorded by a hash until it expires); one whose action failed is not used up.
 */
export async function performAction(base: AppContext, token: string, c: LinkClaims): Promise<string> {
  // The signed claims name the account (a member's feed); without one the link is the local admin's.
  const ctx = typeof c.o === 'number' ? { ...base, store: base.store.forOwner(c.o) } : base;
  const key = linkUseKey(token);
  const use = await ctx.store.jobs.useLinkOnce(key, ctx.now().toISOString(), new Date(c.exp * 1000).toISOString());
  if (!use.first) {
    throw new HttpError(409, `this link was already used (${use.usedAt.slice(0, 16).replace('T', ' ')} UTC); a link acts once, so nothing was changed. Open the feed to change your reaction`);
  }
  try {
    return await perform(ctx, c);
  } catch (err) {
    await ctx.store.jobs.forgetLinkUse(key);
    throw err;
  }
}

async function perform(ctx: AppContext, c: LinkClaims): Promise<string> {
  if (c.a === 'unsubscribe') {
    const channel = c.c ?? 'email';
    await ctx.store.digests.setUnsubscribed(c.p, channel, true, ctx.now().toISOString());
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
