import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const NOW = '2025-10-10T12:00:00.000Z';
const src = (n: number) => ({ kind: 'manual' as const, locator: `t:${n}`, seenAt: NOW });

describeEachBackend('notes and collections', (backend) => {
  it('keeps one note per paper; blank text deletes it', async () => {
    const store = await backend.open();
    const { outcomes } = await store.papers.upsertPapers([{ arxivId: '2501.00001', title: 'A paper on notes', source: src(1) }], NOW);
    const pk = outcomes[0].pk;
    expect(await store.library.getNote(pk)).toBeUndefined();
    await store.library.putNote(pk, 'read §3 <again>', NOW);
    await store.library.putNote(pk, 'read §4', '2025-10-11T00:00:00.000Z');
    expect(await store.library.getNote(pk)).toEqual({ pk, text: 'read §4', updatedAt: '2025-10-11T00:00:00.000Z' });
    await store.library.putNote(pk, '   ', NOW);
    expect(await store.library.getNote(pk)).toBeUndefined();
  });

  it('groups papers into named collections, newest addition first', async () => {
    const store = await backend.open();
    const { outcomes } = await store.papers.upsertPapers(
      [
        { arxivId: '2501.00001', title: 'First paper', source: src(1) },
        { arxivId: '2501.00002', title: 'Second paper', source: src(2) },
      ],
      NOW,
    );
    const [a, b] = outcomes.map((o) => o.pk);
    const reading = await store.library.ensureCollection('Reading', NOW);
    expect(await store.library.ensureCollection('Reading', NOW)).toEqual(reading);
    const other = await store.library.ensureCollection('archive', NOW);
    expect(await store.library.addToCollection(reading.collectionId, a, '2025-10-10T12:00:01.000Z')).toBe(true);
    expect(await store.library.addToCollection(reading.collectionId, b, '2025-10-10T12:00:02.000Z')).toBe(true);
    expect(await store.library.addToCollection(reading.collectionId, b, NOW)).toBe(false);
    await store.library.addToCollection(other.collectionId, a, NOW);
    expect((await store.library.collectionPapers(reading.collectionId)).map((r) => r.pk)).toEqual([b, a]);
    expect((await store.library.listCollections()).map((c) => [c.name, c.papers])).toEqual([
      ['archive', 1],
      ['Reading', 2],
    ]);
    expect((await store.library.collectionsOf(a)).map((c) => c.name)).toEqual(['archive', 'Reading']);
    expect(await store.library.removeFromCollection(reading.collectionId, a)).toBe(true);
    expect(await store.library.removeFromCollection(reading.collectionId, a)).toBe(false);
    expect(await store.library.deleteCollection(other.collectionId)).toBe(true);
    expect(await store.library.getCollection('archive')).toBeUndefined();
    expect((await store.papers.getPaper('arxiv:2501.00001'))?.title).toBe('First paper');
  });

  it('moves notes and collection entries to the survivor when two papers turn out to be one', async () => {
    const store = await backend.open();
    const first = await store.papers.upsertPapers([{ title: 'Merging Models for Reasoning', source: src(1) }], NOW);
    const pk = first.outcomes[0].pk;
    await store.library.putNote(pk, 'my note', NOW);
    const c = await store.library.ensureCollection('Saved', NOW);
    await store.library.addToCollection(c.collectionId, pk, NOW);
    // A record that names both: the arXiv id of a second stored paper and the title of the first.
    await store.papers.upsertPapers([{ arxivId: '2501.00009', title: 'Something else entirely', source: src(2) }], NOW);
    await store.papers.upsertPapers([{ arxivId: '2501.00009', title: 'Merging Models for Reasoning', source: src(3) }], NOW);
    expect((await store.papers.stats()).papers).toBe(1);
    const survivor = await store.papers.getPaper('arxiv:2501.00009');
    expect(survivor).toBeDefined();
    const rows = await store.library.collectionPapers(c.collectionId);
    expect(rows).toHaveLength(1);
    expect((await store.library.getNote(rows[0].pk))?.text).toBe('my note');
  });
});
