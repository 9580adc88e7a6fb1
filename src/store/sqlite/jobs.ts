/**
 * SQLite side of the job queue, small state and enrichment bookkeeping
 * (JobStore in ../types.ts); sent-digest records are in digests.ts.
 *
 * Exactly-once claiming across processes: every claim runs in a `BEGIN
 * IMMEDIATE` transaction, which takes SQLite's single write lock before it
 * reads, so two workers can never both see a job as free. Leases make a
 * crashed worker's job claimable again once `lease_until` has passed.
 */
import type Database from 'better-sqlite3';
import { rowToJob as toJob, type JobRow as StoredJobRow } from '../rows.ts';
import type { Job, JobOutcome, JobState, JobStore, NewJob } from '../types.ts';

/** SQLite keeps JSON columns as text. */
type JobRow = StoredJobRow<string>;
const rowToJob = (r: JobRow): Job => toJob(r, (s) => JSON.parse(s));

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export class SqliteJobs implements JobStore {
  constructor(private readonly db: Database.Database) {}

  async enqueueJob(job: NewJob, now: string): Promise<{ job: Job; created: boolean }> {
    return this.db
      .transaction(() => {
        const info = this.db
          .prepare(
            `INSERT INTO jobs(kind, key, lane, payload, state, run_at, attempts, max_attempts, created_at)
             VALUES (?, ?, ?, ?, 'queued', ?, 0, ?, ?) ON CONFLICT(key) DO NOTHING`,
          )
          .run(job.kind, job.key, job.lane ?? null, JSON.stringify(job.payload), job.runAt, job.maxAttempts, now);
        const row = this.db.prepare('SELECT * FROM jobs WHERE key = ?').get(job.key) as JobRow;
        return { job: rowToJob(row), created: info.changes > 0 };
      })
      .immediate();
  }

  async claimJob(opts: { worker: string; now: string; leaseMs: number; kinds?: string[] }): Promise<Job | undefined> {
    const { worker, now, leaseMs, kinds } = opts;
    const kindFilter = kinds?.length ? `AND j.kind IN (${kinds.map(() => '?').join(',')})` : '';
    const select = this.db.prepare(
      `SELECT * FROM jobs j
        WHERE ((j.state = 'queued' AND j.run_at <= ?) OR (j.state = 'running' AND j.lease_until < ?))
          ${kindFilter}
          AND (j.lane IS NULL OR NOT EXISTS (
                SELECT 1 FROM jobs o WHERE o.lane = j.lane AND o.id <> j.id AND o.state = 'running' AND o.lease_until >= ?))
        ORDER BY j.run_at, j.id LIMIT 1`,
    );
    return this.db
      .transaction((): Job | undefined => {
        for (;;) {
          const row = select.get(now, now, ...(kinds ?? []), now) as JobRow | undefined;
          if (!row) return undefined;
          if (row.state === 'running' && row.attempts >= row.max_attempts) {
            // Its worker died on the last allowed attempt: report, do not run a fifth time.
            this.db
              .prepare(`UPDATE jobs SET state = 'failed', finished_at = ?, locked_by = NULL, lease_until = NULL, last_error = ? WHERE id = ?`)
              .run(now, `worker ${row.locked_by} stopped without finishing (lease expired ${row.lease_until}); no attempts left`, row.id);
            continue;
          }
          const note =
            row.state === 'running' ? `worker ${row.locked_by} stopped without finishing (lease expired ${row.lease_until})` : row.last_error;
          this.db
            .prepare(
              `UPDATE jobs SET state = 'running', locked_by = ?, lease_until = ?, attempts = attempts + 1,
                 started_at = ?, last_error = ? WHERE id = ?`,
            )
            .run(worker, plus(now, leaseMs), now, note ?? null, row.id);
          return rowToJob(this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(row.id) as JobRow);
        }
      })
      .immediate();
  }

  async heartbeatJob(id: number, worker: string, now: string, leaseMs: number): Promise<boolean> {
    const info = this.db
      .prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND locked_by = ? AND state = 'running'`)
      .run(plus(now, leaseMs), id, worker);
    return info.changes > 0;
  }

  async finishJob(id: number, worker: string, now: string, outcome: JobOutcome): Promise<boolean> {
    return this.db
      .transaction(() => {
        const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ? AND locked_by = ? AND state = 'running'`).get(id, worker) as
          | JobRow
          | undefined;
        if (!row) return false;
        if (outcome.ok) {
          this.db
            .prepare(
              `UPDATE jobs SET state = 'done', finished_at = ?, locked_by = NULL, lease_until = NULL, result = ?, last_error = NULL WHERE id = ?`,
            )
            .run(now, outcome.result === undefined ? null : JSON.stringify(outcome.result), id);
        } else if (outcome.retryAt && row.attempts < row.max_attempts) {
          this.db
            .prepare(`UPDATE jobs SET state = 'queued', run_at = ?, locked_by = NULL, lease_until = NULL, last_error = ? WHERE id = ?`)
            .run(outcome.retryAt, outcome.error, id);
        } else {
          this.db
            .prepare(`UPDATE jobs SET state = 'failed', finished_at = ?, locked_by = NULL, lease_until = NULL, last_error = ? WHERE id = ?`)
            .run(now, outcome.error, id);
        }
        return true;
      })
      .immediate();
  }

  async requeueJob(id: number, now: string): Promise<boolean> {
    const info = this.db
      .prepare(`UPDATE jobs SET state = 'queued', run_at = ?, attempts = 0, finished_at = NULL WHERE id = ? AND state = 'failed'`)
      .run(now, id);
    return info.changes > 0;
  }

  async getJob(id: number): Promise<Job | undefined> {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row && rowToJob(row);
  }

  async listJobs(opts: { states?: JobState[]; kind?: string; limit?: number }): Promise<Job[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.states?.length) {
      where.push(`state IN (${opts.states.map(() => '?').join(',')})`);
      args.push(...opts.states);
    }
    if (opts.kind) {
      where.push('kind = ?');
      args.push(opts.kind);
    }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, opts.limit ?? 50) as JobRow[]).map(rowToJob);
  }

  async jobCounts(): Promise<Record<JobState, number>> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) {
      out[r.state] = r.n;
    }
    return out;
  }

  async getState(key: string): Promise<unknown | undefined> {
    const row = this.db.prepare('SELECT value FROM kv_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  }

  async putState(key: string, value: unknown, now: string): Promise<void> {
    this.db
      .prepare('INSERT INTO kv_state(key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(key, JSON.stringify(value), now);
  }

  async initState(key: string, value: unknown, now: string): Promise<unknown> {
    this.db.prepare('INSERT INTO kv_state(key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING').run(key, JSON.stringify(value), now);
    return this.getState(key);
  }

  async useLinkOnce(tokenHash: string, now: string, expiresAt: string): Promise<{ first: true } | { first: false; usedAt: string }> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM used_links WHERE expires_at < ?').run(now);
      const added = this.db.prepare('INSERT INTO used_links(token_hash, used_at, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(tokenHash, now, expiresAt);
      if (added.changes === 1) return { first: true as const };
      const row = this.db.prepare('SELECT used_at FROM used_links WHERE token_hash = ?').get(tokenHash) as { used_at: string };
      return { first: false as const, usedAt: row.used_at };
    })();
  }

  async forgetLinkUse(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM used_links WHERE token_hash = ?').run(tokenHash);
  }

  async incompletePapers(opts: { limit: number; triedBefore: string }): Promise<number[]> {
    // The WHERE clause repeats the partial index's expression so the planner uses it.
    const rows = this.db
      .prepare(
        `SELECT p.pk FROM papers p LEFT JOIN enrich_attempts e ON e.pk = p.pk
          WHERE (p.title = '' OR json_extract(p.data, '$.abstractTruncated') = 1)
            AND (e.at IS NULL OR e.at < ?)
          ORDER BY p.pk LIMIT ?`,
      )
      .all(opts.triedBefore, opts.limit) as { pk: number }[];
    return rows.map((r) => r.pk);
  }

  async noteEnrichAttempt(pk: number, now: string, outcome: string): Promise<void> {
    this.db
      .prepare('INSERT INTO enrich_attempts(pk, at, outcome) VALUES (?, ?, ?) ON CONFLICT(pk) DO UPDATE SET at = excluded.at, outcome = excluded.outcome')
      .run(pk, now, outcome);
  }
}
