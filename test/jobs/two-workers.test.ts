/**
 * Two real `radar worker` processes on one database (SQLite, and PostgreSQL
 * where the test run has it): every job runs
 * exactly once (no upstream request is made twice), and two different jobs
 * that would both send the same digests send each of them once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseArxivRss } from '../../src/ingest/http/arxiv-rss.ts';
import { importFilesForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { openStore } from '../../src/store/open.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { smtpCapture } from '../digest/smtp-capture.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';
import { spawnRadar } from './spawn-radar.ts';

const FETCH_JOBS = 24;

describeEachBackend('several worker processes', (backend) => {
  it('never run a job twice nor send a digest twice', async () => {
    const dir = tempDir();
    const db = await backend.location();
    const hf = await replayServer();
    // The first answer waits until the second worker has also claimed a job and asked (or 15 s passed), so both
    // processes are certainly working at once however unevenly they start on a busy machine.
    let inFlight = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
      setTimeout(r, 15_000);
    });
    hf.on('/api/daily_papers', async () => {
      if (++inFlight >= 2) open();
      await gate;
      await new Promise((r) => setTimeout(r, 50));
      inFlight--;
      return { body: '[]', headers: { 'content-type': 'application/json' } };
    });
    const smtp = await smtpCapture();
    const profiles = { p1: '2503.01001', p2: '2503.01002', p3: '2503.01003' };
    const config = join(dir, 'radar.config.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        timezone: 'America/New_York',
        secret: 'two-workers-secret-long-enough',
        http: { contact: 'test@example.org', minIntervalMs: 1, maxRetries: 0 },
        sources: { huggingFace: hf.url },
        smtp: { url: smtp.url, from: 'Paper Radar <radar@lab.example>' },
        worker: { pollMs: 50, leaseMs: 60_000 },
        profiles: Object.fromEntries(Object.keys(profiles).map((p) => [p, { digest: { limit: 3, email: { to: [`${p}@lab.example`] } } }])),
      }),
    );

    const store = await openStore(db);
    const now = new Date('2025-03-05T12:00:00Z');
    const listing = parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: now.toISOString() });
    await store.papers.upsertPapers(listing.records, now.toISOString());
    for (const [name, id] of Object.entries(profiles)) {
      // A cut-off far below every paper: each digest has papers, so each send is visible on the SMTP server.
      await createProfile({ store, now, importFiles: importFilesForProfile }, name, { paperIds: [`arxiv:${id}`] }, { cutoff: -100 });
    }
    const past = '2025-03-05T11:00:00.000Z';
    for (let i = 0; i < FETCH_JOBS; i++) {
      const day = new Date(Date.UTC(2025, 1, 1 + i, 12)).toISOString();
      await store.jobs.enqueueJob(
        { kind: 'fetch', key: `hf-${i}`, payload: { task: { type: 'fetch', source: 'hf', categories: [], days: 1 }, slot: day, schedule: 'hf' }, runAt: past, maxAttempts: 3 },
        past,
      );
    }
    // Two different jobs that both cover Wednesday's digests (a scheduled run and a manual one).
    for (const key of ['digests@scheduled', 'digests@manual']) {
      await store.jobs.enqueueJob({ kind: 'digests', key, payload: { task: { type: 'digests' }, slot: now.toISOString(), schedule: 'digests' }, runAt: past, maxAttempts: 3 }, past);
    }
    await store.close();

    const args = (id: string) => ['worker', '--once', '--no-schedule', '--config', config, '--db', db, '--id', id];
    const a = spawnRadar(args('worker-a'));
    const b = spawnRadar(args('worker-b'));
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(eb.code, b.stderr()).toBe(0);

    const started = (log: string) => [...log.matchAll(/job (\d+) \S+: started/g)].map((m) => Number(m[1]));
    const ranA = started(a.stderr());
    const ranB = started(b.stderr());
    expect(ranA.filter((id) => ranB.includes(id))).toEqual([]);
    expect([...ranA, ...ranB].sort((x, y) => x - y)).toEqual(Array.from({ length: FETCH_JOBS + 2 }, (_, i) => i + 1));
    expect(ranA.length).toBeGreaterThan(0);
    expect(ranB.length).toBeGreaterThan(0);

    const dates = hf.requestsTo('/api/daily_papers').map((r) => r.query.get('date'));
    expect(dates).toHaveLength(FETCH_JOBS);
    expect(new Set(dates).size).toBe(FETCH_JOBS);

    expect(smtp.messages.map((m) => m.envelope.to[0]).sort()).toEqual(['p1@lab.example', 'p2@lab.example', 'p3@lab.example']);
    const check = await openStore(db);
    try {
      const jobs = await check.jobs.listJobs({ limit: 100 });
      expect(jobs.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
      const statuses = jobs
        .filter((j) => j.kind === 'digests')
        .flatMap((j) => (j.result as { outcomes: { status: string }[] }).outcomes.map((o) => o.status));
      // One job sent each digest; the other found it sent (or being sent) and left it.
      expect(statuses.filter((x) => x === 'sent')).toHaveLength(3);
      expect(statuses.filter((x) => x !== 'sent').every((x) => x === 'already-sent' || x === 'unknown')).toBe(true);
      const digests = await check.digests.listDigests({});
      expect(digests.map((d) => [d.profile, d.state, d.windowFrom]).sort()).toEqual([
        ['p1', 'sent', '2025-03-04'],
        ['p2', 'sent', '2025-03-04'],
        ['p3', 'sent', '2025-03-04'],
      ]);
    } finally {
      await check.close();
    }
  }, 180_000);
});
