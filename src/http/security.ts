/**
 * The security rules every response and request of the app follows, API and
 * pages alike: a strict Content-Security-Policy (pages with math add a style
 * nonce), no sniffing or framing, and no state change from another site.
 * Which hosts are served, sign-in and CSRF tokens are in access.ts.
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../app/errors.ts';

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

/** Adds the headers and the cross-site rule to every route of `app`. */
export function secure(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', contentSecurityPolicy());
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });

  // Another web site must not make a visitor's browser change anything here (dismiss papers, delete
  // collections), whether or not sign-in is on: browsers say where a request comes from. `Origin: null`
  // (sandboxed frames, some redirects) is refused too. The Host was already checked against the
  // allow-list (access.ts), so an Origin equal to it is this site, not a rebound attacker's name.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    let foreign = site === 'cross-site' || origin === 'null';
    if (!foreign && origin) {
      try {
        foreign = new URL(origin).host !== req.headers.host;
      } catch {
        foreign = true;
      }
    }
    if (foreign) throw new HttpError(403, 'cross-site requests may not change anything here');
  });
}
