/**
 * Who may ask what, checked before any handler runs:
 *
 * - The Host allow-list: loopback names, plus the names the server was told
 *   it is reached by (`--host NAME`, the configured public URL). A page on an
 *   attacker's domain that rebinds its DNS to this machine sends its own name
 *   as Host and gets 421, so neither its reads nor its writes reach a route.
 * - Sign-in: once any account exists, every request but the public ones
 *   (sign-in, invite links, assets, health, signed feed and digest links)
 *   needs a session cookie or an `Authorization: Bearer` API token, else 401
 *   (pages answer with the sign-in form). With no accounts, requests act as
 *   the single local user, as before accounts existed.
 * - CSRF: a change made with a session cookie must carry the session's token
 *   (form field `_csrf`, query `_csrf` for multipart forms, or header
 *   `x-csrf-token` from the client module). API tokens are not sent by
 *   browsers on their own, so bearer requests need none.
 *
 * Each request gets `req.actx`: the AppContext acting for its account (the
 * store view of that account's profiles, notes and collections).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionActor, tokenActor, type Actor } from '../app/accounts.ts';
import { forActor, type AppContext } from '../app/context.ts';
import { HttpError } from '../app/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The AppContext acting for this request's account (src/http/access.ts). */
    actx: AppContext;
  }
  interface FastifyContextConfig {
    /** `public`: served without sign-in (the handler must not read or change anyone's data but by its own credential). */
    access?: 'public';
  }
}

export const SESSION_COOKIE = 'radar_session';
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host name of a Host header or URL authority: lower case, no port, IPv6 without brackets; undefined when malformed. */
export function hostName(authority: string | undefined): string | undefined {
  if (!authority) return undefined;
  try {
    const h = new URL(`http://${authority}`).hostname.toLowerCase();
    return h.startsWith('[') ? h.slice(1, -1) : h;
  } catch {
    return undefined;
  }
}

/** Answers 421 to any Host not in the list (loopback names are always in it). Register it first. */
export function guardHosts(app: FastifyInstance, names: string[]): void {
  const allowed = new Set([...LOOPBACK_NAMES, ...names.map((n) => hostName(n) ?? n.toLowerCase())]);
  app.addHook('onRequest', async (req) => {
    const name = hostName(req.headers.host);
    if (!name || !allowed.has(name)) {
      throw new HttpError(421, `this server does not answer to the name "${(req.headers.host ?? '').slice(0, 100)}" (add it with --public-url or --allow-host)`);
    }
  });
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=') || undefined;
  }
  return undefined;
}

/** The session cookie: not readable by script, sent only to this site, `Secure` when the site is served over HTTPS. */
export function sessionCookie(token: string, expiresAt: string, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

async function actorOf(ctx: AppContext, req: FastifyRequest): Promise<Actor | undefined> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const actor = m ? await tokenActor(ctx.store, m[1], ctx.now()) : undefined;
    // A script that sends a credential wants to know it is wrong, not to be served as someone else.
    if (!actor) throw new HttpError(401, 'this API token is not valid (revoked, or mistyped)');
    return actor;
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  return cookie ? sessionActor(ctx.store, cookie, ctx.now()) : undefined;
}

export interface AccessOptions {
  /** Answers a signed-out page request (GET) with the sign-in page; without it, a 401 error. */
  signInPage?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

/** Sign-in and CSRF rules for every route of `app` (see the file comment). */
export function authenticate(app: FastifyInstance, ctx: AppContext, opts: AccessOptions = {}): void {
  app.decorateRequest('actx', null as unknown as AppContext);
  app.addHook('onRequest', async (req, reply) => {
    const actor = await actorOf(ctx, req);
    if (actor) {
      req.actx = forActor(ctx, actor);
      return;
    }
    req.actx = ctx;
    if (req.routeOptions.config?.access === 'public' || (await ctx.store.accounts.countUsers()) === 0) return;
    if (readCookie(req, SESSION_COOKIE)) reply.header('set-cookie', CLEAR_SESSION_COOKIE);
    if (opts.signInPage && req.method === 'GET' && !req.url.startsWith('/api/')) return opts.signInPage(req, reply);
    reply.header('www-authenticate', 'Bearer');
    throw new HttpError(401, 'sign in first: a session (the sign-in page) or an API token (Authorization: Bearer)');
  });

  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    const actor = req.actx.actor;
    if (actor.via !== 'session' || !actor.csrf) return;
    const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    const query = req.query && typeof req.query === 'object' ? (req.query as Record<string, unknown>) : {};
    const given = [req.headers['x-csrf-token'], body._csrf, query._csrf].find((v) => typeof v === 'string') as string | undefined;
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(actor.csrf);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new HttpError(403, 'this form is out of date or was sent from another site: reload the page and try again');
    }
  });
}
