/**
 * The lab as a feed signal: a paper another member liked gets a small boost
 * and says why; with one account (or none) the feed is exactly as without it.
 */
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { openProfileDeps } from '../../src/profile/deps.ts';
import { buildFeed } from '../../src/profile/feed.ts';
import { labSignal } from '../../src/profile/lab.ts';
import { LAB_BOOST_PER_MEMBER } from '../../src/rank/lab.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FIXTURE, NOW } from '../server/helpers.ts';

const WINDOW = { from: '2025-10-01', to: '2025-10-10', limit: 100, cutoff: -Infinity, diversity: 1, now: NOW };
const at = NOW.toISOString();

async function setup() {
  const store = new SqliteStore(join(tempDir('radar-lab-feed-'), 'radar.db'), { now: () => NOW });
  onTestFinished(() => store.close());
  await store.papers.upsertPapers(FIXTURE, at);
  const own = (await store.papers.getPaper('arxiv:2510.00001'))!;
  const ml = await store.profiles.createProfile('ml', {}, at);
  await store.profiles.addProfilePapers(ml.profileId, [{ pk: own.pk, origin: 'test' }], at);
  const feed = async (s: Store) => buildFeed(await openProfileDeps(s), 'ml', WINDOW);
  return { store, feed };
}

it('adds nothing with no accounts or one, so a single-user feed is unchanged', async () => {
  const { store, feed } = await setup();
  expect((await labSignal(store, NOW)).size).toBe(0);
  const before = await feed(store);
  const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, at);
  // Ada's own like is her profile's business, not a lab signal.
  const asAda = store.forOwner(ada.userId);
  const other = await asAda.profiles.createProfile('other', {}, at);
  await asAda.profiles.addFeedback(other.profileId, (await store.papers.getPaper('arxiv:2510.00002'))!.pk, 'like', at);
  expect((await labSignal(asAda, NOW)).size).toBe(0);
  const after = await feed(asAda);
  expect(after.items.map((i) => [i.id, i.score, i.reasons])).toEqual(before.items.map((i) => [i.id, i.score, i.reasons]));
  expect(after.items.flatMap((i) => i.reasons).some((r) => r.kind === 'lab')).toBe(false);
});

it("boosts a paper another member liked by a small, explained amount, and nothing else", async () => {
  const { store, feed } = await setup();
  const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, at);
  const asAda = store.forOwner(ada.userId);
  const before = await feed(asAda);
  const liked = before.items[before.items.length - 1];
  const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, at);
  const asBob = store.forOwner(bob.userId);
  const bobs = await asBob.profiles.createProfile('bobs', {}, at);
  await asBob.profiles.addFeedback(bobs.profileId, (await store.papers.getPaper(liked.id))!.pk, 'like', at);

  const after = await feed(asAda);
  const item = after.items.find((i) => i.id === liked.id)!;
  expect(item.score).toBeCloseTo(liked.score + LAB_BOOST_PER_MEMBER, 3);
  expect(item.reasons).toContainEqual({ kind: 'lab', members: 1, text: 'liked or saved by 1 member of your lab in the last 14 days' });
  for (const i of after.items.filter((x) => x.id !== liked.id)) {
    expect(i.score).toBe(before.items.find((b) => b.id === i.id)!.score);
    expect(i.reasons.some((r) => r.kind === 'lab')).toBe(false);
  }
  // The store as opened acts for the first admin (digests, the CLI): the same signal.
  expect([...(await labSignal(store, NOW)).keys()]).toEqual([(await store.papers.getPaper(liked.id))!.pk]);
});
