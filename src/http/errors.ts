/**
 * One error shape for the whole API: `{ error: { message, field? } }`.
 *
 * Route code and application services throw `HttpError` (or its helpers
 * `badRequest` / `notFound`, src/app/errors.ts); the app's error handler
 * (app.ts) turns it, Fastify's own client errors
 * (bad JSON, body too large, wrong content type) and anything unexpected into
 * that shape. Unexpected errors become a 500 with a generic message: stacks
 * and internal messages never reach the client (they go to the server log).
 */
import { HttpError } from '../app/errors.ts';

export interface ErrorBody {
  error: { message: string; field?: string };
}

export function errorBody(message: string, field?: string): ErrorBody {
  return field ? { error: { message, field } } : { error: { message } };
}

/** Status and client-safe message for any thrown value. */
export function describeError(err: unknown): { status: number; message: string; field?: string; internal: boolean } {
  if (err instanceof HttpError) return { status: err.statusCode, message: err.message, field: err.field, internal: false };
  const e = err as { statusCode?: number; message?: string; validation?: { instancePath?: string; params?: Record<string, unknown>; message?: string }[]; validationContext?: string; code?: string };
  if (e && Array.isArray(e.validation) && e.validation.length) {
    // Fastify's built-in (ajv) validation, for routes declared with plain JSON schemas.
    const v = e.validation[0];
    const missing = typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : undefined;
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = missing ? (path ? `${path}.${missing}` : missing) : path || undefined;
    const where = e.validationContext === 'body' ? 'body' : e.validationContext === 'params' ? 'path' : 'query';
    return { status: 400, message: `${field ? `${field}: ` : ''}${v.message ?? 'invalid value'} (in ${where})`, field, internal: false };
  }
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's client errors (FST_ERR_CTP_*, body limits) carry messages written for clients.
    return { status, message: e.message || 'bad request', internal: false };
  }
  return { status: 500, message: 'internal error (see the server log)', internal: true };
}
