/**
 * Accounts over the API: who am I, API tokens (created and revoked by their
 * owner), and for admins the members and invite links. Scripts authenticate
 * with `Authorization: Bearer TOKEN`; sign-in itself is the pages' (a session
 * cookie is a browser's credential).
 */
import { z } from 'zod';
import { changePassword, createToken, invite, removeMember, requireAdmin, revokeToken, siteBase } from '../../app/accounts.ts';
import { HttpError } from '../../app/errors.ts';
import type { RouteModule } from '../../http/app.ts';
import { defineRoute } from '../../http/route.ts';

const userShape = z.object({ name: z.string(), role: z.enum(['admin', 'member']), createdAt: z.string() });

export const accountsRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/me',
    tags: ['accounts'],
    summary: 'The account this request acts for (`user` is null when the server has no accounts)',
    response: z.object({ user: userShape.nullable(), via: z.enum(['session', 'token', 'local']) }),
    handler: async ({ ctx }) => {
      const u = ctx.actor.user;
      return { user: u ? { name: u.name, role: u.role, createdAt: u.createdAt } : null, via: ctx.actor.via };
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/me/password',
    tags: ['accounts'],
    summary: 'Change the password (the current one is required); other sessions end',
    body: z.object({ current: z.string().max(1024), password: z.string().max(1024) }),
    handler: async ({ ctx, body }) => {
      await changePassword(ctx.store, ctx.actor, body.current, body.password, ctx.now());
      return { changed: true };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/tokens',
    tags: ['accounts'],
    summary: "The account's API tokens (never the tokens themselves: only their hashes are kept)",
    handler: async ({ ctx }) => {
      if (!ctx.actor.user) return { tokens: [] };
      return { tokens: (await ctx.store.accounts.listApiTokens(ctx.actor.user.userId)).map(({ userId: _u, ...t }) => t) };
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/tokens',
    tags: ['accounts'],
    summary: 'Create an API token; the answer is the only time it is shown',
    body: z.object({ name: z.string().min(1).max(100) }),
    handler: async ({ ctx, body, reply }) => {
      const { token, info } = await createToken(ctx.store, ctx.actor, body.name, ctx.now());
      return reply.code(201).send({ token, tokenId: info.tokenId, name: info.name, createdAt: info.createdAt });
    },
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/tokens/:id',
    tags: ['accounts'],
    summary: 'Revoke one of your API tokens',
    params: z.object({ id: z.coerce.number().int().positive() }),
    handler: async ({ ctx, params }) => {
      await revokeToken(ctx.store, ctx.actor, params.id);
      return { revoked: true };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/users',
    tags: ['accounts'],
    summary: 'Members (admins only)',
    handler: async ({ ctx }) => {
      requireAdmin(ctx.actor);
      return { users: (await ctx.store.accounts.listUsers()).map(({ userId: _id, ...u }) => u) };
    },
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/users/:name',
    tags: ['accounts'],
    summary: 'Remove a member with their profiles, notes and collections (admins only; the last admin stays)',
    params: z.object({ name: z.string().min(1).max(64) }),
    handler: async ({ ctx, params }) => {
      await removeMember(ctx.store, ctx.actor, params.name);
      return { removed: true };
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/invites',
    tags: ['accounts'],
    summary: 'A one-use invite link, valid for 7 days (admins only)',
    body: z.object({ role: z.enum(['admin', 'member']).default('member') }),
    handler: async ({ ctx, body, req, reply }) => {
      if (!ctx.actor.user) throw new HttpError(409, 'there are no accounts yet: create the first admin with `radar users add NAME --admin`');
      const { token, expiresAt } = await invite(ctx.store, ctx.actor, body.role, ctx.now());
      const base = siteBase(ctx.config?.baseUrl, { protocol: req.protocol, host: req.headers.host });
      return reply.code(201).send({ url: `${base}/invite/${token}`, role: body.role, expiresAt });
    },
  });
};
