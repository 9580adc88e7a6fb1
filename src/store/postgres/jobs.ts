/**
 * PostgreSQL side of the job queue, small state and enrichment bookkeeping
 * (JobStore in ../types.ts), with the behaviour of ../sqlite/jobs.ts;
 * sent-digest records are in digests.ts.
 *
 * Exactly-once claiming across processes: a claimer picks the oldest due job
 * with `FOR UPDATE SKIP LOCKED`, so concurrent claimers lock different rows
 * instead of waiting for each other. A job in a lane also needs that lane's
 * advisory lock (tried, not awaited) and a re-check, after taking it, that no
 * other job of the lane is running: two claimers can then never start two
 * jobs of one lane, even when each picked a different row.
 */
import type { Pool, PoolClient } from 'pg';
import { rowToJob as toJob, type JobRow as StoredJobRow } from '../rows.ts';
import type { Job, JobOutcome, JobState, JobStore, NewJob } from '../types.ts';
import { LANE_NAMESPACE, one, rows, storable, tx } from './db.ts';

/** jsonb columns arrive parsed. */
type JobRow = StoredJobRow<unknown>;
const rowToJob = (r: JobRow): Job => toJob(r, (v) => v);

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A JSON value as a jsonb parameter; `undefined` is stored as SQL NULL (as SQLite stores it). */
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(storable(v)));

export class PgJobs implements JobStore {
  constructor(private readonly pool: Pool) {}

  async enqueueJob(job: NewJob, now: string): Promise<{ job: Job; created: boolean }> {
    const inserted = await one<JobRow>(
      this.pool,
      `INSERT INTO jobs (kind, key, lane, payload, state, run_at, attempts, max_attempts, created_at)
       VALUES ($1, $2, $3, $4::jsonb, 'queued', $5, 0, $6, $7) ON CONFLICT (key) DO NOTHING RETURNING *`,
      [job.kind, job.key, job.lane ?? null, json(job.payload), job.runAt, job.maxAttempts, now],
    );
    if (inserted) return { job: rowToJob(inserted), created: true };
    // Another enqueue of the key won (ON CONFLICT waited for it to commit), so this read sees it.
    const existing = await one<JobRow>(this.pool, 'SELECT * FROM jobs WHERE key = $1', [job.key]);
    return { job: rowToJob(existing!), created: false };
  }

  async claimJob(opts: { worker: string; now: string; leaseMs: number; kinds?: string[] }): Promise<Job | undefined> {
    const { worker, now, leaseMs, kinds } = opts;
    return tx(this.pool, async (c) => {
      const skip: number[] = [];
      for (;;) {
        let row = await one<JobRow>(
          c,
          `SELECT * FROM jobs j
            WHERE ((j.state = 'queued' AND j.run_at <= $1) OR (j.state = 'running' AND j.lease_until < $1))
              AND ($2::text[] IS NULL OR j.kind = ANY($2::text[]))
              AND j.id <> ALL($3::int[])
              AND (j.lane IS NULL OR NOT EXISTS (
                    SELECT 1 FROM jobs o WHERE o.lane = j.lane AND o.id <> j.id AND o.state = 'running' AND o.lease_until >= $1))
            ORDER BY j.run_at, j.id LIMIT 1
            FOR UPDATE OF j SKIP LOCKED`,
          [now, kinds?.length ? kinds : null, skip],
        );
        if (!row) return undefined;
        if (row.lane) {
          const first = await this.takeLane(c, row, now, kinds);
          if (!first) {
            skip.push(row.id);
            continue;
          }
          row = first;
        }
        if (row.state === 'running' && row.attempts >= row.max_attempts) {
          // Its worker died on the last allowed attempt: report, do not run it again.
          await c.query(
            `UPDATE jobs SET state = 'failed', finished_at = $1, locked_by = NULL, lease_until = NULL, last_error = $2 WHERE id = $3`,
            [now, `worker ${row.locked_by} stopped without finishing (lease expired ${row.lease_until}); no attempts left`, row.id],
          );
          skip.push(row.id);
          continue;
        }
        const note =
          row.state === 'running' ? `worker ${row.locked_by} stopped without finishing (lease expired ${row.lease_until})` : row.last_error;
        const claimed = await one<JobRow>(
          c,
          `UPDATE jobs SET state = 'running', locked_by = $1, lease_until = $2, attempts = attempts + 1, started_at = $3, last_error = $4
           WHERE id = $5 RETURNING *`,
          [worker, plus(now, leaseMs), now, note ?? null, row.id],
        );
        return rowToJob(claimed!);
      }
    });
  }

