import { checkSqlite } from './doctor.ts';
import { SqliteBulk } from './bulk.ts';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SqliteSettings } from './settings.ts';
import type { Store } from '../types.ts';
import { SqliteAccounts } from './accounts.ts';
import { SqliteJobs } from './jobs.ts';
import { SqliteDigests } from './digests.ts';
import { SqliteLeases } from './lease.ts';
import { SqliteLibrary } from './library.ts';
import { migrate, schemaState } from './migrations.ts';
import { SqlitePapers } from './papers.ts';
import { SqliteTldrs } from './tldr.ts';
import { SqliteVectors } from './vectors.ts';
import { SqliteProfiles } from './profiles.ts';
import { SqliteSearch } from './search.ts';

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
  readonly papers: SqlitePapers;
  readonly models: SqliteVectors;
  readonly vectors: SqliteVectors;
  readonly tldrs: SqliteTldrs;
  readonly jobs: SqliteJobs;
  readonly digests: SqliteDigests;
  readonly profiles: SqliteProfiles;
  readonly settings: SqliteSettings;
  readonly library: SqliteLibrary;
  readonly leases: SqliteLeases;
  readonly accounts: SqliteAccounts;
  readonly bulk: SqliteBulk;
  /** Whose profiles, notes, collections and settings this view sees (undefined: the local admin; see Store.owner). */
  readonly owner: number | undefined = undefined;
  /** Keyword search, built on first use (it loads the ranking extension); shared with owner views. */
  private readonly lazy: { searcher?: SqliteSearch } = {};

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
    this.models = this.vectors = new SqliteVectors(this.db, opts.now);
    this.tldrs = new SqliteTldrs(this.db);
    this.jobs = new SqliteJobs(this.db);
    this.digests = new SqliteDigests(this.db);
    this.profiles = new SqliteProfiles(this.db);
    this.library = new SqliteLibrary(this.db);
    this.settings = new SqliteSettings(this.db);
    this.leases = new SqliteLeases(this.db);
    this.accounts = new SqliteAccounts(this.db);
    this.bulk = new SqliteBulk(this.db, this.papers);
  }

  forOwner(userId: number): SqliteStore {
    // Everything shared with this store (connection, caches, unowned parts) but the owned parts.
    return Object.create(this, {
      owner: { value: userId, enumerable: true },
      profiles: { value: new SqliteProfiles(this.db, userId) },
      library: { value: new SqliteLibrary(this.db, userId) },
      settings: { value: new SqliteSettings(this.db, userId) },
      digests: { value: new SqliteDigests(this.db, userId) },
    }) as SqliteStore;
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

  async checkDatabase(opts: { repair: boolean }) {
    return checkSqlite(this.db, this.bulk, opts);
  }

  /** Built on first use: it loads the ranking extension. */
  get search(): SqliteSearch {
    return (this.lazy.searcher ??= new SqliteSearch(this.db));
  }
}
