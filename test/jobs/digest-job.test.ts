/**
 * The digests job and the HTTP fetch jobs as the worker runs them (JobRuntime,
 * real store, real feed ranking, a real SMTP server and a loopback upstream):
 * one profile's failure does not hold back the others, a retry sends only
 * what is missing, and a server's long Retry-After sets the job's next attempt.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { parseArxivRss } from '../../src/ingest/http/arxiv-rss.ts';
import { JobRuntime } from '../../src/jobs/runtime.ts';
import { jobForSlot } from '../../src/jobs/scheduler.ts';
import { importFilesForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { smtpCapture } from '../digest/smtp-capture.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';

const WEDNESDAY_7AM_NY = '2025-03-05T12:00:00.000Z';
const DIGESTS = { name: 'digests', schedule: '0 7 * * *', task: { type: 'digests' as const }, maxAttempts: 3 };

async function digestSetup(profiles: string[]) {
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  const smtp = await smtpCapture();
  const now = new Date(WEDNESDAY_7AM_NY);
  await store.papers.upsertPapers(parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: now.toISOString() }).records, now.toISOString());
  // Real profiles with a cut-off below every paper, so each digest has papers; "ghost" is configured but never created.
  await createProfile({ store, now, importFiles: importFilesForProfile }, 'ada', { paperIds: ['arxiv:2503.01001'] }, { cutoff: -100 });
  await createProfile({ store, now, importFiles: importFilesForProfile }, 'bob', { paperIds: ['arxiv:2503.01002'] }, { cutoff: -100 });
  const config = validateConfig(
    {
      secret: 'digest-job-secret-long-enough',
      smtp: { url: smtp.url, from: 'Paper Radar <radar@lab.example>' },
      worker: { retryBaseMs: 10 },
      profiles: Object.fromEntries(profiles.map((p) => [p, { digest: { limit: 3, email: { to: [`${p}@lab.example`] } } }])),
    },
    'test',
    {},
  );
  let t = now.getTime();
  const logs: string[] = [];
  const runtime = new JobRuntime({ store, config, now: () => new Date(t), log: (l) => logs.push(l), workerId: 'test-worker' });
  await store.jobs.enqueueJob(jobForSlot(DIGESTS, WEDNESDAY_7AM_NY), WEDNESDAY_7AM_NY);
  return {
    store,
    smtp,
    runtime,
    logs,
    advance: (ms: number) => (t += ms),
    job: async () => (await store.jobs.listJobs({ kind: 'digests' }))[0],
    close: async () => {
      await runtime.stop();
      await store.close();
    },
  };
}

describe('the digests job', () => {
  it("sends the other profiles' digests when one profile is missing from the database, names it at start-up and fails for good", async () => {
    const t = await digestSetup(['ghost', 'ada', 'bob']);
    try {
      expect(await t.runtime.runOnce()).toBe(1);
      expect(t.logs.join('\n')).toMatch(/configuration warning: profiles\.ghost\.digest: there is no profile named "ghost" in the database/);
      expect(t.smtp.messages.map((m) => m.envelope.to[0]).sort()).toEqual(['ada@lab.example', 'bob@lab.example']);
      const job = await t.job();
      // Retrying cannot create the profile: failed at once, with what failed and what went out.
      expect(job).toMatchObject({ state: 'failed', attempts: 1 });
      expect(job.lastError).toMatch(/^digests failed \(retrying cannot help\): ghost\/email: no profile named "ghost" — the others: ada\/email sent, bob\/email sent$/);
    } finally {
      await t.close();
    }
  });

  it('retries only the digest that failed: the ones that went out are not sent again', async () => {
    const t = await digestSetup(['ada', 'bob']);
    try {
      t.smtp.failNext(1); // ada's message is refused with a 451
      await t.runtime.runOnce();
      expect(t.smtp.messages.map((m) => m.envelope.to[0])).toEqual(['bob@lab.example']);
      const first = await t.job();
      expect(first).toMatchObject({ state: 'queued', attempts: 1 });
      expect(first.lastError).toMatch(/^digest delivery failed, will retry: ada\/email: SMTP: .*451.* — the others: bob\/email sent$/);
      t.advance(60_000);
      await t.runtime.runOnce();
      expect(t.smtp.messages.map((m) => m.envelope.to[0])).toEqual(['bob@lab.example', 'ada@lab.example']);
      const second = await t.job();
      expect(second).toMatchObject({ state: 'done', attempts: 2 });
      expect((second.result as { outcomes: { profile: string; status: string }[] }).outcomes.map((o) => [o.profile, o.status])).toEqual([
        ['ada', 'sent'],
        ['bob', 'already-sent'],
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('a fetch job told to come back later', () => {
  it("is retried no earlier than the server's Retry-After, not after the worker's own back-off", async () => {
    const upstream = await replayServer();
    upstream.on('/api/daily_papers', { status: 503, headers: { 'retry-after': '1800' }, body: 'down for maintenance' });
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    const config = validateConfig(
      {
        http: { contact: 'test@example.org', minIntervalMs: 1, maxRetries: 3, baseBackoffMs: 1, maxBackoffMs: 2 },
        sources: { huggingFace: upstream.url },
        worker: { retryBaseMs: 10 },
      },
      'test',
      {},
    );
    const now = new Date('2025-03-05T11:00:00Z');
    const runtime = new JobRuntime({ store, config, now: () => now });
    try {
      const hf = { name: 'hf', schedule: '0 6 * * *', task: { type: 'fetch' as const, source: 'hf' as const, categories: [], days: 1 }, maxAttempts: 5 };
      await store.jobs.enqueueJob(jobForSlot(hf, now.toISOString()), now.toISOString());
      await runtime.runOnce();
      expect(upstream.requestsTo('/api/daily_papers')).toHaveLength(1); // the client did not sleep half an hour, nor hammer
      const job = (await store.jobs.listJobs({ kind: 'fetch' }))[0];
      expect(job.state).toBe('queued');
      expect(job.lastError).toMatch(/503 .*retry after 1800 s/);
      expect(Date.parse(job.runAt) - now.getTime()).toBe(1_800_000);
    } finally {
      await runtime.stop();
      await store.close();
    }
  });
});
