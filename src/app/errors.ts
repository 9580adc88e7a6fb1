/**
 * The errors application services throw when a request cannot be served:
 * each carries the HTTP status it answers with and, for bad input, the field
 * at fault. They live here, below the HTTP layer, because the services that
 * both the API and the pages call are the ones that know a paper is missing
 * or a name is taken; src/http/errors.ts turns them into responses.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400: the request is wrong; `field` names the parameter at fault (`q`, `limit`, `body.name`…). */
export function badRequest(message: string, field?: string): HttpError {
  return new HttpError(400, message, field);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}

export function conflict(message: string, field?: string): HttpError {
  return new HttpError(409, message, field);
}