  /**
   * Takes the lane's advisory lock for the rest of this transaction, then
   * looks again (READ COMMITTED: these statements see claims committed
   * meanwhile): undefined when a job of the lane is running, else the lane's
   * oldest due job, locked — which may be older than `row`, when another
   * claimer had that one locked a moment ago; a lane runs its jobs in order.
   */
  private async takeLane(c: PoolClient, row: JobRow, now: string, kinds: string[] | undefined): Promise<JobRow | undefined> {
    const got = await one<{ ok: boolean }>(c, 'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [LANE_NAMESPACE, row.lane]);
    if (!got?.ok) return undefined;
    const busy = await one(c, `SELECT 1 FROM jobs WHERE lane = $1 AND state = 'running' AND lease_until >= $2 LIMIT 1`, [row.lane, now]);
    if (busy) return undefined;
    // Blocking FOR UPDATE: a claimer holding an older job of this lane cannot get the lane lock, so it moves on soon.
    return one<JobRow>(
      c,
      `SELECT * FROM jobs
        WHERE lane = $1 AND ((state = 'queued' AND run_at <= $2) OR (state = 'running' AND lease_until < $2))
          AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
        ORDER BY run_at, id LIMIT 1 FOR UPDATE`,
      [row.lane, now, kinds?.length ? kinds : null],
    );
  }

  async heartbeatJob(id: number, worker: string, now: string, leaseMs: number): Promise<boolean> {
    const r = await this.pool.query(`UPDATE jobs SET lease_until = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'`, [
      plus(now, leaseMs),
      id,
      worker,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async finishJob(id: number, worker: string, now: string, outcome: JobOutcome): Promise<boolean> {
    return tx(this.pool, async (c) => {
      const row = await one<JobRow>(c, `SELECT * FROM jobs WHERE id = $1 AND locked_by = $2 AND state = 'running' FOR UPDATE`, [id, worker]);
      if (!row) return false;
      if (outcome.ok) {
        await c.query(
          `UPDATE jobs SET state = 'done', finished_at = $1, locked_by = NULL, lease_until = NULL, result = $2::jsonb, last_error = NULL WHERE id = $3`,
          [now, json(outcome.result), id],
        );
      } else if (outcome.retryAt && row.attempts < row.max_attempts) {
        await c.query(`UPDATE jobs SET state = 'queued', run_at = $1, locked_by = NULL, lease_until = NULL, last_error = $2 WHERE id = $3`, [
          outcome.retryAt,
          storable(outcome.error),
          id,
        ]);
      } else {
        await c.query(`UPDATE jobs SET state = 'failed', finished_at = $1, locked_by = NULL, lease_until = NULL, last_error = $2 WHERE id = $3`, [
          now,
          storable(outcome.error),
          id,
        ]);
      }
      return true;
    });
  }

  async requeueJob(id: number, now: string): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE jobs SET state = 'queued', run_at = $1, attempts = 0, finished_at = NULL WHERE id = $2 AND state = 'failed'`,
      [now, id],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async getJob(id: number): Promise<Job | undefined> {
    const r = await one<JobRow>(this.pool, 'SELECT * FROM jobs WHERE id = $1', [id]);
    return r && rowToJob(r);
  }

  async listJobs(opts: { states?: JobState[]; kind?: string; limit?: number }): Promise<Job[]> {
    const list = await rows<JobRow>(
      this.pool,
      `SELECT * FROM jobs WHERE ($1::text[] IS NULL OR state = ANY($1::text[])) AND ($2::text IS NULL OR kind = $2)
       ORDER BY id DESC LIMIT $3`,
      [opts.states?.length ? opts.states : null, opts.kind ?? null, opts.limit ?? 50],
    );
    return list.map(rowToJob);
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of await rows<{ state: JobState; n: number }>(this.pool, 'SELECT state, count(*) AS n FROM jobs GROUP BY state')) {
      out[r.state] = r.n;
    }
    return out;
  }

  async getState(key: string): Promise<unknown | undefined> {
    const r = await one<{ value: unknown }>(this.pool, 'SELECT value FROM kv_state WHERE key = $1', [key]);
    return r ? r.value : undefined;
  }

  async putState(key: string, value: unknown, now: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO kv_state (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, JSON.stringify(storable(value) ?? null), now],
    );
  }

  async initState(key: string, value: unknown, now: string): Promise<unknown> {
    await this.pool.query('INSERT INTO kv_state (key, value, updated_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (key) DO NOTHING', [
      key,
      JSON.stringify(storable(value) ?? null),
      now,
    ]);
    return this.getState(key);
  }

  async useLinkOnce(tokenHash: string, now: string, expiresAt: string): Promise<{ first: true } | { first: false; usedAt: string }> {
    await this.pool.query('DELETE FROM used_links WHERE expires_at < $1', [now]);
    const added = await this.pool.query('INSERT INTO used_links (token_hash, used_at, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tokenHash, now, expiresAt]);
    if (added.rowCount === 1) return { first: true };
    const found = await rows<{ used_at: string }>(this.pool, 'SELECT used_at FROM used_links WHERE token_hash = $1', [tokenHash]);
    return { first: false, usedAt: found[0]?.used_at ?? now };
  }

  async forgetLinkUse(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM used_links WHERE token_hash = $1', [tokenHash]);
  }

  async incompletePapers(opts: { limit: number; triedBefore: string }): Promise<number[]> {
    // The WHERE clause repeats the partial index's predicate so the planner uses it.
    const list = await rows<{ pk: number }>(
      this.pool,
      `SELECT p.pk FROM papers p LEFT JOIN enrich_attempts e ON e.pk = p.pk
        WHERE (p.title = '' OR p.data->'abstractTruncated' = 'true')
          AND (e.at IS NULL OR e.at < $1)
        ORDER BY p.pk LIMIT $2`,
      [opts.triedBefore, opts.limit],
    );
    return list.map((r) => r.pk);
  }

  async noteEnrichAttempt(pk: number, now: string, outcome: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO enrich_attempts (pk, at, outcome) VALUES ($1, $2, $3)
       ON CONFLICT (pk) DO UPDATE SET at = excluded.at, outcome = excluded.outcome`,
      [pk, now, storable(outcome)],
    );
  }
}
