/** The durable job queue, small key/value state and sent-digest records (staying current). */

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
   * Records the use of a one-time link (by a hash of it) unless it was used
   * before: returns `{ first: true }` the first time, else when it was used.
   * Records past their `expiresAt` are dropped, as their links no longer work.
   */
  useLinkOnce(tokenHash: string, now: string, expiresAt: string): Promise<{ first: true } | { first: false; usedAt: string }>;
  /** Forgets a use recorded by `useLinkOnce` (the action it was for failed). */
  forgetLinkUse(tokenHash: string): Promise<void>;
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
