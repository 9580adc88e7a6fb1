/**
 * The Store contract. Callers (CLI, server, rankers, workers) only see this;
 * SQLite (embedded) and PostgreSQL (scale-out) implement it with the same
 * behaviour, and the same test suite runs against both.
 *
 * A Store is its parts: one narrow interface per area (./types/: papers,
 * models and vectors, jobs and digests, profiles and library, search,
 * leases), each implemented by one class per backend. A caller that needs one
 * area takes that part (`store.jobs`), not the whole store. Every method is
 * async so that a networked database can implement it. The records are
 * re-exported here so callers import one path.
 */
import type { AccountStore } from './types/accounts.ts';
import type { JobStore, DigestStore } from './types/jobs.ts';
import type { PaperStore, ModelStore, VectorStore, TldrStore } from './types/papers.ts';
import type { ProfileStore, LibraryStore } from './types/profiles.ts';
import type { SearchStore } from './types/search.ts';
import type { SettingsStore } from './types/settings.ts';
import type { LeaseStore } from './types/leases.ts';
import type { BulkLoadStore } from './types/bulk.ts';

export type * from './types/papers.ts';
export type * from './types/jobs.ts';
export type * from './types/profiles.ts';
export type * from './types/search.ts';
export type * from './types/leases.ts';
export type * from './types/settings.ts';
export type * from './types/accounts.ts';
export type * from './types/bulk.ts';

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, for messages (file path or URL without password). */
  readonly location: string;
  close(): Promise<void>;
  readonly papers: PaperStore;
  /** Named blobs: fitted models, ANN snapshots. */
  readonly models: ModelStore;
  readonly vectors: VectorStore;
  /** Machine-generated one-sentence summaries, cached per paper. */
  readonly tldrs: TldrStore;
  /** The job queue, small key/value state, enrichment bookkeeping and used one-click links. */
  readonly jobs: JobStore;
  /** Sent-digest records and unsubscriptions (the owner's: a profile name is unique only within an account). */
  readonly digests: DigestStore;
  readonly profiles: ProfileStore;
  /** Notes and collections. */
  readonly library: LibraryStore;
  /** What people set in the app: profiles' delivery, followed sources. */
  readonly settings: SettingsStore;
  readonly search: SearchStore;
  readonly leases: LeaseStore;
  /** Users, sessions, API tokens and invites. */
  readonly accounts: AccountStore;
  /**
   * Which account's profiles (with their papers and feedback), notes,
   * collections, delivery settings, sources, sent digests and unsubscribes the
   * `profiles`, `library`, `settings` and `digests` parts read and write. A store as opened (`owner` undefined)
   * acts for the local admin: the first admin account, or the data made before
   * any account existed when there is none. That is what the CLI, the worker,
   * digests and their signed links act as.
   */
  readonly owner: number | undefined;
  /** A view of the same database acting for `userId`: same connection and caches (closing it closes the store); owned parts scoped to that account. */
  forOwner(userId: number): Store;
  /** Deferred index upkeep for large imports, where the backend gains from it (SQLite); absent elsewhere. */
  readonly bulk?: BulkLoadStore;
  /**
   * Checks the database itself (pages, full-text index) for `radar doctor`;
   * with `repair`, rebuilds what can be rebuilt from the papers.
   */
  checkDatabase(opts: { repair: boolean }): Promise<DatabaseCheck[]>;
}

export interface DatabaseCheck {
  name: string;
  /** Whether it is sound now, after any repair. */
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What was done about it (with `repair`). */
  repaired?: string;
}
