/**
 * The Store contract. Callers (CLI, server, rankers, workers) only see this;
 * SQLite (embedded) and PostgreSQL (scale-out) implement it with the same
 * behaviour, and the same test suite runs against both.
 *
 * Every method is async so that a networked database can implement it.
 *
 * The records and per-area contracts live in ./types/ (papers, jobs,
 * profiles, search); they are re-exported here so callers import one path.
 * The Store interface itself stays in this file: it is the one place a new
 * capability is added.
 */
import type { AccountStore } from './types/accounts.ts';
import type { JobStore, DigestStore } from './types/jobs.ts';
import type { PaperStore, ModelStore, VectorStore } from './types/papers.ts';
import type { ProfileStore, LibraryStore } from './types/profiles.ts';
import type { SearchStore } from './types/search.ts';

export type * from './types/papers.ts';
export type * from './types/jobs.ts';
export type * from './types/profiles.ts';
export type * from './types/search.ts';
export type * from './types/accounts.ts';

export interface Store extends PaperStore, ModelStore, VectorStore, JobStore, DigestStore, ProfileStore, LibraryStore, SearchStore, AccountStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, for messages (file path or URL without password). */
  readonly location: string;
  close(): Promise<void>;
  // Leases (sqlite/lease.ts, postgres/lease.ts): one holder at a time across processes, e.g. index maintenance.
  /** Takes lease `name` for `holder` for `ttlMs` when it is free, expired or already `holder`'s; else says who has it, until when (ISO). */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<{ acquired: true } | { acquired: false; holder: string; until: string }>;
  /** Extends `holder`'s lease; false when it is no longer theirs (it expired and another took it). */
  renewLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
