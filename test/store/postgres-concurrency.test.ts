/**
 * Several processes on one database, on both backends: each test uses
 * separate store handles (their own connection pools, as separate processes
 * would have) working at the same time. On PostgreSQL these really race.
 */
import { expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { openStore } from '../../src/store/open.ts';
import type { Job, NewJob } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2026-03-01T00:00:00.000Z';

const record = (i: number, locator: string): PaperRecord => ({
  arxivId: `2503.${String(i).padStart(5, '0')}`,
  title: `Paper number ${i} on concurrent imports`,
  abstract: `Abstract of paper ${i}.`,
  authors: [`Author ${i % 7}`],
  source: { kind: 'jsonl', locator, seenAt: T0 },
});

describeEachBackend('several processes', (backend) => {
  it('two importers loading overlapping files at once store each paper once', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    // Overlapping batches, the same papers under a title-only key too (no arXiv id) in b's batches.
    const batchesA = Array.from({ length: 6 }, (_, k) => Array.from({ length: 20 }, (_, j) => record(k * 10 + j, `a:${k}:${j}`)));
    const batchesB = Array.from({ length: 6 }, (_, k) =>
      Array.from({ length: 20 }, (_, j) => {
        const { arxivId: _id, ...r } = record(k * 10 + j + 5, `b:${k}:${j}`);
        return r;
      }),
    );
    const results = await Promise.all([
      ...batchesA.map((batch) => a.papers.upsertPapers(batch, T0)),
      ...batchesB.map((batch) => b.papers.upsertPapers(batch, T0)),
    ]);
    const distinct = new Set([...batchesA, ...batchesB].flat().map((r) => r.title)).size;
    expect((await a.papers.stats()).papers).toBe(distinct);
    const added = results.reduce((n, r) => n + r.counts.added, 0);
    const merged = results.reduce((n, r) => n + r.counts.merged, 0);
    expect(added - merged).toBe(distinct);
    const titles: string[] = [];
    for await (const page of b.papers.scanPapers(50)) titles.push(...page.map((p) => p.title));
    expect(new Set(titles).size).toBe(titles.length);
    expect((await b.papers.getPaper('2503.00033'))?.title).toBe('Paper number 33 on concurrent imports');
  });

  it('hands each job to exactly one of many concurrent claimers, and runs one job per lane at a time', async () => {
    const s1 = await backend.open();
    const s2 = await backend.another(s1);
    const s3 = await backend.another(s1);
    const job = (key: string, lane?: string): NewJob => ({ kind: 'fetch', payload: { key }, key, lane, runAt: T0, maxAttempts: 3 });
    for (let i = 0; i < 24; i++) await s1.jobs.enqueueJob(job(`free-${i}`), T0);
    for (let i = 0; i < 4; i++) await s1.jobs.enqueueJob(job(`lane-${i}`, 'arxiv'), T0);
    const claimers = [s1, s2, s3].flatMap((s, k) =>
      Array.from({ length: 4 }, async (_, w) => {
        const got: Job[] = [];
        for (;;) {
          const j = await s.jobs.claimJob({ worker: `w${k}.${w}`, now: T0, leaseMs: 60_000 });
          if (!j) return got;
          got.push(j);
        }
      }),
    );
    const claimed = (await Promise.all(claimers)).flat();
    const keys = claimed.map((j) => j.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('free-'))).toHaveLength(24);
    // The lane's first job runs; the others wait until it is finished.
    expect(keys.filter((k) => k.startsWith('lane-'))).toEqual(['lane-0']);
    expect((await s2.jobs.jobCounts()).running).toBe(25);
    const lane0 = claimed.find((j) => j.key === 'lane-0')!;
    expect(await s3.jobs.finishJob(lane0.id, lane0.lockedBy!, T0, { ok: true })).toBe(true);
    const next = await Promise.all([s1, s2, s3].map((s, k) => s.jobs.claimJob({ worker: `x${k}`, now: T0, leaseMs: 60_000 })));
    expect(next.filter(Boolean).map((j) => j!.key)).toEqual(['lane-1']);
  });

  it('loses no feedback when two processes record reactions at the same time', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    const { outcomes } = await a.papers.upsertPapers(
      Array.from({ length: 20 }, (_, i) => record(i, `f:${i}`)),
      T0,
    );
    const profile = await a.profiles.createProfile('lab', {}, T0);
    await Promise.all(
      outcomes.flatMap((o, i) => [
        a.profiles.addFeedback(profile.profileId, o.pk, 'like', `2026-03-01T00:00:${String(i).padStart(2, '0')}.000Z`),
        b.profiles.addFeedback(profile.profileId, o.pk, 'seen', T0),
        b.profiles.addFeedback(profile.profileId, o.pk, 'like', `2026-03-01T00:01:${String(i).padStart(2, '0')}.000Z`),
      ]),
    );
    const fb = await b.profiles.feedback(profile.profileId);
    expect(fb.filter((f) => f.action === 'seen')).toHaveLength(20);
    const likes = fb.filter((f) => f.action === 'like');
    expect(likes).toHaveLength(20);
  });

  // In one process this races only on PostgreSQL (SQLite opens synchronously, one after another);
  // open-race.test.ts races real processes on both backends.
  it('migrates a new database once when several processes open it together', async () => {
    const location = await backend.location();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(location)));
    try {
      await stores[0].papers.upsertPapers([record(1, 'm:1')], T0);
      for (const s of stores) expect((await s.papers.stats()).papers).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
