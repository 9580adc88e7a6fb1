/**
 * The scale-out store: the Store contract on PostgreSQL, for several API and
 * worker processes sharing one database. Same behaviour as the SQLite store;
 * the same test suite (test/helpers/backends.ts) holds both to it.
 *
 * Open with `PostgresStore.open(url)`: it connects and brings the schema up to
 * date (migrations run once, under an advisory lock, however many processes
 * start together).
 */
import type { Pool } from 'pg';
import type { PaperRecord } from '../../paper/types.ts';
import type { ParsedQuery } from '../../query/ast.ts';
import type { DigestChannel, FeedbackAction, JobOutcome, JobState, KeywordPage, KeywordSearchRequest, ListOptions, NewJob, ProfileSettings, Role, Store } from '../types.ts';
import { PgAccounts } from './accounts.ts';
import { createPool, redactUrl } from './db.ts';
import { PgJobs } from './jobs.ts';
import { PgLeases } from './lease.ts';
import { PgLibrary } from './library.ts';
import { migrate } from './migrations.ts';
import { PgPapers } from './papers.ts';
import { PgProfiles } from './profiles.ts';
import { PgSearch } from './search.ts';
import { PgVectors } from './vectors.ts';

export interface PostgresOptions {
  /** Clock for timestamps the store sets itself (model build time). */
  now?: () => Date;
  /** Connections in this process's pool (default 10). */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly pool: Pool;
  private readonly papers: PgPapers;
  private readonly vectors: PgVectors;
  private readonly jobs: PgJobs;
  private readonly profiles: PgProfiles;
  private readonly library: PgLibrary;
  private readonly search: PgSearch;
  private readonly leases: PgLeases;
  private readonly accounts: PgAccounts;
  private readonly now: () => Date;
  /** Shared with owner views, so closing any of them closes the pool once. */
  private readonly state = { closed: false };
  /** Whose profiles, notes and collections this view sees (undefined: the local admin; see types/accounts.ts). */
  readonly owner: number | undefined = undefined;

  private constructor(url: string, opts: PostgresOptions) {
    this.location = redactUrl(url);
    this.pool = createPool(url, { max: opts.poolSize });
    this.papers = new PgPapers(this.pool);
    this.vectors = new PgVectors(this.pool);
    this.jobs = new PgJobs(this.pool);
    this.profiles = new PgProfiles(this.pool);
    this.library = new PgLibrary(this.pool);
    this.search = new PgSearch(this.pool);
    this.leases = new PgLeases(this.pool);
    this.accounts = new PgAccounts(this.pool);
    this.now = opts.now ?? (() => new Date());
  }

  /** Connects, migrates, and returns the store; a connection failure names the (password-less) URL. */
  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, opts);
    try {
      await migrate(store.pool);
    } catch (err) {
      await store.pool.end().catch(() => {});
      const e = err as Error & { code?: string };
      throw new Error(`cannot open PostgreSQL database ${store.location}: ${e.message}${e.code ? ` (${e.code})` : ''}`, { cause: err });
    }
    return store;
  }

  async close() {
    if (this.state.closed) return;
    this.state.closed = true;
    await this.pool.end();
  }

  async upsertPapers(records: PaperRecord[], now: string) {
    const r = await this.papers.upsert(records, now);
    // Corpus totals (rows, average field lengths) changed: re-read them for the next search.
    if (r.counts.added || r.counts.updated || r.counts.merged) this.search.stats.invalidate();
    return r;
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
    await this.vectors.putModel(name, data, meta, this.now().toISOString());
  }
  async getModel(name: string) {
    return this.vectors.getModel(name);
  }
  async putVectors(model: string, rows: { pk: number; vector: Buffer }[]) {
    await this.vectors.putVectors(model, rows);
  }
  async getVectors(model: string, pks: number[]) {
    return this.vectors.getVectors(model, pks);
  }
  async *scanVectors(model: string, batchSize: number) {
    yield* this.vectors.scan(model, batchSize);
  }
  async deleteVectors(model: string) {
    await this.vectors.deleteModelVectors(model);
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
    await this.profiles.addFeedback(profileId, pk, action, now);
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

  // Jobs, small state, enrichment bookkeeping and digests (postgres/jobs.ts).
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
    await this.jobs.putState(key, value, now);
  }
  async initState(key: string, value: unknown, now: string) {
    return this.jobs.initState(key, value, now);
  }
  async incompletePapers(opts: { limit: number; triedBefore: string }) {
    return this.jobs.incompletePapers(opts);
  }
  async noteEnrichAttempt(pk: number, now: string, outcome: string) {
    await this.jobs.noteEnrichAttempt(pk, now, outcome);
  }
  async reserveDigest(d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string }, now: string) {
    return this.jobs.reserveDigest(d, now);
  }
  async finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ) {
    await this.jobs.finishDigest(id, outcome, now);
  }
  async listDigests(opts: { profile?: string; limit?: number }) {
    return this.jobs.listDigests(opts);
  }
  async setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string) {
    await this.jobs.setUnsubscribed(profile, channel, unsubscribed, now);
  }
  async isUnsubscribed(profile: string, channel: DigestChannel) {
    return this.jobs.isUnsubscribed(profile, channel);
  }

  // Notes and collections (postgres/library.ts).
  async getNote(pk: number) {
    return this.library.getNote(this.owner, pk);
  }
  async putNote(pk: number, text: string, now: string) {
    await this.library.putNote(this.owner, pk, text, now);
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

  // Keyword search on tsvector/GIN (postgres/search.ts), the behaviour of ../sqlite/search.ts.
  async searchKeyword(req: KeywordSearchRequest): Promise<KeywordPage> {
    return this.search.search(req);
  }
  async filterPapers(query: ParsedQuery, pks: number[]): Promise<number[]> {
    return this.search.filterPapers(query, pks);
  }

  // Accounts (postgres/accounts.ts).
  forOwner(userId: number): this {
    // Everything shared with this store (pool, caches) but the owner the profile and library queries filter on.
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
    await this.accounts.setPassword(userId, passwordHash, now);
  }
  async createSession(s: { tokenHash: string; userId: number; csrf: string; expiresAt: string }, now: string) {
    await this.accounts.createSession(s, now);
  }
  async getSession(tokenHash: string, now: string) {
    return this.accounts.getSession(tokenHash, now);
  }
  async deleteSession(tokenHash: string) {
    await this.accounts.deleteSession(tokenHash);
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
    await this.accounts.createInvite(i, now);
  }
  async getInvite(tokenHash: string, now: string) {
    return this.accounts.getInvite(tokenHash, now);
  }
  async acceptInvite(tokenHash: string, u: { name: string; passwordHash: string }, now: string) {
    return this.accounts.acceptInvite(tokenHash, u, now);
  }

  // Leases (postgres/lease.ts)
  async acquireLease(name: string, holder: string, ttlMs: number) {
    return this.leases.acquire(name, holder, ttlMs);
  }
  async renewLease(name: string, holder: string, ttlMs: number) {
    return this.leases.renew(name, holder, ttlMs);
  }
  async releaseLease(name: string, holder: string) {
    return this.leases.release(name, holder);
  }
}
