/**
 * Members' scheduled digests: the digests job sends every account's profiles
 * with delivery settings, each through that account's view. Two members with
 * a profile of the same name get their own digest (recipient and papers),
 * their own sent-state and their own unsubscribes, on both backends, with a
 * real SMTP server on loopback and the real feed ranking.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAction, performAction } from '../../src/app/actions.ts';
import { appContext, forActor } from '../../src/app/context.ts';
import { deliveryView } from '../../src/app/delivery.ts';
import { validateConfig } from '../../src/config/load.ts';
import { feedRanker } from '../../src/digest/rank.ts';
import { feedTokenOwner, resolveSecret, verifyFeedToken } from '../../src/digest/tokens.ts';
import { parseArxivRss } from '../../src/ingest/http/arxiv-rss.ts';
import { JobRuntime } from '../../src/jobs/runtime.ts';
import { jobForSlot } from '../../src/jobs/scheduler.ts';
import { importFilesForProfile } from '../../src/profile/import.ts';
import { createProfile, giveFeedback } from '../../src/profile/profiles.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture } from '../ingest/http/replay-server.ts';
import { linksIn, smtpCapture, type CapturedMail } from './smtp-capture.ts';

const WEDNESDAY_7AM_NY = '2025-03-05T12:00:00.000Z';
const THURSDAY_7AM_NY = '2025-03-06T12:00:00.000Z';
const DIGESTS = { name: 'digests', schedule: '0 7 * * *', task: { type: 'digests' as const }, maxAttempts: 3 };

const papersIn = (m: CapturedMail) => linksIn(String(m.parsed.html)).filter((l) => l.startsWith('https://arxiv.org/abs/')).map((l) => `arxiv:${l.slice(22)}`);
const actionLinks = (m: CapturedMail) => linksIn(String(m.parsed.html)).filter((l) => l.includes('/api/actions/'));
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function membersSendTheirOwn(store: Store) {
  const smtp = await smtpCapture();
  const now = new Date(WEDNESDAY_7AM_NY);
  const T = now.toISOString();
  await store.papers.upsertPapers(parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: T }).records, T);
  const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, T);
  const bob = store.forOwner((await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, T)).userId);
  const cy = store.forOwner((await store.accounts.createUser({ name: 'cy', passwordHash: 'h', role: 'member' }, T)).userId);
  // Both members call their profile "ml", from different papers; bob dismisses one paper.
  await createProfile({ store: bob, now, importFiles: importFilesForProfile }, 'ml', { paperIds: ['arxiv:2503.01001'] }, { cutoff: -100 });
  await createProfile({ store: cy, now, importFiles: importFilesForProfile }, 'ml', { paperIds: ['arxiv:2503.01005'] }, { cutoff: -100 });
  await giveFeedback(bob, 'ml', 'arxiv:2503.01003', 'dismiss', now);
  await bob.settings.putDelivery('ml', { email: ['bob@lab.example'], cadence: 'daily', weekday: 'mon', limit: 10 }, T);
  await cy.settings.putDelivery('ml', { email: ['cy@lab.example'], cadence: 'daily', weekday: 'mon', limit: 10 }, T);
  // The admin's "ml" is delivered as the configuration file says; the file's entry is the admin's, never a member's.
  await createProfile({ store: store.forOwner(ada.userId), now, importFiles: importFilesForProfile }, 'ml', { paperIds: ['arxiv:2503.01002'] }, { cutoff: -100 });

  const config = validateConfig(
    {
      baseUrl: 'http://radar.lab.example',
      secret: 'member-digest-secret-long-enough',
      smtp: { url: smtp.url, from: 'Paper Radar <radar@lab.example>' },
      profiles: { ml: { digest: { limit: 3, email: { to: ['ada@lab.example'] } } } },
    },
    'test',
    {},
  );
  let t = now.getTime();
  const runtime = new JobRuntime({ store, config, now: () => new Date(t), workerId: 'test-worker' });
  try {
    await store.jobs.enqueueJob(jobForSlot(DIGESTS, WEDNESDAY_7AM_NY), WEDNESDAY_7AM_NY);
    expect(await runtime.runOnce()).toBe(1);
    const job = (await store.jobs.listJobs({ kind: 'digests' }))[0];
    expect(job.state).toBe('done');
    expect((job.result as { outcomes: { account?: string; profile: string; status: string }[] }).outcomes.map((o) => [o.account, o.profile, o.status])).toEqual([
      [undefined, 'ml', 'sent'],
      ['bob', 'ml', 'sent'],
      ['cy', 'ml', 'sent'],
    ]);

    // Each to its own member, with the papers of that member's profile.
    const byRecipient = new Map(smtp.messages.map((m) => [m.envelope.to.join(','), m]));
    expect([...byRecipient.keys()].sort()).toEqual(['ada@lab.example', 'bob@lab.example', 'cy@lab.example']);
    const mailBob = byRecipient.get('bob@lab.example')!;
    const mailCy = byRecipient.get('cy@lab.example')!;
    const [record] = await bob.digests.listDigests({ profile: 'ml' });
    const window = { from: record.windowFrom, to: record.windowTo };
    const expectBob = (await feedRanker(bob)('ml', window, 10, now)).map((p) => p.id);
    const expectCy = (await feedRanker(cy)('ml', window, 10, now)).map((p) => p.id);
    expect(expectBob).not.toEqual(expectCy);
    expect(papersIn(mailBob)).toEqual(expectBob);
    expect(papersIn(mailCy)).toEqual(expectCy);
    expect(papersIn(mailBob)).not.toContain('arxiv:2503.01003');
    expect(papersIn(mailCy)).toContain('arxiv:2503.01003');
    expect(mailBob.parsed.messageId).not.toBe(mailCy.parsed.messageId);

    // Each has its own sent record for the same profile name and window, and so has the admin.
    expect((await bob.digests.listDigests({})).map((d) => [d.profile, d.state, d.windowFrom, d.windowTo])).toEqual([['ml', 'sent', window.from, window.to]]);
    expect((await cy.digests.listDigests({})).map((d) => [d.profile, d.state, d.windowFrom, d.windowTo])).toEqual([['ml', 'sent', window.from, window.to]]);
    expect((await store.digests.listDigests({})).map((d) => [d.profile, d.state, d.windowFrom, d.windowTo])).toEqual([['ml', 'sent', window.from, window.to]]);

    // The unsubscribe link in bob's mail unsubscribes bob's "ml" only.
    const ctx = appContext({ store, config, now: () => new Date(t) });
    const listUnsubscribe = mailBob.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const unsubToken = tokenOf(/<([^>]+)>/.exec(listUnsubscribe)![1]);
    await performAction(ctx, unsubToken, await verifyAction(ctx, unsubToken));
    expect(await bob.digests.isUnsubscribed('ml', 'email')).toBe(true);
    expect(await cy.digests.isUnsubscribed('ml', 'email')).toBe(false);
    expect(await store.digests.isUnsubscribed('ml', 'email')).toBe(false);

    // A like link in cy's mail likes the paper in cy's "ml", not bob's.
    const like = actionLinks(mailCy).map(tokenOf).find((tok) => JSON.parse(Buffer.from(tok.split('.')[0], 'base64url').toString()).a === 'like')!;
    const claims = await verifyAction(ctx, like);
    await performAction(ctx, like, claims);
    const cyMl = (await cy.profiles.getProfile('ml'))!;
    const bobMl = (await bob.profiles.getProfile('ml'))!;
    expect((await store.profiles.feedback(cyMl.profileId)).filter((f) => f.action === 'like').map((f) => f.pk)).toHaveLength(1);
    expect((await store.profiles.feedback(bobMl.profileId)).filter((f) => f.action === 'like')).toEqual([]);

    // The next day: cy's digest goes out, bob's does not (unsubscribed); nothing is sent twice.
    t = Date.parse(THURSDAY_7AM_NY);
    await store.jobs.enqueueJob(jobForSlot(DIGESTS, THURSDAY_7AM_NY), THURSDAY_7AM_NY);
    await runtime.runOnce();
    const second = (await store.jobs.listJobs({ kind: 'digests' })).find((j) => j.key.endsWith(THURSDAY_7AM_NY))!;
    const outcomes = (second.result as { outcomes: { account?: string; status: string; detail?: string }[] }).outcomes;
    expect(outcomes.find((o) => o.account === 'bob')).toMatchObject({ status: 'skipped', detail: 'unsubscribed' });
    expect(smtp.messages.filter((m) => m.envelope.to.includes('bob@lab.example'))).toHaveLength(1);
  } finally {
    await runtime.stop();
  }
}

describe("members' scheduled digests", () => {
  it('[sqlite] two members with a profile of the same name each get their own digest, sent-state and unsubscribe', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      await membersSendTheirOwn(store);
    } finally {
      await store.close();
    }
  });

  it("gives a member's delivery page the feed URL of that member's profile, not the admin's of the same name", async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      const now = new Date(WEDNESDAY_7AM_NY);
      await store.papers.upsertPapers(parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: now.toISOString() }).records, now.toISOString());
      await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, now.toISOString());
      const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, now.toISOString());
      await createProfile({ store, now, importFiles: importFilesForProfile }, 'ml', { paperIds: ['arxiv:2503.01001'] });
      await createProfile({ store: store.forOwner(bob.userId), now, importFiles: importFilesForProfile }, 'ml', { paperIds: ['arxiv:2503.01005'] });
      const config = validateConfig({ baseUrl: 'http://radar.lab.example', secret: 'member-digest-secret-long-enough' }, 'test', {});
      const ctx = forActor(appContext({ store, config, now: () => now }), { via: 'session', user: bob });
      const token = /\/api\/feeds\/ml\/([^.]+)\.rss$/.exec((await deliveryView(ctx, 'ml')).feeds.rss)![1];
      expect(feedTokenOwner(token)).toBe(bob.userId);
      expect(verifyFeedToken(await resolveSecret(config.secret, store.jobs, now), 'ml', token, bob.userId)).toBe(true);
    } finally {
      await store.close();
    }
  });

  const unavailable = postgresUnavailable();
  it.skipIf(!!unavailable)(`[postgres] two members with a profile of the same name each get their own digest, sent-state and unsubscribe${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const db = await createTestDatabase();
    try {
      const store = await PostgresStore.open(db.url);
      try {
        await membersSendTheirOwn(store);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});
