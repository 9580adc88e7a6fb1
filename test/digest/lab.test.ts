/** The digest's "Popular in your lab" block: counts from two members' likes and saves, names only of those who opted in. */
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { renderEmail } from '../../src/digest/render-email.ts';
import { composeDigest, type RankFn } from '../../src/digest/send.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const AT = new Date('2026-03-02T12:00:00Z');
const NOW = '2026-03-01T12:00:00.000Z';
const src = (n: number) => ({ kind: 'manual' as const, locator: `t:${n}`, seenAt: NOW });
const config = validateConfig({ baseUrl: 'http://radar.test:8080', secret: 'a-test-secret-of-sufficient-length', profiles: {} }, 'test', {});
const rank: RankFn = async () => [];

async function lab(opts: { members: number }) {
  const store = new SqliteStore(join(tempDir('radar-lab-'), 'radar.db'));
  onTestFinished(() => store.close());
  const { outcomes } = await store.papers.upsertPapers(
    [
      { arxivId: '2502.00001', title: 'Liked by both', source: src(1) },
      { arxivId: '2502.00002', title: 'Saved by Bob', source: src(2) },
      { arxivId: '2502.00003', title: 'Liked long ago', source: src(3) },
    ],
    NOW,
  );
  const [p1, p2, p3] = outcomes.map((o) => o.pk);
  const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, NOW);
  const asAda = store.forOwner(ada.userId);
  const adaMl = await asAda.profiles.createProfile('ml', {}, NOW);
  await asAda.profiles.addFeedback(adaMl.profileId, p1, 'like', NOW);
  await asAda.profiles.addFeedback(adaMl.profileId, p3, 'like', '2026-01-01T00:00:00.000Z');
  if (opts.members > 1) {
    const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, NOW);
    const asBob = store.forOwner(bob.userId);
    const bobMl = await asBob.profiles.createProfile('ml', {}, NOW);
    await asBob.profiles.addFeedback(bobMl.profileId, p1, 'like', NOW);
    await asBob.profiles.addFeedback(bobMl.profileId, p2, 'save', NOW);
    await store.accounts.setShowInLab(bob.userId, true);
  }
  return composeDigest({ store, config, rank }, 'ml', { from: '2026-02-23', to: '2026-03-01' }, AT, 'email', { limit: 10 });
}

it('lists what members liked and saved in the last 14 days, with counts, naming only members who chose to be', async () => {
  const d = await lab({ members: 2 });
  expect(d.lab?.days).toBe(14);
  expect(d.lab?.papers.map((p) => [p.title, p.likes, p.saves, p.members, p.names])).toEqual([
    ['Liked by both', 2, 0, 2, ['bob']],
    ['Saved by Bob', 0, 1, 1, ['bob']],
  ]);
  const mail = renderEmail(d);
  expect(mail.text).toContain('Popular in your lab');
  expect(mail.text).toMatch(/Liked by both — 2 likes · bob\n\s+https:\/\/arxiv\.org\/abs\/2502\.00001/);
  expect(mail.text).not.toMatch(/\bada\b/);
  expect(mail.text).not.toContain('Liked long ago');
  expect(mail.html).toContain('Popular in your lab');
  expect(mail.html).toContain('2 likes · bob');
  expect(mail.html).not.toContain('Liked long ago');
});

it('has no lab block on a single-user instance', async () => {
  const d = await lab({ members: 1 });
  expect(d.lab).toBeUndefined();
  expect(renderEmail(d).text).not.toContain('Popular in your lab');
});
