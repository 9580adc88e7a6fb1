import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Scheduler, type Schedule } from '../../src/jobs/scheduler.ts';
import { PermanentJobError, Worker } from '../../src/jobs/worker.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

function clock(iso: string) {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    set: (s: string) => (t = Date.parse(s)),
    advance: (ms: number) => (t += ms),
  };
}

const digests: Schedule = { name: 'digests', schedule: '0 7 * * *', task: { type: 'digests' }, maxAttempts: 3 };
const hf: Schedule = { name: 'hf', schedule: '0 */6 * * *', task: { type: 'fetch', source: 'hf', categories: [], days: 2 }, maxAttempts: 3 };

describe('scheduler', () => {
  it('turns each due cron slot (in the configured zone) into one job, shared across processes', async () => {
    const dir = tempDir();
    const c = clock('2025-03-03T10:00:00Z'); // 05:00 in New York
    const a = new SqliteStore(join(dir, 'r.db'));
    const b = new SqliteStore(join(dir, 'r.db'));
    try {
      const s1 = new Scheduler(a.jobs, [digests, hf], { timezone: 'America/New_York', now: c.now });
      const s2 = new Scheduler(b.jobs, [digests, hf], { timezone: 'America/New_York', now: c.now });
      expect(await s1.tick()).toEqual([]);
      c.set('2025-03-03T12:30:00Z');
      const created = [...(await s1.tick()), ...(await s2.tick())];
      expect(created.map((j) => j.key).sort()).toEqual(['digests@2025-03-03T12:00:00.000Z', 'hf@2025-03-03T11:00:00.000Z']);
      expect(created.find((j) => j.kind === 'fetch')?.lane).toBe('hf');
      expect(await s1.tick()).toEqual([]);
      // Three days off: one catch-up run per schedule, not one per missed slot.
      c.set('2025-03-06T13:00:00Z');
      const later = await s2.tick();
      expect(later.map((j) => j.key).sort()).toEqual(['digests@2025-03-06T12:00:00.000Z', 'hf@2025-03-06T11:00:00.000Z']);
      expect(later.find((j) => j.kind === 'digests')?.payload).toMatchObject({ slot: '2025-03-06T12:00:00.000Z', schedule: 'digests' });
      expect((await a.jobs.listJobs({ limit: 100 })).length).toBe(4);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('worker', () => {
  it('runs due jobs, retries failures with back-off and keeps the final failure visible', async () => {
    const dir = tempDir();
    const c = clock('2025-03-03T12:00:00Z');
    const store = new SqliteStore(join(dir, 'r.db'));
    try {
      const runs: string[] = [];
      const lines: string[] = [];
      let flaky = 0;
      const w = new Worker({
        store: store.jobs,
        now: c.now,
        retryBaseMs: 60_000,
        log: (l) => lines.push(l),
        handlers: {
          ok: async (job) => {
            runs.push(job.key);
            return { n: 1 };
          },
          flaky: async () => {
            flaky++;
            throw new Error('upstream 503');
          },
          bad: async () => {
            throw new PermanentJobError('profile "nobody" does not exist');
          },
        },
      });
      const base = { payload: {}, runAt: c.now().toISOString(), maxAttempts: 2 };
      await store.jobs.enqueueJob({ ...base, kind: 'ok', key: 'ok-1' }, base.runAt);
      await store.jobs.enqueueJob({ ...base, kind: 'flaky', key: 'flaky-1' }, base.runAt);
      await store.jobs.enqueueJob({ ...base, kind: 'bad', key: 'bad-1' }, base.runAt);
      await store.jobs.enqueueJob({ ...base, kind: 'unknown', key: 'other-worker' }, base.runAt);
      expect(await w.runUntilIdle()).toBe(3);
      expect(runs).toEqual(['ok-1']);
      expect(flaky).toBe(1);
      const jobs = Object.fromEntries((await store.jobs.listJobs({})).map((j) => [j.key, j]));
      expect(jobs['ok-1']).toMatchObject({ state: 'done', result: { n: 1 } });
      expect(jobs['flaky-1']).toMatchObject({ state: 'queued', lastError: 'upstream 503' });
      expect(Date.parse(jobs['flaky-1'].runAt) - c.now().getTime()).toBeGreaterThanOrEqual(45_000);
      expect(jobs['bad-1']).toMatchObject({ state: 'failed', attempts: 1 });
      expect(jobs['other-worker'].state).toBe('queued'); // no handler here: left for a worker that has one
      c.advance(10 * 60_000);
      expect(await w.runUntilIdle()).toBe(1);
      expect(flaky).toBe(2);
      expect((await store.jobs.listJobs({ states: ['failed'] })).map((j) => j.key).sort()).toEqual(['bad-1', 'flaky-1']);
      expect(lines.join('\n')).toMatch(/flaky-1: FAILED for good after 2 attempt\(s\): upstream 503/);
    } finally {
      await store.close();
    }
  });

  it('aborts a handler whose lease was taken over by another worker', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'r.db'));
    try {
      let t = Date.parse('2025-03-03T12:00:00Z');
      const now = () => new Date(t);
      let sawAbort = false;
      const w = new Worker({
        store: store.jobs,
        now,
        leaseMs: 60,
        handlers: {
          long: async (_job, ctx) => {
            // Time jumps past the lease and another worker takes the job over.
            t += 120;
            const other = await store.jobs.claimJob({ worker: 'other', now: now().toISOString(), leaseMs: 60_000 });
            expect(other?.key).toBe('long-1');
            for (let i = 0; i < 100 && !ctx.signal.aborted; i++) await new Promise((r) => setTimeout(r, 10));
            sawAbort = ctx.signal.aborted;
          },
        },
      });
      await store.jobs.enqueueJob({ kind: 'long', key: 'long-1', payload: {}, runAt: now().toISOString(), maxAttempts: 3 }, now().toISOString());
      await w.runOnce();
      expect(sawAbort).toBe(true);
      const j = await store.jobs.getJob(1);
      expect(j).toMatchObject({ state: 'running', lockedBy: 'other' });
    } finally {
      await store.close();
    }
  });
});

describe('job runtime', () => {
  it('names configured tasks a handler table lacks, and runs scheduled tasks through the handlers', async () => {
    const { validateConfig } = await import('../../src/config/load.ts');
    const { JobRuntime } = await import('../../src/jobs/runtime.ts');
    const { missingHandlers } = await import('../../src/jobs/handlers.ts');
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'r.db'));
    try {
      const config = validateConfig(
        { worker: { tickMs: 10 }, jobs: [{ name: 'indexes', schedule: '*/20 * * * *', task: { type: 'refresh-indexes' } }] },
        'test',
        {},
      );
      expect(missingHandlers(config, {})).toEqual(['jobs.indexes: task type "refresh-indexes" has no handler in this build']);
      const c = clock('2025-03-03T12:05:00Z');
      const refreshed: string[] = [];
      const rt = new JobRuntime({ store, config, now: c.now, refreshIndexes: async () => void refreshed.push(c.now().toISOString()) });
      expect(await rt.runOnce()).toBe(0); // first sight of the schedule: starts from now
      c.set('2025-03-03T12:41:00Z');
      expect(await rt.runOnce()).toBe(1);
      expect(refreshed).toEqual(['2025-03-03T12:41:00.000Z']);
      expect((await store.jobs.listJobs({}))[0]).toMatchObject({ key: 'indexes@2025-03-03T12:40:00.000Z', state: 'done', lane: 'indexes' });
      await rt.stop();
    } finally {
      await store.close();
    }
  });

  it('refreshes the search indexes with the real index maintenance by default', async () => {
    const { validateConfig } = await import('../../src/config/load.ts');
    const { JobRuntime } = await import('../../src/jobs/runtime.ts');
    const { parseArxivRss } = await import('../../src/ingest/http/arxiv-rss.ts');
    const { fixture } = await import('../ingest/http/replay-server.ts');
    const store = new SqliteStore(join(tempDir(), 'r.db'));
    try {
      const t = '2025-03-04T12:00:00.000Z';
      await store.papers.upsertPapers(parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: t }).records, t);
      const config = validateConfig({ jobs: [{ name: 'indexes', schedule: '*/20 * * * *', task: { type: 'refresh-indexes' } }] }, 'test', {});
      const rt = new JobRuntime({ store, config, now: () => new Date(t) });
      await store.jobs.enqueueJob({ kind: 'refresh-indexes', key: 'indexes@now', payload: { task: { type: 'refresh-indexes' }, slot: t, schedule: 'indexes' }, runAt: t, maxAttempts: 1 }, t);
      expect(await rt.worker.runUntilIdle()).toBe(1);
      const job = (await store.jobs.listJobs({}))[0];
      expect(job.state).toBe('done');
      expect(job.result).toMatchObject({ sparse: { updated: 8 } });
      await rt.stop();
    } finally {
      await store.close();
    }
  });
});
