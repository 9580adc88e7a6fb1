/**
 * Signed tokens for links in digests: one-click like/dismiss/save, unsubscribe,
 * and the secret part of a profile's feed URL. A token is
 * `base64url(json).base64url(hmac-sha256)`; the JSON names the profile, the
 * action, the paper and an expiry, so a link cannot be altered to act on
 * another profile or paper, and an old mail stops working after a while.
 * Verification compares the signature as written, byte for byte and in
 * constant time, with the one expected: base64 has several spellings of the
 * same bytes (the unused bits of the last character), and a token altered
 * in those must not pass. A used link is recorded by `linkUseKey`, so it acts once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JobStore } from '../store/types.ts';

export type LinkAction = 'like' | 'dismiss' | 'save' | 'unsubscribe';

export interface LinkClaims {
  /** Profile name. */
  p: string;
  a: LinkAction;
  /** Paper id (like/dismiss/save). */
  id?: string;
  /** Channel the link was sent on (unsubscribe). */
  c?: 'email' | 'webhook';
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The account whose profile `p` is, when not the local admin's (whose digests send most links). */
  o?: number;
}

export type VerifyResult = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** How long links stay valid: a reaction to a paper is fresh for a month; unsubscribing must work from any old mail. */
export const LINK_TTL_DAYS: Record<LinkAction, number> = { like: 30, dismiss: 30, save: 30, unsubscribe: 365 };

function mac(secret: string, purpose: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}:${body}`).digest();
}

export function signLink(secret: string, claims: Omit<LinkClaims, 'exp'>, now: Date, ttlDays = LINK_TTL_DAYS[claims.a]): string {
  const full: LinkClaims = { ...claims, exp: Math.floor(now.getTime() / 1000) + Math.round(ttlDays * 86400) };
  const body = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `${body}.${mac(secret, 'link', body).toString('base64url')}`;
}

export function verifyLink(secret: string, token: string, now: Date): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts;
  const expected = Buffer.from(mac(secret, 'link', body).toString('base64url'));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims?.p !== 'string' || typeof claims.a !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** What a used link is recorded under: a hash, so the table holds no working link. */
export function linkUseKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * The secret path segment of a profile's feed URL: stable (feed readers keep the URL) until the secret changes.
 * The local admin's profiles (the CLI's, the digests') have the plain form, which URLs made before accounts
 * existed use; another account's profile has `u<id>-` before it, and the signature covers the account too.
 */
export function feedToken(secret: string, profile: string, owner?: number): string {
  if (owner === undefined) return mac(secret, 'feed', profile).subarray(0, 18).toString('base64url');
  return `u${owner}-${mac(secret, 'feed', `${owner}\u0000${profile}`).subarray(0, 18).toString('base64url')}`;
}

export function verifyFeedToken(secret: string, profile: string, token: string, owner?: number): boolean {
  const expected = Buffer.from(feedToken(secret, profile, owner));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The account a feed token names (`u<id>-…`), or undefined for the local admin's plain form. */
export function feedTokenOwner(token: string): number | undefined {
  const m = /^u([1-9]\d{0,9})-/.exec(token);
  return m ? Number(m[1]) : undefined;
}

/**
 * The signing secret: the configured one, else one generated on first use and
 * kept in the database, so every process on that database signs alike.
 */
export async function resolveSecret(configured: string | undefined, store: Pick<JobStore, 'initState'>, now: Date): Promise<string> {
  if (configured) return configured;
  const stored = await store.initState('secret:links', randomBytes(32).toString('base64url'), now.toISOString());
  return String(stored);
}
