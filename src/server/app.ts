/**
 * The HTTP server: one Fastify app serving the JSON API (`/api/…`, documented
 * at `/api/openapi.json`) and the web pages, built from injected dependencies
 * so tests run it on a temporary store with a fixed clock.
 *
 * Composition root: API route modules are listed in routes/index.ts, the web
 * pages register in src/web. Nothing here opens a database; `radar serve`
 * (src/cli/commands/serve.ts) does, and passes the store in.
 * How to add a route: src/server/README.md.
 */
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import type { RadarConfig } from '../config/schema.ts';
import type { ProfileDeps } from '../profile/model.ts';
import type { Retrieval } from '../vectors/retrieval.ts';
import type { SearchDeps } from '../rank/search.ts';
import type { Store } from '../store/types.ts';
import type { PageSpec } from '../web/html.tsx';
import { describeError, errorBody, HttpError } from './errors.ts';
import { recordRoutes } from './openapi.ts';
import { API_ROUTES } from './routes/index.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/**
 * Optional services other areas provide (each built once at start-up by
 * `radar serve`, absent in tests that do not need them). A route that needs
 * one answers 503 with a clear message when it is missing. Add yours here as
 * an optional field, with a one-line comment.
 */
export interface ServerServices {
  /** What profile feeds need (store + paper features), built on first use and cached (issue 4; server.ts). */
  profileDeps?: () => Promise<ProfileDeps>;
  /** Tells cached indexes that papers changed (after an import through the server). */
  papersChanged?: () => void;
  /** The retrieval service (representations, dense index; issue 3b): opened on first use, follows changes itself. */
  retrieval?: () => Promise<Retrieval>;
  /** What `GET /api/search` runs `searchPapers` with (a dense retriever and fusion for hybrid); default: keyword search on the store. */
  search?: () => Promise<SearchDeps>;
}

export interface ServerDeps {
  store: Store;
  /** The clock ("today" for listings, timestamps for notes and feedback). Default: real time. */
  now?: () => Date;
  /** Validated configuration (src/config); defaults apply when absent. */
  config?: RadarConfig;
  services?: ServerServices;
  /** Where unexpected errors are reported (default: stderr). Never sent to clients. */
  log?: (line: string) => void;
  /** Largest upload one request may carry (all its files together), bytes. Default 256 MiB. */
  maxUploadBytes?: number;
}

/** What route modules receive: the deps with defaults filled in. */
export interface AppContext {
  store: Store;
  now: () => Date;
  config?: RadarConfig;
  services: ServerServices;
  log: (line: string) => void;
  maxUploadBytes: number;
  /**
   * Sends a page in the web UI's shell (src/web/html.tsx `sendPage` with its
   * assets). Set by the web module when it registers; API routes that answer a
   * browser with a page (the one-click confirmations, routes/actions.ts) use
   * it. Absent when the app is built without pages.
   */
  sendPage?: (reply: FastifyReply, spec: PageSpec) => FastifyReply;
}

/** A route module: registers one area's routes on the `/api` scope (`url: '/papers'` serves `/api/papers`). */
export type RouteModule = (api: FastifyInstance, ctx: AppContext) => void | Promise<void>;

/** A page module: registers HTML pages and assets at the root scope. */
export type PageModule = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

/** Content-Security-Policy for everything: only this origin, no inline script. Pages may add a style nonce. */
export function contentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export interface BuildOptions {
  /** Page modules (the web UI). Tests of the API alone may leave them out. */
  pages?: PageModule[];
  /** Sends an HTML error page for non-API requests; JSON is used when absent. */
  htmlError?: (status: number, message: string, req: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

export async function buildApp(deps: ServerDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const ctx: AppContext = {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    config: deps.config,
    services: deps.services ?? {},
    log: deps.log ?? ((line) => process.stderr.write(`${line}\n`)),
    maxUploadBytes: deps.maxUploadBytes ?? 256 * 1024 * 1024,
  };
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 } });
  const openapi = recordRoutes(app);

  await app.register(formbody);
  // Handlers read parts as streams and cap the whole request themselves (web/forms.ts).
  await app.register(multipart, { limits: { fileSize: ctx.maxUploadBytes, files: 50, fields: 50, parts: 200 } });

  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', contentSecurityPolicy());
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  // No accounts, so no session to steal; but another web site must not make a visitor's browser change
  // this one (dismiss papers, delete collections). Browsers say where a request comes from.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    let foreign = site === 'cross-site';
    if (!foreign && origin && origin !== 'null') {
      try {
        foreign = new URL(origin).host !== req.headers.host;
      } catch {
        foreign = true;
      }
    }
    if (foreign) throw new HttpError(403, 'cross-site requests may not change anything here');
  });

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

  await app.register(
    async (api) => {
      for (const register of API_ROUTES) await register(api, ctx);
      api.get('/openapi.json', { config: { openapi: { summary: 'This document', tags: ['meta'] } } }, async () =>
        openapi.document({ version: VERSION }),
      );
    },
    { prefix: '/api' },
  );
  for (const register of opts.pages ?? []) await register(app, ctx);
  return app;
}
