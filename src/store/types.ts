/**
 * The Store contract. Callers (CLI, server, rankers, workers) only see this;
 * SQLite (embedded) and PostgreSQL (scale-out) implement it with the same
 * behaviour, and the same test suite runs against both.
 *
 * Every method is async so that a networked database can implement it.
 */
import type { Paper, PaperRecord, Provenance } from '../paper/types.ts';
import type { ParsedQuery, SearchSort } from '../rank/query/ast.ts';

/** A paper as stored: the merged Paper plus the store's handle for it. */
export interface StoredPaper extends Paper {
  /**
   * Internal integer handle. Stable while the paper exists; when two papers are
   * found to be one, the survivor keeps its pk and the other is reported in
   * `changesSince().removed`. Indexes (vectors, ANN labels) key on it.
   */
  pk: number;
  /** Change counter: bumped on every write to this paper; see `changesSince`. */
  seq: number;
}

export interface ImportCounts {
  /** Records that created a new paper. */
  added: number;
  /** Records that added information to a paper already stored (or added earlier in the same run). */
  updated: number;
  /** Records that matched a stored paper and told the store nothing new. */
  unchanged: number;
  /** Stored papers folded into another because a record showed them to be the same paper. */
  merged: number;
}

export interface RecordOutcome {
  locator: string;
  outcome: 'added' | 'updated' | 'unchanged';
  id: string;
  pk: number;
}

export interface UpsertResult {
  counts: ImportCounts;
  outcomes: RecordOutcome[];
}

export type ListSort = 'date' | 'upvotes' | 'trending';

export interface ListOptions {
  /** Inclusive listing-date range (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Any of these categories. */
  categories?: string[];
  sort?: ListSort;
  /** The day `trending` measures age from (default: today). */
  asOf?: string;
  limit?: number;
  offset?: number;
}

export interface PaperChanges {
  /** Papers written after the given seq, oldest change first. */
  papers: StoredPaper[];
  /** pks that no longer exist (merged into another paper or deleted). */
  removed: number[];
  /** Pass this to the next call. */
  lastSeq: number;
}

export interface StoreStats {
  papers: number;
  profiles: number;
  authors: number;
  withAbstract: number;
  withoutTitle: number;
  categories: number;
  firstDay?: string;
  lastDay?: string;
  sources: Record<string, number>;
}

export interface PaperStore {
  /**
   * Merges records into the store in one transaction: each record joins the
   * paper it matches (by arXiv id, DOI, normalised title or abstract opening)
   * or becomes a new one. All-or-nothing per call.
   */
  upsertPapers(records: PaperRecord[], now: string): Promise<UpsertResult>;
  /** By canonical id or any id the paper was known under (merged-away ids, arXiv id, DOI). */
  getPaper(id: string): Promise<StoredPaper | undefined>;
  getPapersByPk(pks: number[]): Promise<StoredPaper[]>;
  provenance(pk: number): Promise<Provenance[]>;
  listPapers(opts: ListOptions): Promise<{ papers: StoredPaper[]; total: number }>;
  /** Days that have papers, with counts, newest first: the daily listing's navigation. */
  listingDays(opts: { from?: string; to?: string; limit?: number }): Promise<{ day: string; count: number }[]>;
  /** Papers with an author whose folded name equals the folded `name`. */
  papersByAuthor(name: string, limit?: number): Promise<StoredPaper[]>;
  /** Author names matching a folded prefix/word, with paper counts: for disambiguation. */
  findAuthors(query: string, limit?: number): Promise<{ name: string; papers: number }[]>;
  /** Incremental change feed for index maintenance. */
  changesSince(seq: number, limit: number): Promise<PaperChanges>;
  /** Every paper, in pk order, in pages: for index builds. */
  scanPapers(batchSize: number): AsyncIterable<StoredPaper[]>;
  stats(): Promise<StoreStats>;
}

/** Named binary blobs: fitted models (vocabularies, projections), ANN snapshots. */
export interface ModelStore {
  putModel(name: string, data: Buffer, meta: Record<string, unknown>): Promise<void>;
  getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown>; builtAt: string } | undefined>;
}

