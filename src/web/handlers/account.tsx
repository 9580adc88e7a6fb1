/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * Sign-in, sign-out, invite links and the account page. Sign-in and invites
 * are public (they are how one gets a session); everything else acts for the
 * signed-in account, with its CSRF token checked by src/http/access.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { acceptInvite, changePassword, createToken, invite, inviteValid, removeMember, revokeToken, signIn, signOut, siteBase, type NewSession } from '../../app/accounts.ts';
import type { AppContext } from '../../app/context.ts';
import { setShowInLab } from '../../app/lab.ts';
import { HttpError } from '../../app/errors.ts';
import { CLEAR_SESSION_COOKIE, sessionCookie } from '../../http/access.ts';
import { parsePart } from '../../http/route.ts';
import { field, redirect } from '../forms.ts';
import { AccountPage, InvitePage, SignInPage, type AccountView } from '../pages/account.tsx';
import type { Web } from '../web.ts';

const PUBLIC = { config: { access: 'public' as const } };

/** Where to go after signing in: a path on this site only (never `//host` or a URL). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : '/';
}

const FLASH: Record<string, string> = {
  password: 'Password changed. Your other sessions are signed out.',
  revoked: 'Token revoked.',
  removed: 'Member removed, with their profiles, notes and collections.',
  lab: 'Saved: whether your name is shown in “Popular in your lab”.',
};

function startSession(ctx: AppContext, reply: FastifyReply, session: NewSession): void {
  reply.header('set-cookie', sessionCookie(session.token, session.expiresAt, ctx.secureCookies));
}


export function registerAccount(app: FastifyInstance, web: Web) {
  const signInPage = (reply: FastifyReply, opts: { next?: string; error?: string; status?: number; noAccounts?: boolean }) =>
    web.send(reply, { title: 'Sign in', nav: 'none', status: opts.status, body: <SignInPage next={opts.next} error={opts.error} noAccounts={opts.noAccounts} /> });

  app.get('/signin', PUBLIC, async (req, reply) => {
    const q = parsePart(z.object({ next: z.string().max(2000).optional() }), req.query, 'query');
    return signInPage(reply, { next: safeNext(q.next), noAccounts: (await web.ctx.store.accounts.countUsers()) === 0 });
  });

  app.post('/signin', PUBLIC, async (req, reply) => {
    const next = safeNext(field(req.body, 'next'));
    try {
      const { session } = await signIn(web.ctx.store, field(req.body, 'name'), field(req.body, 'password'), web.ctx.now());
      startSession(web.ctx, reply, session);
      return redirect(reply, next);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return signInPage(reply, { next, error: 'Wrong name or password.', status: 401 });
    }
  });

  app.post('/signout', async (req, reply) => {
    await signOut(req.actx.store, req.actx.actor);
    reply.header('set-cookie', CLEAR_SESSION_COOKIE);
    return redirect(reply, '/signin');
  });

  const inviteParams = z.object({ token: z.string().min(10).max(200) });
  const invitePage = (reply: FastifyReply, token: string, extra: { error?: string; invalid?: boolean; status?: number }) =>
    web.send(reply, { title: 'Join', nav: 'none', status: extra.status, body: <InvitePage token={token} error={extra.error} invalid={extra.invalid} /> });

  app.get('/invite/:token', PUBLIC, async (req, reply) => {
    const { token } = parsePart(inviteParams, req.params, 'path');
    const ok = await inviteValid(web.ctx.store, token, web.ctx.now());
    return invitePage(reply, token, ok ? {} : { invalid: true, status: 410 });
  });

  app.post('/invite/:token', PUBLIC, async (req, reply) => {
    const { token } = parsePart(inviteParams, req.params, 'path');
    try {
      const { session } = await acceptInvite(web.ctx.store, token, field(req.body, 'name'), field(req.body, 'password'), web.ctx.now());
      startSession(web.ctx, reply, session);
      return redirect(reply, '/profiles');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      if (err.statusCode === 410) return invitePage(reply, token, { invalid: true, status: 410 });
      return invitePage(reply, token, { error: err.message, status: err.statusCode });
    }
  });

  const accountPage = async (ctx: AppContext, reply: FastifyReply, extra: Omit<AccountView, 'user' | 'tokens' | 'members'> & { status?: number }) => {
    const user = ctx.actor.user;
    if (!user) throw new HttpError(404, 'there are no accounts here: nobody needs to sign in (create one with `radar users add NAME --admin`)');
    const { status, ...rest } = extra;
    const view: AccountView = {
      user,
      tokens: await ctx.store.accounts.listApiTokens(user.userId),
      members: user.role === 'admin' ? await ctx.store.accounts.listUsers() : undefined,
      ...rest,
    };
    return web.send(reply, { title: 'Account', nav: 'none', status, body: <AccountPage {...view} /> });
  };
  /** Runs a change; a refusal the person can fix is shown on the account page. */
  const attempt = async (ctx: AppContext, reply: FastifyReply, fn: () => Promise<FastifyReply>) => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode === 404) throw err;
      return accountPage(ctx, reply, { error: err.message, status: err.statusCode });
    }
  };

  app.get('/account', async (req, reply) => {
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return accountPage(req.actx, reply, { flash: q.flash ? FLASH[q.flash] : undefined });
  });

  app.post('/account/password', async (req, reply) => {
    const ctx = req.actx;
    return attempt(ctx, reply, async () => {
      await changePassword(ctx.store, ctx.actor, field(req.body, 'current'), field(req.body, 'password'), ctx.now());
      return redirect(reply, '/account?flash=password');
    });
  });

  app.post('/account/lab', async (req, reply) => {
    const ctx = req.actx;
    return attempt(ctx, reply, async () => {
      await setShowInLab(ctx, field(req.body, 'show') === '1');
      return redirect(reply, '/account?flash=lab');
    });
  });

  app.post('/account/tokens', async (req, reply) => {
    const ctx = req.actx;
    return attempt(ctx, reply, async () => {
      const { token, info } = await createToken(ctx.store, ctx.actor, field(req.body, 'name'), ctx.now());
      return accountPage(ctx, reply, { secret: { label: `The API token “${info.name}”.`, value: token } });
    });
  });

  app.post('/account/tokens/:id/revoke', async (req, reply) => {
    const ctx = req.actx;
    const { id } = parsePart(z.object({ id: z.coerce.number().int().positive() }), req.params, 'path');
    await revokeToken(ctx.store, ctx.actor, id);
    return redirect(reply, '/account?flash=revoked');
  });

  app.post('/account/invites', async (req, reply) => {
    const ctx = req.actx;
    return attempt(ctx, reply, async () => {
      const role = field(req.body, 'role') === 'admin' ? 'admin' : 'member';
      const { token, expiresAt } = await invite(ctx.store, ctx.actor, role, ctx.now());
      return accountPage(ctx, reply, { secret: { label: `An invite link for one ${role}, valid until ${expiresAt.slice(0, 10)}.`, value: `${siteBase(ctx.config?.baseUrl, { protocol: req.protocol, host: req.headers.host })}/invite/${token}` } });
    });
  });

  app.post('/account/members/:name/remove', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(z.object({ name: z.string().min(1).max(64) }), req.params, 'path');
    return attempt(ctx, reply, async () => {
      await removeMember(ctx.store, ctx.actor, name);
      return redirect(reply, '/account?flash=removed');
    });
  });
}
