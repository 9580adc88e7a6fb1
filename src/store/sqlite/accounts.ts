/** Accounts, sessions, API tokens and invites on one better-sqlite3 connection (tables from migration 8). */
import type Database from 'better-sqlite3';
import type { LabActivity, AccountStore, ApiTokenInfo, InviteRecord, Role, SessionRecord, User, UserCredentials } from '../types.ts';

/** Whose data a query reads: an account's id, or undefined for the local admin (types/accounts.ts). */
export type Owner = number | undefined;

/**
 * The owner a query filters on, bound to one parameter (`owner ?? null`): the
 * account given, else the first admin, else 0 (the data made before any
 * account existed). Resolved by each query, so a store opened before the first
 * admin was created follows the adoption.
 */
export const OWNER = `COALESCE(?, (SELECT COALESCE(min(user_id), 0) FROM users WHERE role = 'admin'))`;

/** How often a token's last use is written down. */
const USE_NOTED_EVERY_MS = 3_600_000;

/** Tables whose rows belong to an owner (column owner_id); the first admin adopts the rows of owner 0. */
export const OWNED_TABLES = ['profiles', 'collections', 'notes', 'sources', 'digests', 'digest_unsubscribes'] as const;

/**
 * Each account's latest like and save per paper since a time: feedback from its
 * profiles, and papers it put in a collection (saves). Accounts only (owner 0,
 * the data before any account, is nobody's yet).
 */
const LAB_ACTIVITY = `
SELECT pk, user_id, action, max(at) AS at FROM (
  SELECT f.pk, u.user_id, f.action, f.at FROM feedback f
    JOIN profiles p ON p.profile_id = f.profile_id JOIN users u ON u.user_id = p.owner_id
    WHERE f.action IN ('like', 'save') AND f.at >= ?
  UNION ALL
  SELECT cp.pk, u.user_id, 'save', cp.added_at FROM collection_papers cp
    JOIN collections c ON c.collection_id = cp.collection_id JOIN users u ON u.user_id = c.owner_id
    WHERE cp.added_at >= ?
) GROUP BY pk, user_id, action`;

interface UserRow {
  user_id: number;
  name: string;
  password_hash: string;
  role: Role;
  created_at: string;
  password_at: string;
  show_in_lab: number;
}

const toUser = (r: UserRow): UserCredentials => ({
  userId: r.user_id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  passwordHash: r.password_hash,
  passwordAt: r.password_at,
  showInLab: r.show_in_lab === 1,
});
const publicUser = ({ passwordHash: _h, passwordAt: _a, ...u }: UserCredentials): User => u;

interface TokenRow {
  token_id: number;
  user_id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

const toToken = (r: TokenRow): ApiTokenInfo => ({
  tokenId: r.token_id,
  userId: r.user_id,
  name: r.name,
  createdAt: r.created_at,
  ...(r.last_used_at ? { lastUsedAt: r.last_used_at } : {}),
});

export class SqliteAccounts implements AccountStore {
  constructor(private readonly db: Database.Database) {}