/** Per-paper vectors under a model name (e.g. `lsa-256`, `tfidf`). */
export interface VectorStore {
  putVectors(model: string, rows: { pk: number; vector: Buffer }[]): Promise<void>;
  getVectors(model: string, pks: number[]): Promise<Map<number, Buffer>>;
  scanVectors(model: string, batchSize: number): AsyncIterable<{ pk: number; vector: Buffer }[]>;
  deleteVectors(model: string): Promise<void>;
  countVectors(model: string): Promise<number>;
}

// ---- Jobs, harvest state and digests (issue 6: staying current) ----

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface NewJob {
  /** What to run: `fetch`, `refresh-indexes`, `digest`, `enrich`, … (the worker's handler table). */
  kind: string;
  payload: Record<string, unknown>;
  /**
   * Identity of the job: enqueueing a key that already exists is a no-op that
   * returns the existing job. Scheduled runs use `schedule@slot`, so several
   * processes scheduling the same slot create one job.
   */
  key: string;
  /** At most one job per lane runs at a time across all processes (e.g. `arxiv`: one client for arXiv's rate rule). */
  lane?: string;
  /** Not before this instant (ISO). */
  runAt: string;
  /** Attempts before the job is marked `failed` for good. */
  maxAttempts: number;
}

export interface Job extends NewJob {
  id: number;
  state: JobState;
  attempts: number;
  /** Worker holding the job while `running`. */
  lockedBy?: string;
  /** A running job whose lease has passed is taken to have lost its worker and is claimed again. */
  leaseUntil?: string;
  lastError?: string;
  result?: unknown;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export type JobOutcome = { ok: true; result?: unknown } | { ok: false; error: string; retryAt?: string };

/**
 * A durable job queue. Contract (both backends): `claimJob` hands a job to
 * exactly one caller — atomically picks the oldest due job (queued with
 * `runAt <= now`, or running with an expired lease) whose lane is free, marks
 * it running under `worker` with a lease and counts the attempt. A job whose
 * lease expired on its last allowed attempt is marked failed instead of
 * re-run. `heartbeatJob` and `finishJob` succeed only for the worker holding
 * the job. A failure with `retryAt` re-queues the job while attempts remain;
 * otherwise it stays `failed` (never deleted) with its error.
 */
export interface JobStore {
  enqueueJob(job: NewJob, now: string): Promise<{ job: Job; created: boolean }>;
  claimJob(opts: { worker: string; now: string; leaseMs: number; kinds?: string[] }): Promise<Job | undefined>;
  heartbeatJob(id: number, worker: string, now: string, leaseMs: number): Promise<boolean>;
  finishJob(id: number, worker: string, now: string, outcome: JobOutcome): Promise<boolean>;
  /** Puts a failed job back in the queue with fresh attempts (an operator's retry). */
  requeueJob(id: number, now: string): Promise<boolean>;
  getJob(id: number): Promise<Job | undefined>;
  /** Newest first. */
  listJobs(opts: { states?: JobState[]; kind?: string; limit?: number }): Promise<Job[]>;
  jobCounts(): Promise<Record<JobState, number>>;
  /** Small JSON state by key (harvest progress, scheduler slots). */
  getState(key: string): Promise<unknown | undefined>;
  putState(key: string, value: unknown, now: string): Promise<void>;
  /** Stores `value` unless the key exists; returns what is stored (shared secrets created once across processes). */
  initState(key: string, value: unknown, now: string): Promise<unknown>;
  /**
   * pks of papers with no title or a truncated abstract, not tried since
   * `triedBefore` (ISO), oldest pk first: the enrichment job's work list.
   */
  incompletePapers(opts: { limit: number; triedBefore: string }): Promise<number[]>;
  noteEnrichAttempt(pk: number, now: string, outcome: string): Promise<void>;
}

export type DigestChannel = 'email' | 'webhook';
export type DigestState = 'sending' | 'sent' | 'failed' | 'unknown';

export interface DigestRecord {
  id: number;
  profile: string;
  channel: DigestChannel;
  /** Inclusive listing-day window (YYYY-MM-DD). */
  windowFrom: string;
  windowTo: string;
  state: DigestState;
  reservedBy: string;
  reservedAt: string;
  sentAt?: string;
  items?: number;
  messageId?: string;
  error?: string;
}

/**
 * Sent-digest records: one per profile + window + channel, unique. A sender
 * reserves the record *before* delivering; a reservation succeeds only when no
 * record exists or the previous attempt is known not to have delivered
 * (`failed`). `sending` and `unknown` block re-sending (at most once; see
 * src/digest/send.ts for the crash analysis).
 */
export interface DigestStore {
  reserveDigest(
    d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string },
    now: string,
  ): Promise<{ reserved: boolean; record: DigestRecord }>;
  finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ): Promise<void>;
  listDigests(opts: { profile?: string; limit?: number }): Promise<DigestRecord[]>;
  setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string): Promise<void>;
  isUnsubscribed(profile: string, channel: DigestChannel): Promise<boolean>;
}

