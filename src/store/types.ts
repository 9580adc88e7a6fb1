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
import type { JobStore, DigestStore } from './types/jobs.ts';
import type { PaperStore, ModelStore, VectorStore } from './types/papers.ts';
import type { ProfileStore, LibraryStore } from './types/profiles.ts';
import type { SearchStore } from './types/search.ts';

export type * from './types/papers.ts';
export type * from './types/jobs.ts';
export type * from './types/profiles.ts';
export type * from './types/search.ts';

export interface Store extends PaperStore, ModelStore, VectorStore, JobStore, DigestStore, ProfileStore, LibraryStore, SearchStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, for messages (file path or URL without password). */
  readonly location: string;
  close(): Promise<void>;
}
