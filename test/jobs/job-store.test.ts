import { expect, it } from 'vitest';
import type { NewJob } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2025-03-03T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const job = (key: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind: 'fetch',
  payload: { source: key },
  key,
  runAt: T0,
  maxAttempts: 3,
  ...extra,
});

describeEachBackend('job store contract', (backend) => {
  it('enqueues a key once and hands a due job to one claimer', async () => {
    const s = await backend.open();
    const a = await s.jobs.enqueueJob(job('a'), T0);
    const again = await s.jobs.enqueueJob(job('a', { payload: { other: true } }), T0);
    expect(a.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(a.job.id);
    const c1 = await s.jobs.claimJob({ worker: 'w1', now: T0, leaseMs: 60_000 });
    const c2 = await s.jobs.claimJob({ worker: 'w2', now: T0, leaseMs: 60_000 });
    expect(c1?.key).toBe('a');
    expect(c1?.attempts).toBe(1);
    expect(c2).toBeUndefined();
  });

  it('does not hand out a job before its time, and only kinds asked for', async () => {
    const s = await backend.open();
    await s.jobs.enqueueJob(job('later', { runAt: at(60) }), T0);
    await s.jobs.enqueueJob(job('digest', { kind: 'digest' }), T0);
    expect(await s.jobs.claimJob({ worker: 'w', now: T0, leaseMs: 1000, kinds: ['fetch'] })).toBeUndefined();
    expect((await s.jobs.claimJob({ worker: 'w', now: at(61), leaseMs: 1000, kinds: ['fetch'] }))?.key).toBe('later');
  });

  it('re-runs a job whose worker lost its lease, and only its holder may finish it', async () => {
    const s = await backend.open();
    await s.jobs.enqueueJob(job('x'), T0);
    const first = (await s.jobs.claimJob({ worker: 'dead', now: T0, leaseMs: 10_000 }))!;
    expect(await s.jobs.claimJob({ worker: 'w2', now: at(5), leaseMs: 10_000 })).toBeUndefined();
    expect(await s.jobs.heartbeatJob(first.id, 'dead', at(5), 10_000)).toBe(true);
    expect(await s.jobs.claimJob({ worker: 'w2', now: at(12), leaseMs: 10_000 })).toBeUndefined();
    const second = (await s.jobs.claimJob({ worker: 'w2', now: at(16), leaseMs: 10_000 }))!;
    expect(second.id).toBe(first.id);
    expect(second.attempts).toBe(2);
    expect(second.lastError).toMatch(/dead stopped without finishing/);
    expect(await s.jobs.finishJob(first.id, 'dead', at(17), { ok: true })).toBe(false);
    expect(await s.jobs.finishJob(first.id, 'w2', at(17), { ok: true, result: { added: 3 } })).toBe(true);
    const done = await s.jobs.getJob(first.id);
    expect(done?.state).toBe('done');
    expect(done?.result).toEqual({ added: 3 });
  });

  it('retries a failed job later and keeps it as failed when attempts run out', async () => {
    const s = await backend.open();
    await s.jobs.enqueueJob(job('flaky', { maxAttempts: 2 }), T0);
    const j = (await s.jobs.claimJob({ worker: 'w', now: T0, leaseMs: 1000 }))!;
    await s.jobs.finishJob(j.id, 'w', at(1), { ok: false, error: 'HTTP 503', retryAt: at(30) });
    expect((await s.jobs.getJob(j.id))?.state).toBe('queued');
    expect(await s.jobs.claimJob({ worker: 'w', now: at(10), leaseMs: 1000 })).toBeUndefined();
    const j2 = (await s.jobs.claimJob({ worker: 'w', now: at(30), leaseMs: 1000 }))!;
    await s.jobs.finishJob(j2.id, 'w', at(31), { ok: false, error: 'HTTP 503 again', retryAt: at(90) });
    const failed = await s.jobs.getJob(j.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.lastError).toBe('HTTP 503 again');
    expect(await s.jobs.jobCounts()).toMatchObject({ failed: 1, queued: 0 });
    expect((await s.jobs.listJobs({ states: ['failed'] })).map((x) => x.key)).toEqual(['flaky']);
    expect(await s.jobs.requeueJob(j.id, at(100))).toBe(true);
    expect((await s.jobs.claimJob({ worker: 'w', now: at(100), leaseMs: 1000 }))?.attempts).toBe(1);
  });

  it('marks a job failed, not re-run, when its worker died on the last attempt', async () => {
    const s = await backend.open();
    await s.jobs.enqueueJob(job('once', { maxAttempts: 1 }), T0);
    await s.jobs.claimJob({ worker: 'dead', now: T0, leaseMs: 1000 });
    expect(await s.jobs.claimJob({ worker: 'w', now: at(5), leaseMs: 1000 })).toBeUndefined();
    const j = (await s.jobs.listJobs({}))[0];
    expect(j.state).toBe('failed');
    expect(j.lastError).toMatch(/no attempts left/);
  });

  it('runs one job per lane at a time', async () => {
    const s = await backend.open();
    await s.jobs.enqueueJob(job('oai', { lane: 'arxiv' }), T0);
    await s.jobs.enqueueJob(job('api', { lane: 'arxiv' }), T0);
    await s.jobs.enqueueJob(job('hf', { lane: 'hf' }), T0);
    const a = (await s.jobs.claimJob({ worker: 'w1', now: T0, leaseMs: 10_000 }))!;
    const b = (await s.jobs.claimJob({ worker: 'w2', now: T0, leaseMs: 10_000 }))!;
    expect([a.key, b.key]).toEqual(['oai', 'hf']);
    expect(await s.jobs.claimJob({ worker: 'w3', now: T0, leaseMs: 10_000 })).toBeUndefined();
    await s.jobs.finishJob(a.id, 'w1', at(1), { ok: true });
    expect((await s.jobs.claimJob({ worker: 'w3', now: at(1), leaseMs: 10_000 }))?.key).toBe('api');
  });

  it('keeps small state and creates shared values once', async () => {
    const s = await backend.open();
    expect(await s.jobs.getState('harvest:x')).toBeUndefined();
    await s.jobs.putState('harvest:x', { token: 't1', cursor: 100 }, T0);
    await s.jobs.putState('harvest:x', { token: 't2', cursor: 200 }, T0);
    expect(await s.jobs.getState('harvest:x')).toEqual({ token: 't2', cursor: 200 });
    expect(await s.jobs.initState('secret', 'first', T0)).toBe('first');
    expect(await s.jobs.initState('secret', 'second', T0)).toBe('first');
  });

  it('records a one-time link once, forgets it on request, and drops records of expired links', async () => {
    const s = await backend.open();
    expect(await s.jobs.useLinkOnce('h1', T0, at(3600))).toEqual({ first: true });
    expect(await s.jobs.useLinkOnce('h1', at(10), at(3600))).toEqual({ first: false, usedAt: T0 });
    await s.jobs.forgetLinkUse('h1');
    expect(await s.jobs.useLinkOnce('h1', at(20), at(3600))).toEqual({ first: true });
    // Once the link has expired its record goes (the link itself no longer verifies).
    expect(await s.jobs.useLinkOnce('h2', at(7200), at(9000))).toEqual({ first: true });
    expect(await s.jobs.useLinkOnce('h1', at(7200), at(9000))).toEqual({ first: true });
  });

  it('reserves a digest once per profile, window and channel; a failed send may be retried', async () => {
    const s = await backend.open();
    const d = { profile: 'ada', channel: 'email' as const, windowFrom: '2025-02-28', windowTo: '2025-03-02' };
    const r1 = await s.digests.reserveDigest({ ...d, by: 'w1' }, T0);
    const r2 = await s.digests.reserveDigest({ ...d, by: 'w2' }, T0);
    expect(r1.reserved).toBe(true);
    expect(r2.reserved).toBe(false);
    expect(r2.record.reservedBy).toBe('w1');
    expect((await s.digests.reserveDigest({ ...d, channel: 'webhook', by: 'w2' }, T0)).reserved).toBe(true);
    await s.digests.finishDigest(r1.record.id, { state: 'failed', error: 'ECONNREFUSED' }, at(1));
    const r3 = await s.digests.reserveDigest({ ...d, by: 'w2' }, at(2));
    expect(r3.reserved).toBe(true);
    await s.digests.finishDigest(r3.record.id, { state: 'sent', items: 10, messageId: '<m@x>' }, at(3));
    expect((await s.digests.reserveDigest({ ...d, by: 'w3' }, at(4))).reserved).toBe(false);
    const [latest] = await s.digests.listDigests({ profile: 'ada', limit: 1 });
    expect(latest.channel).toBe('webhook');
    expect((await s.digests.listDigests({ profile: 'ada' })).find((x) => x.channel === 'email')).toMatchObject({ state: 'sent', items: 10 });
  });

  it('records unsubscriptions per profile and channel', async () => {
    const s = await backend.open();
    expect(await s.digests.isUnsubscribed('ada', 'email')).toBe(false);
    await s.digests.setUnsubscribed('ada', 'email', true, T0);
    await s.digests.setUnsubscribed('ada', 'email', true, T0);
    expect(await s.digests.isUnsubscribed('ada', 'email')).toBe(true);
    expect(await s.digests.isUnsubscribed('ada', 'webhook')).toBe(false);
    await s.digests.setUnsubscribed('ada', 'email', false, T0);
    expect(await s.digests.isUnsubscribed('ada', 'email')).toBe(false);
  });

  it('lists papers missing a title or with a truncated abstract, skipping recently tried ones', async () => {
    const s = await backend.open();
    const src = { kind: 'listing' as const, locator: 'paste.txt:1', seenAt: T0 };
    const abstract =
      'We study how batch normalization and weight decay shape the geometry of last layer features in deep classifiers trained well past zero error and find strong effects on collapse.';
    const r = await s.papers.upsertPapers(
      [
        { abstract, source: src },
        { title: 'A complete paper', abstract: 'Full text of it.', source: { ...src, locator: 'paste.txt:2' } },
        { title: 'A snippet paper', abstract: 'Cut short…', abstractTruncated: true, source: { ...src, locator: 'paste.txt:3' } },
      ],
      T0,
    );
    const [untitled, , snippet] = r.outcomes.map((o) => o.pk);
    expect(await s.jobs.incompletePapers({ limit: 10, triedBefore: T0 })).toEqual([untitled, snippet]);
    await s.jobs.noteEnrichAttempt(untitled, at(10), 'no match');
    expect(await s.jobs.incompletePapers({ limit: 10, triedBefore: at(5) })).toEqual([snippet]);
    expect(await s.jobs.incompletePapers({ limit: 10, triedBefore: at(20) })).toEqual([untitled, snippet]);
  });
});