// ---- Profiles, their papers and feedback (issue 4: profiles and feeds) ----

/** Per-profile rules on top of the model (see src/profile/rules.ts). */
export interface ProfileRules {
  /** Keywords or phrases of which a feed paper must mention at least one (title/abstract). */
  must?: string[];
  /** Keywords or phrases a feed paper must not mention. */
  never?: string[];
  /** Followed authors: their papers are boosted and the reason says so. */
  authors?: string[];
  /** Followed organisations (matched against the paper's organisation signal). */
  organizations?: string[];
  /** Relevance cut-off on the feed score; papers below it are left out (default: the model's own). */
  cutoff?: number;
}

/** A profile's settings, stored as one JSON document; other features may add keys (e.g. digest delivery). */
export interface ProfileSettings {
  rules?: ProfileRules;
  [key: string]: unknown;
}

export interface Profile {
  profileId: number;
  name: string;
  settings: ProfileSettings;
  createdAt: string;
  updatedAt: string;
}

export type FeedbackAction = 'like' | 'save' | 'dismiss' | 'seen';

export interface ProfilePaperLink {
  pk: number;
  /** How it got there: `file:NAME`, `arxiv`, `author:NAME`, `manual`… */
  origin: string;
  addedAt: string;
}

export interface FeedbackEntry {
  pk: number;
  action: FeedbackAction;
  at: string;
}

/**
 * Profiles, their papers and feedback. Rows point at papers by pk; when papers
 * merge, the store moves these rows to the survivor (so a dismissal follows the
 * paper whichever source or version it comes back from).
 */
export interface ProfileStore {
  /** Throws when a profile of that name exists. */
  createProfile(name: string, settings: ProfileSettings, now: string): Promise<Profile>;
  getProfile(name: string): Promise<Profile | undefined>;
  /** By name, with paper counts. */
  listProfiles(): Promise<(Profile & { papers: number })[]>;
  /** Replaces the settings document; undefined when there is no such profile. */
  updateProfileSettings(profileId: number, settings: ProfileSettings, now: string): Promise<Profile | undefined>;
  /** Deletes the profile with its paper links and feedback; false when there was none. */
  deleteProfile(profileId: number): Promise<boolean>;
  /** Links papers to the profile (existing links are kept as they were); returns how many were new. */
  addProfilePapers(profileId: number, links: { pk: number; origin: string }[], now: string): Promise<number>;
  removeProfilePapers(profileId: number, pks: number[]): Promise<number>;
  profilePapers(profileId: number): Promise<ProfilePaperLink[]>;
  /** Records an action (repeating one updates its time). */
  addFeedback(profileId: number, pk: number, action: FeedbackAction, now: string): Promise<void>;
  removeFeedback(profileId: number, pk: number, action: FeedbackAction): Promise<boolean>;
  feedback(profileId: number): Promise<FeedbackEntry[]>;
  /**
   * Up to `n` distinct pks of stored papers drawn at random (reproducible for a
   * seed): the background sample a profile model learns "not this" from.
   */
  samplePaperPks(n: number, seed: number): Promise<number[]>;
  /**
   * Papers with no listing date that the store first saw in [addedFrom, addedTo)
   * (ISO instants), oldest first: a feed counts an undated paper from its arrival.
   */
  undatedPapers(opts: { addedFrom: string; addedTo: string; limit: number }): Promise<StoredPaper[]>;
}

// ---- Notes and collections (issue 5: the web app) ----

/** A private note on a paper (one per paper; follows the paper through merges). */
export interface Note {
  pk: number;
  text: string;
  updatedAt: string;
}

