/**
 * Accounts as the API, the pages and the CLI use them: sign-in and sessions,
 * password change, invites, members, and API tokens for scripts.
 *
 * What a browser or script holds (session cookie, bearer token, invite link)
 * is 32 random bytes; the store keeps only its SHA-256, so a copy of the
 * database signs nobody in. Each session has its own CSRF token, which forms
 * and the client module send back with every change (src/http/access.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role, Store, User } from '../store/types.ts';
import { badRequest, conflict, HttpError, notFound } from './errors.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

export const SESSION_DAYS = 30;
export const INVITE_DAYS = 7;
const DAY_MS = 86_400_000;
/** API tokens say what they are, so one pasted into the wrong place is recognisable (and greppable). */
const TOKEN_PREFIX = 'radar_';

export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const later = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();

/** Who a request acts for: a signed-in account (by session or API token), or nobody when there are no accounts. */
export interface Actor {
  user?: User;
  via: 'session' | 'token' | 'local';
  /** The session's CSRF token (via session only). */
  csrf?: string;
  /** Hash of the session token (via session only), to end it or keep it. */
  sessionHash?: string;
}

/** Account names: what people type at sign-in, shown on pages and in URLs of nothing. */
export function validUserName(name: string, field = 'name'): string {
  const n = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(n)) throw badRequest('a name is 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit', field);
  return n;
}

function validPassword(password: string, field = 'password'): string {
  const problem = passwordProblem(password);
  if (problem) throw badRequest(problem, field);
  return password;
}

/** Creates an account (the CLI's `radar users add`, and the first admin). */
export async function addUser(store: Store, name: string, password: string, role: Role, now: Date): Promise<User> {
  const n = validUserName(name);
  const hash = await hashPassword(validPassword(password));
  try {
    return await store.accounts.createUser({ name: n, passwordHash: hash, role }, now.toISOString());
  } catch (err) {
    throw conflict((err as Error).message, 'name');
  }
}

export interface NewSession {
  /** The cookie value. */
  token: string;
  csrf: string;
  expiresAt: string;
}

export async function startSession(store: Store, userId: number, now: Date): Promise<NewSession> {
  const token = newSecret();
  const csrf = newSecret();
  const expiresAt = later(now, SESSION_DAYS);
  await store.accounts.createSession({ tokenHash: secretHash(token), userId, csrf, expiresAt }, now.toISOString());
  return { token, csrf, expiresAt };
}

/** Checks the name and password and starts a session; one message for a wrong name and a wrong password. */
export async function signIn(store: Store, name: string, password: string, now: Date): Promise<{ user: User; session: NewSession }> {
  const found = await store.accounts.getUser(name.trim());
  const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
  if (!found || !ok) throw new HttpError(401, 'wrong name or password');
  const { passwordHash: _h, passwordAt: _a, ...user } = found;
  return { user, session: await startSession(store, user.userId, now) };
}

/** The actor a session cookie stands for, or undefined when it is unknown, expired or its account is gone. */
export async function sessionActor(store: Store, token: string, now: Date): Promise<Actor | undefined> {
  const tokenHash = secretHash(token);
  const s = await store.accounts.getSession(tokenHash, now.toISOString());
  if (!s) return undefined;
  const u = await store.accounts.getUserById(s.userId);
  if (!u) return undefined;
  return { user: { userId: u.userId, name: u.name, role: u.role, createdAt: u.createdAt, showInLab: u.showInLab }, via: 'session', csrf: s.csrf, sessionHash: tokenHash };
}

/** The actor an API token stands for, or undefined for an unknown or revoked token. */
export async function tokenActor(store: Store, token: string, now: Date): Promise<Actor | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const t = await store.accounts.useApiToken(secretHash(token), now.toISOString());
  const u = t && (await store.accounts.getUserById(t.userId));
  return u ? { user: { userId: u.userId, name: u.name, role: u.role, createdAt: u.createdAt, showInLab: u.showInLab }, via: 'token' } : undefined;
}

export async function signOut(store: Store, actor: Actor): Promise<void> {
  if (actor.sessionHash) await store.accounts.deleteSession(actor.sessionHash);
}

