import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2026-01-01T00:00:00Z';

describeEachBackend('settings store', (backend) => {
  it("keeps a profile's delivery settings, refuses an unknown profile, and forgets them with the profile", async () => {
    const store = await backend.open();
    const p = await store.createProfile('ada', {}, T0);
    expect(await store.getDelivery('ada')).toBeUndefined();
    expect(await store.putDelivery('nobody', { email: [], cadence: 'off', weekday: 'mon', limit: 10 }, T0)).toBe(false);
    expect(await store.putDelivery('ada', { email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/x', limit: 5 }, T0)).toBe(true);
    expect(await store.getDelivery('ada')).toEqual({ email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/x', limit: 5, updatedAt: T0 });
    await store.putDelivery('ada', { email: [], cadence: 'daily', weekday: 'mon', limit: 10 }, '2026-01-02T00:00:00Z');
    expect(await store.listDeliveries()).toEqual([{ profile: 'ada', email: [], cadence: 'daily', weekday: 'mon', limit: 10, updatedAt: '2026-01-02T00:00:00Z' }]);
    await store.deleteProfile(p.profileId);
    expect(await store.listDeliveries()).toEqual([]);
  });

  it('adds sources once, records their runs in words, and removes them', async () => {
    const store = await backend.open();
    const a = await store.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 7 }, T0);
    expect(a).toMatchObject({ created: true, source: { kind: 'arxiv', category: 'cs.LG', backfillDays: 7, addedAt: T0 } });
    expect((await store.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 30 }, T0)).created).toBe(false);
    const hf = await store.addSource({ kind: 'hf', category: '', backfillDays: 3 }, T0);
    await store.setSourceBackfillJob(a.source.id, 'backfill:arxiv:cs.LG@x');
    await store.recordSourceRun([a.source.id, hf.source.id], { at: '2026-01-02T00:00:00Z', error: 'offline: export.arxiv.org could not be reached' });
    await store.recordSourceRun([hf.source.id], { at: '2026-01-03T00:00:00Z', added: 12 });
    const list = await store.listSources();
    expect(list.map((s) => [s.kind, s.category])).toEqual([
      ['arxiv', 'cs.LG'],
      ['hf', ''],
    ]);
    expect(list[0]).toMatchObject({ lastRunAt: '2026-01-02T00:00:00Z', lastError: 'offline: export.arxiv.org could not be reached', backfillJob: 'backfill:arxiv:cs.LG@x' });
    expect(list[0].lastSuccessAt).toBeUndefined();
    expect(list[1]).toMatchObject({ lastRunAt: '2026-01-03T00:00:00Z', lastSuccessAt: '2026-01-03T00:00:00Z', lastAdded: 12 });
    expect(list[1].lastError).toBeUndefined();
    expect(await store.removeSource('arxiv', 'cs.LG')).toBe(true);
    expect(await store.removeSource('arxiv', 'cs.LG')).toBe(false);
    expect((await store.listSources()).length).toBe(1);
  });
});
