/**
 * Runs jobs from the durable queue. A worker claims one due job at a time,
 * keeps its lease alive with heartbeats while the handler runs, and records the
 * outcome: done with its result, or failed with the error and a retry time
 * (exponential back-off, or later when the error carries the time an upstream
 * asked for) until the job's attempts run out, after which it stays
 * `failed` in the table for `radar jobs` to show. Nothing is dropped silently.
 *
 * If a heartbeat finds the lease gone (the process stalled past its lease and
 * another worker took the job over), the handler's signal is aborted so it
 * stops at its next check instead of racing the new owner.
 */
import { hostname } from 'node:os';
import type { Job, JobStore } from '../store/types.ts';

export interface JobContext {
  signal: AbortSignal;
  log: (line: string) => void;
  now: () => Date;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<unknown>;

/**
 * How long the failure itself asks to wait before a retry, if it says: an
 * upstream's `Retry-After` longer than the HTTP client sleeps through
 * (HttpError.retryAfterMs, src/ingest/http/client.ts), also when wrapped as
 * another error's `cause`. Read by shape, so the queue does not depend on the
 * HTTP client.
 */
export function requestedRetryDelayMs(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const ms = (e as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms;
  }
  return undefined;
}

/** Thrown by a handler when retrying cannot help (a profile that does not exist, a bad request). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface WorkerOptions {
  store: JobStore;
  handlers: Record<string, JobHandler>;
  /** Unique per process; defaults to host:pid:random. */
  id?: string;
  leaseMs?: number;
  pollMs?: number;
  retryBaseMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

export class Worker {
  readonly id: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly retryBaseMs: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.id ?? defaultWorkerId();
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.pollMs = opts.pollMs ?? 5000;
    this.retryBaseMs = opts.retryBaseMs ?? 60_000;
    this.now = opts.now ?? (() => new Date());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.log = opts.log ?? (() => {});
  }

  /** Claims and runs one due job; undefined when none is due. */
  async runOnce(): Promise<Job | undefined> {
    const { store, handlers } = this.opts;
    const job = await store.claimJob({ worker: this.id, now: this.now().toISOString(), leaseMs: this.leaseMs, kinds: Object.keys(handlers) });
    if (!job) return undefined;
    const handler = handlers[job.kind];
    const controller = new AbortController();
    const beat = setInterval(() => {
      void store.heartbeatJob(job.id, this.id, this.now().toISOString(), this.leaseMs).then(
        (held) => {
          if (!held) controller.abort(new Error(`lost the lease on job ${job.id}`));
        },
        () => {},
      );
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    const label = `job ${job.id} ${job.key}`;
    this.log(`${label}: started (attempt ${job.attempts}/${job.maxAttempts}) on ${this.id}`);
    try {
      const result = await handler(job, { signal: controller.signal, log: (l) => this.log(`${label}: ${l}`), now: this.now });
      clearInterval(beat);
      const ok = await store.finishJob(job.id, this.id, this.now().toISOString(), { ok: true, result });
      this.log(ok ? `${label}: done` : `${label}: finished, but its lease had passed to another worker; result not recorded`);
    } catch (err) {
      clearInterval(beat);
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentJobError;
      const retryAt = !permanent && job.attempts < job.maxAttempts ? this.retryTime(job, err).toISOString() : undefined;
      await store.finishJob(job.id, this.id, this.now().toISOString(), { ok: false, error: message, retryAt });
      this.log(
        retryAt
          ? `${label}: failed (attempt ${job.attempts}/${job.maxAttempts}): ${message}; retrying at ${retryAt}`
          : `${label}: FAILED for good after ${job.attempts} attempt(s): ${message}`,
      );
    }
    return (await store.getJob(job.id)) ?? job;
  }

  /** Exponential back-off with jitter, but never before the time the failure asked for (a server's Retry-After). */
  private retryTime(job: Job, err: unknown): Date {
    const now = this.now().getTime();
    const backoff = this.retryBaseMs * 2 ** (job.attempts - 1) * (0.75 + Math.random() * 0.5);
    return new Date(now + Math.max(backoff, requestedRetryDelayMs(err) ?? 0));
  }

  /** Runs jobs until none is due; returns how many ran. */
  async runUntilIdle(limit = Infinity): Promise<number> {
    let n = 0;
    while (n < limit && !this.stopping && (await this.runOnce())) n++;
    return n;
  }

  /** Polls in the background until `stop()`. `beforePoll` runs first each round (the scheduler's tick). */
  start(beforePoll?: () => Promise<unknown>): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          await beforePoll?.();
          await this.runUntilIdle();
        } catch (err) {
          this.log(`worker ${this.id}: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (this.stopping) break;
        await Promise.race([this.sleep(this.pollMs), new Promise<void>((r) => (this.wake = r))]);
      }
    })();
  }

  /** Skips the rest of the current poll interval (a test that just advanced the clock). */
  poke(): void {
    this.wake?.();
  }

  /** Stops polling and waits for the job in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }
}