  async countUsers(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async createUser(u: { name: string; passwordHash: string; role: Role }, now: string): Promise<User> {
    return this.insertUser(u, now);
  }

  private insertUser(u: { name: string; passwordHash: string; role: Role }, now: string): User {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(u.name)) throw new Error(`there is already an account named "${u.name}"`);
      const firstAdmin = u.role === 'admin' && !this.db.prepare("SELECT 1 FROM users WHERE role = 'admin'").get();
      const info = this.db
        .prepare('INSERT INTO users (name, password_hash, role, created_at, password_at) VALUES (?, ?, ?, ?, ?)')
        .run(u.name, u.passwordHash, u.role, now, now);
      const userId = Number(info.lastInsertRowid);
      if (firstAdmin) for (const t of OWNED_TABLES) this.db.prepare(`UPDATE ${t} SET owner_id = ? WHERE owner_id = 0`).run(userId);
      return { userId, name: u.name, role: u.role, createdAt: now, showInLab: false };
    })();
  }

  async getUser(name: string): Promise<UserCredentials | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return r ? toUser(r) : undefined;
  }

  async getUserById(userId: number): Promise<UserCredentials | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE user_id = ?').get(userId) as UserRow | undefined;
    return r ? toUser(r) : undefined;
  }

  async listUsers(): Promise<User[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map((r) => publicUser(toUser(r)));
  }

  async removeUser(userId: number): Promise<boolean> {
    return this.db.transaction(() => {
      for (const t of OWNED_TABLES) this.db.prepare(`DELETE FROM ${t} WHERE owner_id = ?`).run(userId);
      return this.db.prepare('DELETE FROM users WHERE user_id = ?').run(userId).changes > 0;
    })();
  }

  async setPassword(userId: number, passwordHash: string, now: string): Promise<void> {
    this.db.prepare('UPDATE users SET password_hash = ?, password_at = ? WHERE user_id = ?').run(passwordHash, now, userId);
  }

  async createSession(s: { tokenHash: string; userId: number; csrf: string; expiresAt: string }, now: string): Promise<void> {
    // Expired sessions go when new ones come, so the table does not grow with every sign-in.
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.tokenHash, s.userId, s.csrf, now, s.expiresAt);
  }

  async getSession(tokenHash: string, now: string): Promise<SessionRecord | undefined> {
    const r = this.db.prepare('SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?').get(tokenHash, now) as
      | { user_id: number; csrf: string; expires_at: string }
      | undefined;
    return r ? { userId: r.user_id, csrf: r.csrf, expiresAt: r.expires_at } : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteSessions(userId: number, keepTokenHash?: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepTokenHash ?? null).changes;
  }

  async createApiToken(t: { userId: number; name: string; tokenHash: string }, now: string): Promise<ApiTokenInfo> {
    const info = this.db.prepare('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)').run(t.userId, t.name, t.tokenHash, now);
    return { tokenId: Number(info.lastInsertRowid), userId: t.userId, name: t.name, createdAt: now };
  }

  async listApiTokens(userId: number): Promise<ApiTokenInfo[]> {
    return (this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, token_id DESC').all(userId) as TokenRow[]).map(toToken);
  }

  async revokeApiToken(userId: number, tokenId: number): Promise<boolean> {
    return this.db.prepare('DELETE FROM api_tokens WHERE user_id = ? AND token_id = ?').run(userId, tokenId).changes > 0;
  }

  async useApiToken(tokenHash: string, now: string): Promise<{ tokenId: number; userId: number } | undefined> {
    const r = this.db.prepare('SELECT token_id, user_id, last_used_at FROM api_tokens WHERE token_hash = ?').get(tokenHash) as
      | { token_id: number; user_id: number; last_used_at: string | null }
      | undefined;
    if (!r) return undefined;
    // A script's every request must not wait for the write lock (an import may hold it): the use is noted hourly.
    if (!r.last_used_at || Date.parse(now) - Date.parse(r.last_used_at) > USE_NOTED_EVERY_MS) {
      this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?').run(now, r.token_id);
    }
    return { tokenId: r.token_id, userId: r.user_id };
  }

  async createInvite(i: { tokenHash: string; role: Role; invitedBy?: number; expiresAt: string }, now: string): Promise<void> {
    this.db.prepare('DELETE FROM invites WHERE expires_at <= ?').run(now);
    this.db
      .prepare('INSERT INTO invites (token_hash, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(i.tokenHash, i.role, i.invitedBy ?? null, now, i.expiresAt);
  }

  async getInvite(tokenHash: string, now: string): Promise<InviteRecord | undefined> {
    return this.findInvite(tokenHash, now);
  }

  private findInvite(tokenHash: string, now: string): InviteRecord | undefined {
    const r = this.db.prepare('SELECT role, invited_by, created_at, expires_at FROM invites WHERE token_hash = ? AND expires_at > ?').get(tokenHash, now) as
      | { role: Role; invited_by: number | null; created_at: string; expires_at: string }
      | undefined;
    return r ? { role: r.role, ...(r.invited_by !== null ? { invitedBy: r.invited_by } : {}), createdAt: r.created_at, expiresAt: r.expires_at } : undefined;
  }

  async acceptInvite(tokenHash: string, u: { name: string; passwordHash: string }, now: string): Promise<User | undefined> {
    return this.db.transaction(() => {
      const invite = this.findInvite(tokenHash, now);
      if (!invite) return undefined;
      const user = this.insertUser({ ...u, role: invite.role }, now);
      this.db.prepare('DELETE FROM invites WHERE token_hash = ?').run(tokenHash);
      return user;
    })();
  }

  async setShowInLab(userId: number, show: boolean): Promise<void> {
    this.db.prepare('UPDATE users SET show_in_lab = ? WHERE user_id = ?').run(show ? 1 : 0, userId);
  }

  async labActivity(opts: { since: string }): Promise<LabActivity[]> {
    const rows = this.db.prepare(LAB_ACTIVITY).all(opts.since, opts.since) as { pk: number; user_id: number; action: 'like' | 'save'; at: string }[];
    return rows.map((r) => ({ pk: r.pk, userId: r.user_id, action: r.action, at: r.at }));
  }
}
