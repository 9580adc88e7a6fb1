import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

describeEachBackend('store basics', (backend) => {
  it('finds a paper by any of its ids after a title-less abstract merges into the full record', async () => {
    const store = await backend.open();
    const abstract =
      'Recent work shows that, beyond discrete reasoning through explicit chain-of-thought steps, which are limited by the boundaries of natural languages, large language models can also reason continuously in latent space.';
    const listing = (locator: string) => ({ kind: 'listing' as const, locator, seenAt: '2026-01-01T00:00:00Z' });
    const first = await store.papers.upsertPapers([{ abstract, source: listing('a.txt:1') }], '2026-01-01T00:00:00Z');
    const oldId = first.outcomes[0].id;
    expect(oldId).toMatch(/^abstract:/);
    await store.papers.upsertPapers([{ title: 'SwiReasoning', abstract, source: listing('b.txt:3') }], '2026-01-01T00:00:01Z');
    await store.papers.upsertPapers(
      [{ arxivId: '2510.05069', title: 'SwiReasoning', source: { kind: 'arxiv-api', locator: 'api#1', seenAt: '2026-01-02T00:00:00Z' } }],
      '2026-01-02T00:00:00Z',
    );
    expect((await store.papers.stats()).papers).toBe(1);
    const byOld = await store.papers.getPaper(oldId);
    expect(byOld?.id).toBe('arxiv:2510.05069');
    expect((await store.papers.getPaper('https://arxiv.org/abs/2510.05069v2'))?.pk).toBe(byOld?.pk);
    expect(await store.papers.provenance(byOld!.pk)).toHaveLength(3);
  });
});
