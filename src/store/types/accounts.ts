/**
 * Accounts: people who sign in, their sessions and API tokens, and invites.
 * Secrets never reach the store: sessions, tokens and invites are kept as
 * hashes of what the browser or script holds, and passwords as the hash
 * src/app/passwords.ts makes.
 */

export type Role = 'admin' | 'member';

export interface User {
  userId: number;
  name: string;
  role: Role;
  createdAt: string;
  /** Named next to the papers they like and save in "Popular in your lab" (their choice; off by default). */
  showInLab: boolean;
}

/** One account's latest like or save of one paper ("Popular in your lab", src/rank/lab.ts). */
export interface LabActivity {
  pk: number;
  userId: number;
  action: 'like' | 'save';
  at: string;
}

/** A user with the stored password hash (only sign-in and password change read it). */
export interface UserCredentials extends User {
  passwordHash: string;
  /** When the password was last set. */
  passwordAt: string;
}

export interface SessionRecord {
  userId: number;
  /** The session's CSRF token: forms and the client module's fetches must send it back. */
  csrf: string;
  expiresAt: string;
}

export interface ApiTokenInfo {
  tokenId: number;
  userId: number;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

export interface InviteRecord {
  role: Role;
  invitedBy?: number;
  createdAt: string;
  expiresAt: string;
}

/** The accounts themselves; which account's data the other parts see is `Store.forOwner`. */
export interface AccountStore {
  countUsers(): Promise<number>;
  /**
   * Creates an account (throws when the name is taken). The first admin adopts
   * the profiles, notes and collections made before any account existed.
   */
  createUser(u: { name: string; passwordHash: string; role: Role }, now: string): Promise<User>;
  getUser(name: string): Promise<UserCredentials | undefined>;
  getUserById(userId: number): Promise<UserCredentials | undefined>;
  /** By name. */
  listUsers(): Promise<User[]>;
  /** Deletes the account with its sessions, tokens, profiles (with their papers and feedback), notes and collections. */
  removeUser(userId: number): Promise<boolean>;
  setPassword(userId: number, passwordHash: string, now: string): Promise<void>;

  createSession(s: { tokenHash: string; userId: number; csrf: string; expiresAt: string }, now: string): Promise<void>;
  /** The session when it exists and has not expired at `now`. */
  getSession(tokenHash: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of `userId` but `keepTokenHash` (after a password change); returns how many. */
  deleteSessions(userId: number, keepTokenHash?: string): Promise<number>;

  createApiToken(t: { userId: number; name: string; tokenHash: string }, now: string): Promise<ApiTokenInfo>;
  /** The user's tokens, newest first. */
  listApiTokens(userId: number): Promise<ApiTokenInfo[]>;
  /** Revokes one of the user's tokens; false when the user has no such token. */
  revokeApiToken(userId: number, tokenId: number): Promise<boolean>;
  /** The token's owner (and notes the use), or undefined for an unknown or revoked token. */
  useApiToken(tokenHash: string, now: string): Promise<{ tokenId: number; userId: number } | undefined>;

  createInvite(i: { tokenHash: string; role: Role; invitedBy?: number; expiresAt: string }, now: string): Promise<void>;
  /** The invite when it exists and has not expired. */
  getInvite(tokenHash: string, now: string): Promise<InviteRecord | undefined>;
  /**
   * Uses the invite once: creates the account and deletes the invite in one
   * transaction. Undefined when the invite is unknown, used or expired; throws
   * when the name is taken (the invite stays usable).
   */
  acceptInvite(tokenHash: string, u: { name: string; passwordHash: string }, now: string): Promise<User | undefined>;

  /** Whether the account is named in "Popular in your lab". */
  setShowInLab(userId: number, show: boolean): Promise<void>;
  /**
   * Every account's latest like and latest save of each paper at or after
   * `since` (ISO): feedback from any of its profiles, and papers it put in a
   * collection (a save). One row per account, paper and action.
   */
  labActivity(opts: { since: string }): Promise<LabActivity[]>;
}
