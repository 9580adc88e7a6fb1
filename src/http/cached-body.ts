/**
 * Serving a body made once per data version (the map's binary and ids):
 * an ETag tied to that version so a browser revalidates for a 304 instead of
 * downloading it again, and the compressed form the client accepts (brotli,
 * else gzip), made once by the body itself (app/map-payload.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../app/map-payload.ts';

/** The encoding to send for an Accept-Encoding header: brotli, else gzip, else none (q=0 refuses one). */
export function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  const ok = new Set<string>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) ok.add(name.trim());
  }
  if (ok.has('br')) return 'br';
  if (ok.has('gzip')) return 'gzip';
  return undefined;
}

/** An If-None-Match header names this ETag (or is `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

export async function sendCachedBody(req: FastifyRequest, reply: FastifyReply, body: CachedBody): Promise<FastifyReply> {
  // Revalidate every time (a rebuild changes the body at the same URL), but a 304 costs a few bytes.
  reply.header('cache-control', 'no-cache');
  reply.header('etag', body.etag);
  reply.header('vary', 'accept-encoding');
  if (matchesEtag(req.headers['if-none-match'], body.etag)) return reply.code(304).send();
  const encoding = body.identity.length > 1024 ? pickEncoding(req.headers['accept-encoding']) : undefined;
  reply.type(body.type);
  if (!encoding) return reply.send(body.identity);
  reply.header('content-encoding', encoding);
  return reply.send(await body.encoded(encoding));
}