/** Sets a new password after checking the current one; the account's other sessions end. */
export async function changePassword(store: Store, actor: Actor, current: string, next: string, now: Date): Promise<void> {
  const user = actor.user;
  if (!user) throw badRequest('there are no accounts here: nothing to change');
  const found = await store.accounts.getUserById(user.userId);
  if (!found || !(await verifyPassword(current, found.passwordHash))) throw badRequest('the current password is wrong', 'current');
  await store.accounts.setPassword(user.userId, await hashPassword(validPassword(next, 'password')), now.toISOString());
  await store.accounts.deleteSessions(user.userId, actor.sessionHash);
}

/** Sets a password without the old one (the CLI, acting as the admin on the local database). */
export async function resetPassword(store: Store, name: string, password: string, now: Date): Promise<void> {
  const found = await store.accounts.getUser(name);
  if (!found) throw notFound(`no account named "${name}"`);
  await store.accounts.setPassword(found.userId, await hashPassword(validPassword(password)), now.toISOString());
  await store.accounts.deleteSessions(found.userId);
}

export function requireAdmin(actor: Actor): User | undefined {
  if (actor.via === 'local') return undefined;
  if (actor.user?.role !== 'admin') throw new HttpError(403, 'only an admin can do this');
  return actor.user;
}

/** The site's address for links people open (invites): the configured public URL, else the (allow-listed) Host asked for. */
export function siteBase(configured: string | undefined, asked: { protocol: string; host?: string }): string {
  if (configured && !/^https?:\/\/localhost\b/.test(configured)) return configured.replace(/\/+$/, '');
  return `${asked.protocol}://${asked.host ?? 'localhost'}`;
}

/** A one-use invite; the link is `${siteBase(...)}/invite/${token}`. Admins only. */
export async function invite(store: Store, actor: Actor, role: Role, now: Date): Promise<{ token: string; expiresAt: string }> {
  const by = requireAdmin(actor);
  const token = newSecret();
  const expiresAt = later(now, INVITE_DAYS);
  await store.accounts.createInvite({ tokenHash: secretHash(token), role, invitedBy: by?.userId, expiresAt }, now.toISOString());
  return { token, expiresAt };
}

/** Whether an invite link still works (the page shows the form, or says why not). */
export async function inviteValid(store: Store, token: string, now: Date): Promise<boolean> {
  return !!(await store.accounts.getInvite(secretHash(token), now.toISOString()));
}

/** Creates the invited account and signs it in; a used or expired link answers 410. */
export async function acceptInvite(store: Store, token: string, name: string, password: string, now: Date): Promise<{ user: User; session: NewSession }> {
  const n = validUserName(name);
  const hash = await hashPassword(validPassword(password));
  let user: User | undefined;
  try {
    user = await store.accounts.acceptInvite(secretHash(token), { name: n, passwordHash: hash }, now.toISOString());
  } catch (err) {
    throw conflict((err as Error).message, 'name');
  }
  if (!user) throw new HttpError(410, 'this invite link has been used or has expired; ask for a new one');
  return { user, session: await startSession(store, user.userId, now) };
}

/** Removes an account and everything it owns. Admins only; the last admin stays. */
export async function removeMember(store: Store, actor: Actor, name: string): Promise<void> {
  requireAdmin(actor);
  const found = await store.accounts.getUser(name);
  if (!found) throw notFound(`no account named "${name}"`);
  if (found.role === 'admin' && (await store.accounts.listUsers()).filter((u) => u.role === 'admin').length === 1) {
    throw conflict(`"${name}" is the only admin; make another admin first`);
  }
  await store.accounts.removeUser(found.userId);
}

/** A new API token for the actor (shown once: only its hash is kept). */
export async function createToken(store: Store, actor: Actor, name: string, now: Date) {
  if (!actor.user) throw badRequest('API tokens belong to accounts, and there are none here (create one with `radar users add`)');
  const label = name.trim();
  if (!label || label.length > 100) throw badRequest('a token needs a name of 1-100 characters', 'name');
  const token = TOKEN_PREFIX + newSecret();
  const info = await store.accounts.createApiToken({ userId: actor.user.userId, name: label, tokenHash: secretHash(token) }, now.toISOString());
  return { token, info };
}

export async function revokeToken(store: Store, actor: Actor, tokenId: number): Promise<void> {
  if (!actor.user || !(await store.accounts.revokeApiToken(actor.user.userId, tokenId))) throw notFound(`no token ${tokenId}`);
}
