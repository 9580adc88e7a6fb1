/**
 * The scale-out store: the Store contract on PostgreSQL, for several API and
 * worker processes sharing one database. Same behaviour as the SQLite store;
 * the same test suite (test/helpers/backends.ts) holds both to it.
 *
 * Open with `PostgresStore.open(url)`: it connects and brings the schema up to
 * date (migrations run once, under an advisory lock, however many processes
 * start together).
 */
import { PgBulk } from './bulk.ts';
import { checkPostgres } from './doctor.ts';
import type { Pool } from 'pg';
import { PgSettings } from './settings.ts';
import type { Store } from '../types.ts';
import { createPool, redactUrl } from './db.ts';
import { PgAccounts } from './accounts.ts';
import { PgJobs } from './jobs.ts';
import { PgDigests } from './digests.ts';
import { PgLeases } from './lease.ts';
import { PgLibrary } from './library.ts';
import { migrate } from './migrations.ts';
import { PgPapers } from './papers.ts';
import { PgProfiles } from './profiles.ts';
import { PgSearch } from './search.ts';
import { PgVectors } from './vectors.ts';
import { PgTldrs } from './tldr.ts';

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
  readonly papers: PgPapers;
  readonly models: PgVectors;
  readonly vectors: PgVectors;
  readonly tldrs: PgTldrs;
  readonly jobs: PgJobs;
  readonly digests: PgDigests;
  readonly profiles: PgProfiles;
  readonly settings: PgSettings;
  readonly library: PgLibrary;
  readonly search: PgSearch;
  readonly leases: PgLeases;
  readonly accounts: PgAccounts;
  readonly bulk: PgBulk;
  /** Whose profiles, notes, collections and settings this view sees (undefined: the local admin; see Store.owner). */
  readonly owner: number | undefined = undefined;
  /** Shared with owner views, so closing any of them ends the pool once. */
  private readonly state = { closed: false };

  private constructor(url: string, opts: PostgresOptions) {
    this.location = redactUrl(url);
    this.pool = createPool(url, { max: opts.poolSize });
    this.search = new PgSearch(this.pool);
    // Corpus totals (rows, average field lengths) change with the papers: the search re-reads them.
    this.papers = new PgPapers(this.pool, () => this.search.stats.invalidate());
    this.models = this.vectors = new PgVectors(this.pool, opts.now);
    this.tldrs = new PgTldrs(this.pool);
    this.jobs = new PgJobs(this.pool);
    this.digests = new PgDigests(this.pool);
    this.profiles = new PgProfiles(this.pool);
    this.library = new PgLibrary(this.pool);
    this.settings = new PgSettings(this.pool);
    this.leases = new PgLeases(this.pool);
    this.accounts = new PgAccounts(this.pool);
    this.bulk = new PgBulk(this.pool);
  }

  forOwner(userId: number): PostgresStore {
    // Everything shared with this store (pool, caches, unowned parts) but the owned parts.
    return Object.create(this, {
      owner: { value: userId, enumerable: true },
      profiles: { value: new PgProfiles(this.pool, userId) },
      library: { value: new PgLibrary(this.pool, userId) },
      settings: { value: new PgSettings(this.pool, userId) },
      digests: { value: new PgDigests(this.pool, userId) },
    }) as PostgresStore;
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

  async checkDatabase(opts: { repair: boolean }) {
    return checkPostgres(this.pool, this.bulk, opts);
  }
}
