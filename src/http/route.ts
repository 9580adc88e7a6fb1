/**
 * `defineRoute`: how every JSON API route is declared.
 *
 * Inputs (path params, query string, body) are zod schemas. They give the
 * handler typed values, one validation path with clear messages
 * (`limit: Too big: expected number to be <=100` → 400 with `field: "limit"`),
 * and the JSON Schema that the OpenAPI document shows (zod's own
 * `toJSONSchema`). Fastify's ajv validation is not used for these routes: the
 * schemas live in the route's `config.openapi`, where src/server/openapi.ts reads them.
 *
 *     defineRoute(api, {
 *       method: 'GET', url: '/papers/:id', tags: ['papers'],
 *       summary: 'One paper with its provenance',
 *       params: z.object({ id: z.string().min(1) }),
 *       handler: async ({ params }) => ({ paper: await store.getPaper(params.id) }),
 *     });
 *
 * A handler returns the JSON body (status 200) or uses `reply` for anything else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { badRequest } from '../app/errors.ts';
import { queryParam } from '../config/option-schemas.ts';
import { limitRule, offsetRule } from '../config/options.ts';
import './access.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDocs {
  summary: string;
  description?: string;
  tags?: string[];
  querystring?: unknown;
  params?: unknown;
  body?: unknown;
  /** JSON Schema of the 200 response, for the document only (responses are not filtered by it). */
  response?: unknown;
  /** Content type of the 200 response when it is not JSON (RSS, BibTeX, HTML). */
  produces?: string;
  /** Request body content type when not JSON (e.g. `multipart/form-data`). */
  consumes?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the API's OpenAPI document (src/server/openapi.ts) shows for the route. */
    openapi?: RouteDocs;
  }
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  url: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** zod or JSON Schema describing a successful response (documentation). */
  response?: z.ZodType | Record<string, unknown>;
  produces?: string;
  consumes?: string;
  /** Raw body limit in bytes for this route (Fastify's bodyLimit). */
  bodyLimit?: number;
  /** `public`: served without sign-in (signed feed and digest links, health); see src/http/access.ts. */
  access?: 'public';
  /** `ctx` acts for the request's account: use it, not the module's, for anything owned (profiles, notes, collections). */
  handler: (
    input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; req: FastifyRequest; reply: FastifyReply; ctx: AppContext },
  ) => Promise<unknown>;
}

function jsonSchema(s: z.ZodType): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Validates one part of the request; the first issue becomes a 400 naming the field. */
export function parsePart<T extends z.ZodType>(schema: T, value: unknown, part: 'path' | 'query' | 'body'): z.output<T> {
  const input = value ?? (part === 'body' ? undefined : {});
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : undefined;
  const given = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), input);
  const message =
    issue.code === 'invalid_type' && given === undefined
      ? `${field ?? part} is required`
      : issue.code === 'invalid_type' && typeof given === 'string'
        ? `${field ? `${field}: ` : ''}expected ${issue.expected === 'number' ? 'a number' : issue.expected}, got "${given.slice(0, 40)}"`
        : `${field ? `${field}: ` : ''}${issue.message}`;
  throw badRequest(`${message} (in ${part})`, field);
}

const EMPTY = z.object({});

export function defineRoute<P extends z.ZodType = typeof EMPTY, Q extends z.ZodType = typeof EMPTY, B extends z.ZodType = z.ZodUnknown>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B>,
): void {
  const docs: RouteDocs = {
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    params: spec.params ? jsonSchema(spec.params) : undefined,
    querystring: spec.query ? jsonSchema(spec.query) : undefined,
    body: spec.body ? jsonSchema(spec.body) : undefined,
    response: spec.response ? (spec.response instanceof z.ZodType ? jsonSchema(spec.response) : spec.response) : undefined,
    produces: spec.produces,
    consumes: spec.consumes,
  };
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    config: { openapi: docs, access: spec.access },
    handler: async (req, reply) => {
      const params = spec.params ? parsePart(spec.params, req.params, 'path') : ({} as z.output<P>);
      const query = spec.query ? parsePart(spec.query, req.query, 'query') : ({} as z.output<Q>);
      const body = spec.body ? parsePart(spec.body, req.body, 'body') : (req.body as z.output<B>);
      return spec.handler({ params, query, body, req, reply, ctx: req.actx });
    },
  });
}

// ---- small reusable query pieces -----------------------------------------

export const zDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real day');
export const zLimit = (max = 100, dflt = 20) => queryParam(limitRule(max), dflt);
export const zOffset = queryParam(offsetRule(1_000_000), 0);
/** `a,b` or repeated `?x=a&x=b`. */
export const zList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
