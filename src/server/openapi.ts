/**
 * The OpenAPI 3.1 document at /api/openapi.json, built from the routes
 * themselves so it cannot drift: an `onRoute` hook records every `/api/` route
 * as it is registered, with the schemas `defineRoute` put in `config.openapi`
 * (or a plain Fastify `schema`, for routes declared the Fastify way).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteDocs } from '../http/route.ts';

interface RecordedRoute {
  method: string;
  url: string;
  docs: RouteDocs;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message'],
      properties: { message: { type: 'string' }, field: { type: 'string', description: 'the parameter at fault' } },
    },
  },
};

/** Starts recording; call before any route is registered. Returns the document builder. */
export function recordRoutes(app: FastifyInstance): { routes: RecordedRoute[]; document: (info: { version: string }) => unknown } {
  const routes: RecordedRoute[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (!r.url.startsWith('/api/')) return;
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
    const schema = (r.schema ?? {}) as Record<string, unknown>;
    const docs: RouteDocs = r.config?.openapi ?? {
      summary: (schema.summary as string) ?? `${methods.join(',')} ${r.url}`,
      description: schema.description as string | undefined,
      tags: schema.tags as string[] | undefined,
      querystring: schema.querystring,
      params: schema.params,
      body: schema.body,
      response: (schema.response as Record<string, unknown> | undefined)?.['200'],
    };
    for (const method of methods) routes.push({ method, url: r.url, docs });
  });
  return { routes, document: (info) => buildDocument(routes, info) };
}

function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
}

function buildDocument(routes: RecordedRoute[], info: { version: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, docs } of routes) {
    const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    const paramProps = ((docs.params as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;
    for (const name of pathParams(url)) parameters.push({ name, in: 'path', required: true, schema: paramProps[name] ?? { type: 'string' } });
    const qs = docs.querystring as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(qs?.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: qs?.required?.includes(name) ?? false, description, schema: rest });
    }
    const op: Record<string, unknown> = {
      summary: docs.summary,
      description: docs.description,
      tags: docs.tags,
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: parameters.length ? parameters : undefined,
      responses: {
        '200': {
          description: 'OK',
          content: { [docs.produces ?? 'application/json']: docs.response ? { schema: docs.response } : {} },
        },
        '400': { description: 'Bad input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        '404': { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (docs.body) {
      op.requestBody = { required: true, content: { [docs.consumes ?? 'application/json']: { schema: docs.body } } };
    } else if (docs.consumes) {
      op.requestBody = { required: true, content: { [docs.consumes]: {} } };
    }
    (paths[path] ??= {})[method.toLowerCase()] = JSON.parse(JSON.stringify(op));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paper Radar API',
      version: info.version,
      description: 'Search, browse, profiles and feeds over the papers in this Paper Radar. Errors are `{ "error": { "message", "field"? } }`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}
