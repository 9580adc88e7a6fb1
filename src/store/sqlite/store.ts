import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PaperRecord } from '../../paper/types.ts';
import type { DigestChannel, FeedbackAction, JobOutcome, JobState, ListOptions, NewJob, ProfileSettings, Role, Store } from '../types.ts';
import { SqliteJobs } from './jobs.ts';
import { SqliteLeases } from './lease.ts';
import { SqliteAccounts } from './accounts.ts';
import { SqliteLibrary } from './library.ts';
import { migrate, schemaState } from './migrations.ts';
import { SqlitePapers } from './papers.ts';
import { SqliteVectors } from './vectors.ts';
import { SqliteProfiles } from './profiles.ts';
import { SqliteSearch } from './search.ts';
import type { ParsedQuery } from '../../query/ast.ts';
import type { KeywordSearchRequest } from '../types.ts';

export interface SqliteOptions {
  /** Clock for timestamps the store sets itself (model build time). */
  now?: () => Date;
  /**
   * Read-only: nothing is written, not even the schema (so a database whose
   * schema differs from this build's is refused rather than migrated). For
   * copying a database out (radar migrate).
   */
  readonly?: boolean;
  /**
   * Create the file's directory when it is missing. Off by default: a new
   * database file is normal on a first run, but a missing directory is more
   * often a mistyped `--db` than a wish for a new tree of directories.
   */
  createDir?: boolean;
}

/** The database cannot be opened as asked; `reason` lets a caller add its own advice. */
export class StoreOpenError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-directory' | 'no-file' | 'schema-older' | 'schema-newer',
  ) {
    super(message);
  }
}

