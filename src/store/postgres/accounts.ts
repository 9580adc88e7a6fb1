/** Accounts, sessions, API tokens and invites on PostgreSQL (tables from migration 8); behaviour as in ../sqlite/accounts.ts. */
import type { Pool, PoolClient } from 'pg';
import type { AccountStore, LabActivity, ApiTokenInfo, InviteRecord, Role, SessionRecord, User, UserCredentials } from '../types.ts';
import { one, rows, tx } from './db.ts';

/** Whose data a query reads: an account's id, or undefined for the local admin (types/accounts.ts). */
export type Owner = number | undefined;

/** The owner a query filters on, bound to parameter `$n` (`owner ?? null`): the account, else the first admin, else 0. */
export const owner = (n: number) => `COALESCE($${n}::int, (SELECT COALESCE(min(user_id), 0) FROM users WHERE role = 'admin'))`;

/** How often a token's last use is written down (as in SQLite). */
const USE_NOTED_EVERY_MS = 3_600_000;

/** Tables whose rows belong to an owner (column owner_id); the first admin adopts the rows of owner 0. */
const OWNED_TABLES = ['profiles', 'collections', 'notes', 'sources', 'digests', 'digest_unsubscribes'] as const;

/**
 * Each account's latest like and save per paper since a time: feedback from its
 * profiles, and papers it put in a collection (saves). Accounts only (owner 0,
 * the data before any account, is nobody's yet).
 */
const LAB_ACTIVITY = `
SELECT pk, user_id, action, max(at) AS at FROM (
  SELECT f.pk, u.user_id, f.action, f.at FROM feedback f
    JOIN profiles p ON p.profile_id = f.profile_id JOIN users u ON u.user_id = p.owner_id
    WHERE f.action IN ('like', 'save') AND f.at >= $1
  UNION ALL
  SELECT cp.pk, u.user_id, 'save', cp.added_at FROM collection_papers cp
    JOIN collections c ON c.collection_id = cp.collection_id JOIN users u ON u.user_id = c.owner_id
    WHERE cp.added_at >= $1
) a GROUP BY pk, user_id, action`;

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

async function createIn(c: PoolClient, u: { name: string; passwordHash: string; role: Role }, now: string): Promise<User> {
  // One account creation at a time, so two first admins created at once cannot both adopt the old data.
  await c.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
  const firstAdmin = u.role === 'admin' && !(await one(c, "SELECT 1 FROM users WHERE role = 'admin'"));
  const r = await one<{ user_id: number }>(
    c,
    `INSERT INTO users (name, password_hash, role, created_at, password_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (name) DO NOTHING RETURNING user_id`,
    [u.name, u.passwordHash, u.role, now],
  );
  if (!r) throw new Error(`there is already an account named "${u.name}"`);
  if (firstAdmin) for (const t of OWNED_TABLES) await c.query(`UPDATE ${t} SET owner_id = $1 WHERE owner_id = 0`, [r.user_id]);
  return { userId: r.user_id, name: u.name, role: u.role, createdAt: now, showInLab: false };
}

export class PgAccounts implements AccountStore {
  constructor(private readonly pool: Pool) {}

  async countUsers(): Promise<number> {
    return Number((await one<{ n: string }>(this.pool, 'SELECT count(*) AS n FROM users'))!.n);
  }

  createUser(u: { name: string; passwordHash: string; role: Role }, now: string): Promise<User> {
    return tx(this.pool, (c) => createIn(c, u, now));
  }

  async getUser(name: string): Promise<UserCredentials | undefined> {
    const r = await one<UserRow>(this.pool, 'SELECT * FROM users WHERE name = $1', [name]);
    return r && toUser(r);
  }

  async getUserById(userId: number): Promise<UserCredentials | undefined> {
    const r = await one<UserRow>(this.pool, 'SELECT * FROM users WHERE user_id = $1', [userId]);
    return r && toUser(r);
  }

  async listUsers(): Promise<User[]> {
    return (await rows<UserRow>(this.pool, 'SELECT * FROM users ORDER BY name')).map((r) => publicUser(toUser(r)));
  }

  removeUser(userId: number): Promise<boolean> {
    return tx(this.pool, async (c) => {
      for (const t of OWNED_TABLES) await c.query(`DELETE FROM ${t} WHERE owner_id = $1`, [userId]);
      return ((await c.query('DELETE FROM users WHERE user_id = $1', [userId])).rowCount ?? 0) > 0;
    });
  }

