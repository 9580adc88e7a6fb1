import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2026-01-01T00:00:00Z';
const src = (n: number) => ({ kind: 'manual' as const, locator: `w:${n}`, seenAt: T0 });

describeEachBackend('windowPks', (backend) => {
  it('lists the pks of the papers listed in a window, inclusive, and never an undated one', async () => {
    const store = await backend.open();
    const r = await store.papers.upsertPapers(
      [
        { title: 'Listed on the first day of the window', announced: '2026-03-01', source: src(1) },
        { title: 'Listed on the last day of the window', announced: '2026-03-07', source: src(2) },
        { title: 'Listed the day after the window', announced: '2026-03-08', source: src(3) },
        { title: 'A paper with no date at all', source: src(4) },
      ],
      T0,
    );
    const pks = r.outcomes.map((o) => o.pk);
    expect(await store.papers.windowPks('2026-03-01', '2026-03-07')).toEqual([pks[0], pks[1]].sort((a, b) => a - b));
    expect(await store.papers.windowPks('2026-03-09', '2026-03-31')).toEqual([]);
  });
});