/** A named group of saved papers (a reading list), exportable as BibTeX. */
export interface Collection {
  collectionId: number;
  name: string;
  createdAt: string;
  /** How many papers it holds. */
  papers: number;
}

/**
 * Notes and collections. Rows point at papers by pk and move to the survivor
 * when papers merge (like profile papers and feedback).
 */
export interface LibraryStore {
  getNote(pk: number): Promise<Note | undefined>;
  /** Sets the note; blank text deletes it. */
  putNote(pk: number, text: string, now: string): Promise<void>;
  /** By name, with paper counts. */
  listCollections(): Promise<Collection[]>;
  getCollection(name: string): Promise<Collection | undefined>;
  /** Creates the collection, or returns the one of that name (case-sensitive) if it exists. */
  ensureCollection(name: string, now: string): Promise<Collection>;
  /** Deletes the collection (not its papers); false when there was none. */
  deleteCollection(collectionId: number): Promise<boolean>;
  /** True when the paper was not in the collection yet. */
  addToCollection(collectionId: number, pk: number, now: string): Promise<boolean>;
  removeFromCollection(collectionId: number, pk: number): Promise<boolean>;
  /** Newest addition first. */
  collectionPapers(collectionId: number): Promise<{ pk: number; addedAt: string }[]>;
  /** The collections holding a paper, by name. */
  collectionsOf(pk: number): Promise<Collection[]>;
}

// ---- Keyword search (issue 3) ----

/**
 * How the text clauses combine. `auto` (what `radar search` uses): papers
 * matching every clause; when fewer than `relaxBelow` do, papers matching some
 * of them follow, the ones matching more clauses first. `all`: only papers
 * matching every clause. `any`: papers matching at least one, ranked by BM25
 * alone (classic IR retrieval, what an evaluation harness runs).
 */
export type KeywordMatch = 'auto' | 'all' | 'any';

/** BM25F field weights (a hit in the title counts `title` times a hit in the abstract). */
export interface FieldWeights {
  title: number;
  abstract: number;
  authors: number;
}

export interface KeywordSearchRequest {
  /** The parsed query (src/rank/query): text clauses, exclusions, filters. Never raw backend syntax. */
  query: ParsedQuery;
  sort: SearchSort;
  limit: number;
  offset: number;
  match?: KeywordMatch;
  /** `auto` relaxes when fewer papers than this match every clause (default 10). */
  relaxBelow?: number;
  weights?: Partial<FieldWeights>;
  /**
   * Work budget: the most papers one query ranks (default 10,000). A query
   * matching more (at a million papers: "deep learning") ranks the newest
   * `budget` matches together with the best title matches, and reports the
   * total as an estimate.
   */
  budget?: number;
}

export interface KeywordHit {
  pk: number;
  /** Relevance (BM25F; higher is better). Comparable within one result list. */
  score: number;
  /** How many of the query's text clauses the paper matches (== `clauses` unless the search was relaxed). */
  matched: number;
}

export interface KeywordPage {
  hits: KeywordHit[];
  /** Papers matching (an estimate when `totalExact` is false). */
  total: number;
  totalExact: boolean;
  /** Text clauses in the query. */
  clauses: number;
  /** Papers matching only some clauses were added (see KeywordMatch `auto`). */
  relaxed: boolean;
  /** More papers matched than the work budget: ranking considered a bounded set. */
  bounded: boolean;
}

/**
 * Keyword search over title, abstract and authors: stemming, phrases,
 * prefixes, exclusions, author/category/date filters, BM25F ranking, sorts.
 * SQLite implements it on FTS5 (sqlite/search.ts), PostgreSQL on tsvector.
 */
export interface SearchStore {
  searchKeyword(req: KeywordSearchRequest): Promise<KeywordPage>;
  /**
   * Of `pks`, the papers that pass the query's filters and exclusions (authors,
   * categories, dates, excluded words), in the given order. Text clauses are
   * ignored: this is how candidates from another retriever (dense vectors)
   * get the same filters as keyword results.
   */
  filterPapers(query: ParsedQuery, pks: number[]): Promise<number[]>;
}

export interface Store extends PaperStore, ModelStore, VectorStore, JobStore, DigestStore, ProfileStore, LibraryStore, SearchStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, for messages (file path or URL without password). */
  readonly location: string;
  close(): Promise<void>;
}
