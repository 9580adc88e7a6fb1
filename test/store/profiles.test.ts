import { expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2026-01-01T00:00:00Z';
const src = (locator: string, kind: PaperRecord['source']['kind'] = 'listing') => ({ kind, locator, seenAt: T0 });

describeEachBackend('profile store', (backend) => {
  it('creates, lists, updates and deletes profiles; names are unique', async () => {
    const store = await backend.open();
    const a = await store.profiles.createProfile('alice', { rules: { must: ['collapse'] } }, T0);
    await store.profiles.createProfile('bob', {}, T0);
    await expect(store.profiles.createProfile('alice', {}, T0)).rejects.toThrow(/already exists/);
    expect((await store.profiles.getProfile('alice'))?.settings.rules?.must).toEqual(['collapse']);
    expect((await store.profiles.listProfiles()).map((p) => [p.name, p.papers])).toEqual([
      ['alice', 0],
      ['bob', 0],
    ]);
    const updated = await store.profiles.updateProfileSettings(a.profileId, { rules: { cutoff: 0.5 } }, '2026-01-02T00:00:00Z');
    expect(updated?.settings).toEqual({ rules: { cutoff: 0.5 } });
    expect(updated?.updatedAt).toBe('2026-01-02T00:00:00Z');
    expect((await store.papers.stats()).profiles).toBe(2);
    expect(await store.profiles.deleteProfile(a.profileId)).toBe(true);
    expect(await store.profiles.deleteProfile(a.profileId)).toBe(false);
    expect(await store.profiles.getProfile('alice')).toBeUndefined();
  });

  it('links papers and records feedback per profile', async () => {
    const store = await backend.open();
    const up = await store.papers.upsertPapers(
      [
        { arxivId: '2501.00001', title: 'Neural collapse under weight decay', source: src('a:1') },
        { arxivId: '2501.00002', title: 'Model merging for reasoners', source: src('a:2') },
      ],
      T0,
    );
    const [p1, p2] = up.outcomes.map((o) => o.pk);
    const a = await store.profiles.createProfile('a', {}, T0);
    const b = await store.profiles.createProfile('b', {}, T0);
    expect(await store.profiles.addProfilePapers(a.profileId, [{ pk: p1, origin: 'file:x' }, { pk: p2, origin: 'arxiv' }], T0)).toBe(2);
    expect(await store.profiles.addProfilePapers(a.profileId, [{ pk: p1, origin: 'manual' }], T0)).toBe(0);
    expect((await store.profiles.profilePapers(a.profileId)).map((l) => [l.pk, l.origin])).toEqual([
      [p1, 'file:x'],
      [p2, 'arxiv'],
    ]);
    expect(await store.profiles.profilePapers(b.profileId)).toEqual([]);
    await store.profiles.addFeedback(a.profileId, p2, 'like', T0);
    await store.profiles.addFeedback(a.profileId, p2, 'like', '2026-01-03T00:00:00Z');
    await store.profiles.addFeedback(b.profileId, p1, 'dismiss', T0);
    expect(await store.profiles.feedback(a.profileId)).toEqual([{ pk: p2, action: 'like', at: '2026-01-03T00:00:00Z' }]);
    expect(await store.profiles.removeFeedback(a.profileId, p2, 'like')).toBe(true);
    expect(await store.profiles.feedback(a.profileId)).toEqual([]);
    expect(await store.profiles.removeProfilePapers(a.profileId, [p1])).toBe(1);
    expect((await store.profiles.listProfiles()).find((p) => p.name === 'a')?.papers).toBe(1);
    // Deleting a profile takes its links and feedback with it, not the papers.
    await store.profiles.deleteProfile(b.profileId);
    expect((await store.papers.stats()).papers).toBe(2);
  });

  it('moves feedback and profile links to the surviving paper when two records turn out to be one', async () => {
    const store = await backend.open();
    const abstract =
      'Neural Collapse is a geometric structure observed at the terminal phase of training deep neural networks, which states that last-layer feature vectors for the same class collapse to a single point while features of different classes become equally separated.';
    // A title-less abstract from a pasted list, dismissed…
    const first = await store.papers.upsertPapers([{ abstract, source: src('paste.txt:1') }], T0);
    const dismissedPk = first.outcomes[0].pk;
    // …and the same paper known separately by its arXiv id and title.
    const second = await store.papers.upsertPapers(
      [{ arxivId: '2309.00001', title: 'Towards Understanding Neural Collapse', source: src('api#1', 'arxiv-api') }],
      T0,
    );
    const otherPk = second.outcomes[0].pk;
    expect(otherPk).not.toBe(dismissedPk);
    const p = await store.profiles.createProfile('p', {}, T0);
    await store.profiles.addFeedback(p.profileId, dismissedPk, 'dismiss', T0);
    await store.profiles.addFeedback(p.profileId, otherPk, 'dismiss', T0);
    await store.profiles.addProfilePapers(p.profileId, [{ pk: otherPk, origin: 'arxiv' }], T0);
    // v2 arrives with title and abstract: both stored papers are one.
    await store.papers.upsertPapers(
      [{ arxivId: '2309.00001', arxivVersion: 2, title: 'Towards Understanding Neural Collapse', abstract, source: src('api#2', 'arxiv-api') }],
      '2026-01-02T00:00:00Z',
    );
    expect((await store.papers.stats()).papers).toBe(1);
    const survivor = (await store.papers.getPaper('arxiv:2309.00001'))!;
    expect(await store.profiles.feedback(p.profileId)).toEqual([{ pk: survivor.pk, action: 'dismiss', at: T0 }]);
    expect((await store.profiles.profilePapers(p.profileId)).map((l) => l.pk)).toEqual([survivor.pk]);
  });

  it('samples distinct stored pks reproducibly', async () => {
    const store = await backend.open();
    const records = Array.from({ length: 60 }, (_, i) => ({ title: `Paper number ${i} about topic ${i * 7}`, source: src(`f:${i}`) }));
    await store.papers.upsertPapers(records, T0);
    const a = await store.profiles.samplePaperPks(20, 5);
    expect(new Set(a).size).toBe(20);
    expect(await store.profiles.samplePaperPks(20, 5)).toEqual(a);
    expect(await store.profiles.samplePaperPks(200, 5)).toHaveLength(60);
    // The store counted only up to n + 1: at exactly n papers every one is the sample, one more and it samples.
    const all = await store.profiles.samplePaperPks(60, 5);
    expect(new Set(all).size).toBe(60);
    expect(all).toEqual([...all].sort((x, y) => x - y));
    const most = await store.profiles.samplePaperPks(59, 5);
    expect(new Set(most).size).toBe(59);
  });

  it('lists undated papers by when the store first saw them', async () => {
    const store = await backend.open();
    await store.papers.upsertPapers([{ title: 'An undated paper from a pasted list', source: src('p:1') }], '2026-01-05T10:00:00Z');
    await store.papers.upsertPapers([{ title: 'A dated paper', announced: '2026-01-05', source: src('p:2') }], '2026-01-05T10:00:00Z');
    await store.papers.upsertPapers([{ title: 'Another undated paper, seen later', source: src('p:3') }], '2026-01-09T10:00:00Z');
    const got = await store.profiles.undatedPapers({ addedFrom: '2026-01-05T00:00:00Z', addedTo: '2026-01-06T00:00:00Z', limit: 10 });
    expect(got.map((p) => p.title)).toEqual(['An undated paper from a pasted list']);
  });
});