/**
 * The embedded store: one SQLite file in WAL mode, so readers (the web server)
 * never wait for an import, and a crash mid-import leaves the last committed
 * batch intact.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly db: Database.Database;
  readonly readonly: boolean;
  private readonly papers: SqlitePapers;
  private readonly vectors: SqliteVectors;
  private readonly jobs: SqliteJobs;
  private readonly profiles: SqliteProfiles;
  private readonly library: SqliteLibrary;
  private readonly leases: SqliteLeases;
  private readonly accounts: SqliteAccounts;
  /** Keyword search (sqlite/search.ts); built on first use (it loads the ranking extension). Shared with owner views. */
  private readonly lazy: { searcher?: SqliteSearch } = {};
  /** Whose profiles, notes and collections this view sees (undefined: the local admin; see types/accounts.ts). */
  readonly owner: number | undefined = undefined;
  private readonly now: () => Date;

  constructor(path: string, opts: SqliteOptions = {}) {
    this.location = path === ':memory:' ? path : resolve(path);
    this.readonly = !!opts.readonly;
    if (path !== ':memory:') {
      const dir = dirname(this.location);
      if (opts.readonly && !existsSync(this.location)) throw new StoreOpenError(`${this.location}: no such database file`, 'no-file');
      if (!existsSync(dir)) {
        if (!opts.createDir) throw new StoreOpenError(`cannot create database ${this.location}: directory ${dir} does not exist`, 'no-directory');
        mkdirSync(dir, { recursive: true });
      }
    }
    this.db = new Database(path, { readonly: this.readonly });
    // A read-only connection reads the journal mode the writers set (WAL) and must not try to change it.
    if (!this.readonly) this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('cache_size = -65536');
    if (this.readonly) this.checkSchema();
    else migrate(this.db);
    this.papers = new SqlitePapers(this.db);
    this.vectors = new SqliteVectors(this.db);
    this.jobs = new SqliteJobs(this.db);
    this.profiles = new SqliteProfiles(this.db);
    this.library = new SqliteLibrary(this.db);
    this.leases = new SqliteLeases(this.db);
    this.accounts = new SqliteAccounts(this.db);
    this.now = opts.now ?? (() => new Date());
  }

  /** Read-only opens cannot migrate, so they accept only the schema this build writes. */
  private checkSchema(): void {
    const { pending, unknown } = schemaState(this.db);
    const fail = (why: string, reason: StoreOpenError['reason']) => {
      this.db.close();
      throw new StoreOpenError(`${this.location}: ${why}`, reason);
    };
    if (unknown.length) {
      fail(`its schema has migrations this version of Paper Radar does not know (${unknown.join(', ')}); use a newer one`, 'schema-newer');
    }
    if (pending.length) {
      fail(`its schema is older than this version of Paper Radar's (migrations ${pending.map((m) => m.version).join(', ')} not applied)`, 'schema-older');
    }
  }

  async close() {
    if (this.db.open) {
      // optimize refreshes stale planner statistics, which writes (ANALYZE): never on a read-only
      // store, and skipped rather than waited for when another process holds the write lock (a
      // long import would otherwise make every `radar stats` hang for the busy timeout, then fail).
      try {
        if (!this.readonly) {
          this.db.pragma('busy_timeout = 0');
          try {
            this.db.pragma('optimize');
          } catch (err) {
            if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
          }
        }
      } finally {
        this.db.close();
      }
    }
  }

  async upsertPapers(records: PaperRecord[], now: string) {
    return this.papers.upsert(records, now);
  }
  async getPaper(id: string) {
    return this.papers.get(id);
  }
  async getPapersByPk(pks: number[]) {
    return this.papers.byPks(pks);
  }
  async provenance(pk: number) {
    return this.papers.provenance(pk);
  }
  async listPapers(opts: ListOptions) {
    return this.papers.list(opts);
  }
  async listingDays(opts: { from?: string; to?: string; limit?: number }) {
    return this.papers.listingDays(opts);
  }
  async papersByAuthor(name: string, limit?: number) {
    return this.papers.byAuthor(name, limit);
  }
  async findAuthors(query: string, limit?: number) {
    return this.papers.findAuthors(query, limit);
  }
  async changesSince(seq: number, limit: number) {
    return this.papers.changesSince(seq, limit);
  }
  async *scanPapers(batchSize: number) {
    yield* this.papers.scan(batchSize);
  }
  async stats() {
    return this.papers.stats();
  }

  async putModel(name: string, data: Buffer, meta: Record<string, unknown>) {
    this.vectors.putModel(name, data, meta, this.now().toISOString());
  }
  async getModel(name: string) {
    return this.vectors.getModel(name);
  }
  async putVectors(model: string, rows: { pk: number; vector: Buffer }[]) {
    this.vectors.putVectors(model, rows);
  }
  async getVectors(model: string, pks: number[]) {
    return this.vectors.getVectors(model, pks);
  }
  async *scanVectors(model: string, batchSize: number) {
    yield* this.vectors.scan(model, batchSize);
  }
  async deleteVectors(model: string) {
    this.vectors.deleteModelVectors(model);
  }
  async countVectors(model: string) {
    return this.vectors.count(model);
  }

  // Profiles
  async createProfile(name: string, settings: ProfileSettings, now: string) {
    return this.profiles.create(this.owner, name, settings, now);
  }
  async getProfile(name: string) {
    return this.profiles.get(this.owner, name);
  }
  async listProfiles() {
    return this.profiles.list(this.owner);
  }
  async updateProfileSettings(profileId: number, settings: ProfileSettings, now: string) {
    return this.profiles.updateSettings(this.owner, profileId, settings, now);
  }
  async deleteProfile(profileId: number) {
    return this.profiles.delete(this.owner, profileId);
  }
  async addProfilePapers(profileId: number, links: { pk: number; origin: string }[], now: string) {
    return this.profiles.addPapers(profileId, links, now);
  }
  async removeProfilePapers(profileId: number, pks: number[]) {
    return this.profiles.removePapers(profileId, pks);
  }
  async profilePapers(profileId: number) {
    return this.profiles.papers(profileId);
  }
  async addFeedback(profileId: number, pk: number, action: FeedbackAction, now: string) {
    this.profiles.addFeedback(profileId, pk, action, now);
  }
  async removeFeedback(profileId: number, pk: number, action: FeedbackAction) {
    return this.profiles.removeFeedback(profileId, pk, action);
  }
  async feedback(profileId: number) {
    return this.profiles.feedback(profileId);
  }
  async samplePaperPks(n: number, seed: number) {
    return this.profiles.samplePks(n, seed);
  }
  async undatedPapers(opts: { addedFrom: string; addedTo: string; limit: number }) {
    return this.profiles.undated(opts);
  }

  // Jobs, small state, enrichment bookkeeping and digests (sqlite/jobs.ts).
  async enqueueJob(job: NewJob, now: string) {
    return this.jobs.enqueue(job, now);
  }
  async claimJob(opts: { worker: string; now: string; leaseMs: number; kinds?: string[] }) {
    return this.jobs.claim(opts);
  }
  async heartbeatJob(id: number, worker: string, now: string, leaseMs: number) {
    return this.jobs.heartbeat(id, worker, now, leaseMs);
  }
  async finishJob(id: number, worker: string, now: string, outcome: JobOutcome) {
    return this.jobs.finish(id, worker, now, outcome);
  }
  async requeueJob(id: number, now: string) {
    return this.jobs.requeue(id, now);
  }
  async getJob(id: number) {
    return this.jobs.get(id);
  }
  async listJobs(opts: { states?: JobState[]; kind?: string; limit?: number }) {
    return this.jobs.list(opts);
  }
  async jobCounts() {
    return this.jobs.counts();
  }
  async getState(key: string) {
    return this.jobs.getState(key);
  }
  async putState(key: string, value: unknown, now: string) {
    this.jobs.putState(key, value, now);
  }
  async initState(key: string, value: unknown, now: string) {
    return this.jobs.initState(key, value, now);
  }
  async incompletePapers(opts: { limit: number; triedBefore: string }) {
    return this.jobs.incompletePapers(opts);
  }
  async noteEnrichAttempt(pk: number, now: string, outcome: string) {
    this.jobs.noteEnrichAttempt(pk, now, outcome);
  }
  async reserveDigest(d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string }, now: string) {
    return this.jobs.reserveDigest(d, now);
  }
  async finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ) {
    this.jobs.finishDigest(id, outcome, now);
  }
  async listDigests(opts: { profile?: string; limit?: number }) {
    return this.jobs.listDigests(opts);
  }
  async setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string) {
    this.jobs.setUnsubscribed(profile, channel, unsubscribed, now);
  }
  async isUnsubscribed(profile: string, channel: DigestChannel) {
    return this.jobs.isUnsubscribed(profile, channel);
  }

  // Keyword search (sqlite/search.ts).
  get search(): SqliteSearch {
    return (this.lazy.searcher ??= new SqliteSearch(this.db));
  }
  async searchKeyword(req: KeywordSearchRequest) {
    return this.search.search(req);
  }
  async filterPapers(query: ParsedQuery, pks: number[]) {
    return this.search.filterPapers(query, pks);
  }

  // Notes and collections (sqlite/library.ts).
  async getNote(pk: number) {
    return this.library.getNote(this.owner, pk);
  }
  async putNote(pk: number, text: string, now: string) {
    this.library.putNote(this.owner, pk, text, now);
  }
  async listCollections() {
    return this.library.listCollections(this.owner);
  }
  async getCollection(name: string) {
    return this.library.getCollection(this.owner, name);
  }
  async ensureCollection(name: string, now: string) {
    return this.library.ensureCollection(this.owner, name, now);
  }
  async deleteCollection(collectionId: number) {
    return this.library.deleteCollection(this.owner, collectionId);
  }
  async addToCollection(collectionId: number, pk: number, now: string) {
    return this.library.addToCollection(collectionId, pk, now);
  }
  async removeFromCollection(collectionId: number, pk: number) {
    return this.library.removeFromCollection(collectionId, pk);
  }
  async collectionPapers(collectionId: number) {
    return this.library.collectionPapers(collectionId);
  }
  async collectionsOf(pk: number) {
    return this.library.collectionsOf(this.owner, pk);
  }

  // Accounts (sqlite/accounts.ts).
  forOwner(userId: number): this {
    // Everything shared with this store (connection, caches) but the owner the profile and library queries filter on.
    return Object.create(this, { owner: { value: userId, enumerable: true } });
  }
  async countUsers() {
    return this.accounts.count();
  }
  async createUser(u: { name: string; passwordHash: string; role: Role }, now: string) {
    return this.accounts.create(u, now);
  }
  async getUser(name: string) {
    return this.accounts.get(name);
  }
  async getUserById(userId: number) {
    return this.accounts.byId(userId);
  }
  async listUsers() {
    return this.accounts.list();
  }
  async removeUser(userId: number) {
    return this.accounts.remove(userId);
  }
  async setPassword(userId: number, passwordHash: string, now: string) {
    this.accounts.setPassword(userId, passwordHash, now);
  }
  async createSession(s: { tokenHash: string; userId: number; csrf: string; expiresAt: string }, now: string) {
    this.accounts.createSession(s, now);
  }
  async getSession(tokenHash: string, now: string) {
    return this.accounts.getSession(tokenHash, now);
  }
  async deleteSession(tokenHash: string) {
    this.accounts.deleteSession(tokenHash);
  }
  async deleteSessions(userId: number, keepTokenHash?: string) {
    return this.accounts.deleteSessions(userId, keepTokenHash);
  }
  async createApiToken(t: { userId: number; name: string; tokenHash: string }, now: string) {
    return this.accounts.createToken(t, now);
  }
  async listApiTokens(userId: number) {
    return this.accounts.listTokens(userId);
  }
  async revokeApiToken(userId: number, tokenId: number) {
    return this.accounts.revokeToken(userId, tokenId);
  }
  async useApiToken(tokenHash: string, now: string) {
    return this.accounts.useToken(tokenHash, now);
  }
  async createInvite(i: { tokenHash: string; role: Role; invitedBy?: number; expiresAt: string }, now: string) {
    this.accounts.createInvite(i, now);
  }
  async getInvite(tokenHash: string, now: string) {
    return this.accounts.getInvite(tokenHash, now);
  }
  async acceptInvite(tokenHash: string, u: { name: string; passwordHash: string }, now: string) {
    return this.accounts.acceptInvite(tokenHash, u, now);
  }

  // Leases (sqlite/lease.ts)
  async acquireLease(name: string, holder: string, ttlMs: number) {
    return this.leases.acquire(name, holder, ttlMs);
  }
  async renewLease(name: string, holder: string, ttlMs: number) {
    return this.leases.renew(name, holder, ttlMs);
  }
  async releaseLease(name: string, holder: string) {
    this.leases.release(name, holder);
  }
}
