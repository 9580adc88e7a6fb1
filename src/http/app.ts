/**
 * One Fastify app for the JSON API and the web pages, built from injected
 * dependencies so tests run it on a temporary store with a fixed clock. This
 * is the plumbing both share: body parsers, security headers, the cross-site
 * rule, one error handler (JSON under /api, an HTML page elsewhere when the
 * pages provide one). What is served comes in as modules: the API
 * (src/server/api.ts) on the `/api` scope, the pages (src/web) at the root.
 * src/cli/http-app.ts puts them together; nothing here opens a database.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { appContext, type AppContext, type ServerDeps } from '../app/context.ts';
import { authenticate, guardHosts } from './access.ts';
import { describeError, errorBody } from './errors.ts';
import { secure } from './security.ts';

/** A route module: registers one area's routes on the `/api` scope (`url: '/papers'` serves `/api/papers`). */
export type RouteModule = (api: FastifyInstance, ctx: AppContext) => void | Promise<void>;

/** A page module: registers HTML pages and assets at the root scope. */
export type PageModule = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

export interface BuildOptions {
  /** The JSON API, registered on the `/api` scope. */
  api?: RouteModule;
  /** Page modules (the web UI). Tests of the API alone may leave them out. */
  pages?: PageModule[];
  /** Sends an HTML error page for non-API requests; JSON is used when absent. */
  htmlError?: (status: number, message: string, req: FastifyRequest, reply: FastifyReply) => FastifyReply;
  /** Sends the sign-in page to a signed-out page request when sign-in is required; a 401 error when absent. */
  signInPage?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

export async function buildApp(deps: ServerDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const ctx = appContext(deps);
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 } });

  // First: a request for a name this server does not answer to reaches nothing else.
  guardHosts(app, deps.allowedHosts ?? []);
  await app.register(formbody);
  // Handlers read parts as streams and cap the whole request themselves (web/forms.ts).
  await app.register(multipart, { limits: { fileSize: ctx.maxUploadBytes, files: 50, fields: 50, parts: 200 } });
  secure(app);
  authenticate(app, ctx, { signInPage: opts.signInPage });

  const wantsHtml = (req: FastifyRequest) => !!opts.htmlError && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/');
  const send = (req: FastifyRequest, reply: FastifyReply, status: number, message: string, field?: string) => {
    if (wantsHtml(req)) return opts.htmlError!(status, message, req, reply);
    return reply.code(status).type('application/json; charset=utf-8').send(errorBody(message, field));
  };

  app.setErrorHandler((err, req, reply) => {
    const d = describeError(err);
    if (d.internal) ctx.log(`radar serve: ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return send(req, reply, d.status, d.message, d.field);
  });
  app.setNotFoundHandler((req, reply) => send(req, reply, 404, `nothing at ${req.method} ${req.url.split('?')[0]}`));

  const api = opts.api;
  if (api) await app.register(async (scope) => api(scope, ctx), { prefix: '/api' });
  for (const register of opts.pages ?? []) await register(app, ctx);
  return app;
}
