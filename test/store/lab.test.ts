import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const OLD = '2026-02-01T12:00:00.000Z';
const NOW = '2026-03-01T12:00:00.000Z';
const LATER = '2026-03-02T12:00:00.000Z';
const SINCE = '2026-02-15T12:00:00.000Z';
const src = (n: number) => ({ kind: 'manual' as const, locator: `t:${n}`, seenAt: NOW });

describeEachBackend('lab activity', (backend) => {
  it("gives each member's latest like and save per paper since a time, across profiles and collections", async () => {
    const store = await backend.open();
    const { outcomes } = await store.papers.upsertPapers(
      [1, 2, 3].map((n) => ({ arxivId: `2501.0000${n}`, title: `Paper ${n}`, source: src(n) })),
      NOW,
    );
    const [p1, p2, p3] = outcomes.map((o) => o.pk);
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, NOW);
    const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, NOW);
    const asAda = store.forOwner(ada.userId);
    const asBob = store.forOwner(bob.userId);
    const adaMl = await asAda.profiles.createProfile('ml', {}, NOW);
    const adaCv = await asAda.profiles.createProfile('cv', {}, NOW);
    const bobMl = await asBob.profiles.createProfile('ml', {}, NOW);

    // Ada likes p1 from two profiles (one member, one like), saves p2; an old like and a dismissal do not count.
    await asAda.profiles.addFeedback(adaMl.profileId, p1, 'like', NOW);
    await asAda.profiles.addFeedback(adaCv.profileId, p1, 'like', LATER);
    await asAda.profiles.addFeedback(adaMl.profileId, p2, 'save', NOW);
    await asAda.profiles.addFeedback(adaMl.profileId, p3, 'like', OLD);
    await asAda.profiles.addFeedback(adaMl.profileId, p3, 'dismiss', NOW);
    // Bob likes p1 and puts p3 in a collection (a save).
    await asBob.profiles.addFeedback(bobMl.profileId, p1, 'like', NOW);
    const reading = await asBob.library.ensureCollection('Reading', NOW);
    await asBob.library.addToCollection(reading.collectionId, p3, LATER);

    const rows = await store.accounts.labActivity({ since: SINCE });
    const key = (r: { pk: number; userId: number; action: string; at: string }) => `${r.pk}:${r.userId}:${r.action}:${r.at}`;
    expect(rows.map(key).sort()).toEqual(
      [`${p1}:${ada.userId}:like:${LATER}`, `${p2}:${ada.userId}:save:${NOW}`, `${p1}:${bob.userId}:like:${NOW}`, `${p3}:${bob.userId}:save:${LATER}`].sort(),
    );
    // A removed member's activity goes with them.
    await store.accounts.removeUser(bob.userId);
    expect((await store.accounts.labActivity({ since: SINCE })).map(key).sort()).toEqual([`${p1}:${ada.userId}:like:${LATER}`, `${p2}:${ada.userId}:save:${NOW}`].sort());
  });

  it("keeps each member's choice to be named, off by default", async () => {
    const store = await backend.open();
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, NOW);
    const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, NOW);
    expect((await store.accounts.listUsers()).map((u) => [u.name, u.showInLab])).toEqual([
      ['ada', false],
      ['bob', false],
    ]);
    await store.accounts.setShowInLab(bob.userId, true);
    expect((await store.accounts.listUsers()).map((u) => [u.name, u.showInLab])).toEqual([
      ['ada', false],
      ['bob', true],
    ]);
    expect((await store.accounts.getUserById(bob.userId))?.showInLab).toBe(true);
    await store.accounts.setShowInLab(bob.userId, false);
    expect((await store.accounts.getUserById(bob.userId))?.showInLab).toBe(false);
    expect((await store.accounts.getUserById(ada.userId))?.showInLab).toBe(false);
  });
});