  async setPassword(userId: number, passwordHash: string, now: string): Promise<void> {
    await this.pool.query('UPDATE users SET password_hash = $2, password_at = $3 WHERE user_id = $1', [userId, passwordHash, now]);
  }

  async createSession(s: { tokenHash: string; userId: number; csrf: string; expiresAt: string }, now: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
    await this.pool.query('INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      s.tokenHash,
      s.userId,
      s.csrf,
      now,
      s.expiresAt,
    ]);
  }

  async getSession(tokenHash: string, now: string): Promise<SessionRecord | undefined> {
    const r = await one<{ user_id: number; csrf: string; expires_at: string }>(
      this.pool,
      'SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    return r && { userId: r.user_id, csrf: r.csrf, expiresAt: r.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteSessions(userId: number, keepTokenHash?: string): Promise<number> {
    const r = await this.pool.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [userId, keepTokenHash ?? null]);
    return r.rowCount ?? 0;
  }

  async createApiToken(t: { userId: number; name: string; tokenHash: string }, now: string): Promise<ApiTokenInfo> {
    const r = await one<{ token_id: number }>(
      this.pool,
      'INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING token_id',
      [t.userId, t.name, t.tokenHash, now],
    );
    return { tokenId: r!.token_id, userId: t.userId, name: t.name, createdAt: now };
  }

  async listApiTokens(userId: number): Promise<ApiTokenInfo[]> {
    return (await rows<TokenRow>(this.pool, 'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, token_id DESC', [userId])).map(toToken);
  }

  async revokeApiToken(userId: number, tokenId: number): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM api_tokens WHERE user_id = $1 AND token_id = $2', [userId, tokenId])).rowCount ?? 0) > 0;
  }

  async useApiToken(tokenHash: string, now: string): Promise<{ tokenId: number; userId: number } | undefined> {
    const r = await one<{ token_id: number; user_id: number; last_used_at: string | null }>(
      this.pool,
      'SELECT token_id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    if (!r) return undefined;
    // Noted hourly, not on every request a script makes.
    if (!r.last_used_at || Date.parse(now) - Date.parse(r.last_used_at) > USE_NOTED_EVERY_MS) {
      await this.pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE token_id = $1', [r.token_id, now]);
    }
    return { tokenId: r.token_id, userId: r.user_id };
  }

  async createInvite(i: { tokenHash: string; role: Role; invitedBy?: number; expiresAt: string }, now: string): Promise<void> {
    await this.pool.query('DELETE FROM invites WHERE expires_at <= $1', [now]);
    await this.pool.query('INSERT INTO invites (token_hash, role, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      i.tokenHash,
      i.role,
      i.invitedBy ?? null,
      now,
      i.expiresAt,
    ]);
  }

  async getInvite(tokenHash: string, now: string): Promise<InviteRecord | undefined> {
    const r = await one<{ role: Role; invited_by: number | null; created_at: string; expires_at: string }>(
      this.pool,
      'SELECT role, invited_by, created_at, expires_at FROM invites WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    return r && { role: r.role, ...(r.invited_by !== null ? { invitedBy: r.invited_by } : {}), createdAt: r.created_at, expiresAt: r.expires_at };
  }

  acceptInvite(tokenHash: string, u: { name: string; passwordHash: string }, now: string): Promise<User | undefined> {
    return tx(this.pool, async (c) => {
      // Deleting first claims the invite: a second acceptance at the same moment waits, then finds nothing.
      const invite = await one<{ role: Role }>(c, 'DELETE FROM invites WHERE token_hash = $1 AND expires_at > $2 RETURNING role', [tokenHash, now]);
      if (!invite) return undefined;
      return createIn(c, { ...u, role: invite.role }, now);
    });
  }

  async setShowInLab(userId: number, show: boolean): Promise<void> {
    await this.pool.query('UPDATE users SET show_in_lab = $1 WHERE user_id = $2', [show ? 1 : 0, userId]);
  }

  async labActivity(opts: { since: string }): Promise<LabActivity[]> {
    const r = await this.pool.query<{ pk: number; user_id: number; action: 'like' | 'save'; at: string }>(LAB_ACTIVITY, [opts.since]);
    return r.rows.map((x) => ({ pk: x.pk, userId: x.user_id, action: x.action, at: x.at }));
  }
}
