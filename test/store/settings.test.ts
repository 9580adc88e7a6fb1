import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const T0 = '2026-01-01T00:00:00Z';

describeEachBackend('settings store', (backend) => {
  it("keeps a profile's delivery settings, refuses an unknown profile, and forgets them with the profile", async () => {
    const store = await backend.open();
    const p = await store.profiles.createProfile('ada', {}, T0);
    expect(await store.settings.getDelivery('ada')).toBeUndefined();
    expect(await store.settings.putDelivery('nobody', { email: [], cadence: 'off', weekday: 'mon', limit: 10 }, T0)).toBe(false);
    expect(await store.settings.putDelivery('ada', { email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/x', limit: 5 }, T0)).toBe(true);
    expect(await store.settings.getDelivery('ada')).toEqual({ email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/x', limit: 5, updatedAt: T0 });
    await store.settings.putDelivery('ada', { email: [], cadence: 'daily', weekday: 'mon', limit: 10 }, '2026-01-02T00:00:00Z');
    expect(await store.settings.listDeliveries()).toEqual([{ profile: 'ada', email: [], cadence: 'daily', weekday: 'mon', limit: 10, updatedAt: '2026-01-02T00:00:00Z' }]);
    await store.profiles.deleteProfile(p.profileId);
    expect(await store.settings.listDeliveries()).toEqual([]);
  });

  it('adds sources once, records their runs in words, and removes them', async () => {
    const store = await backend.open();
    const a = await store.settings.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 7 }, T0);
    expect(a).toMatchObject({ created: true, source: { kind: 'arxiv', category: 'cs.LG', backfillDays: 7, addedAt: T0 } });
    expect((await store.settings.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 30 }, T0)).created).toBe(false);
    const hf = await store.settings.addSource({ kind: 'hf', category: '', backfillDays: 3 }, T0);
    await store.settings.setSourceBackfillJob(a.source.id, 'backfill:arxiv:cs.LG@x');
    await store.settings.recordSourceRun([a.source.id, hf.source.id], { at: '2026-01-02T00:00:00Z', error: 'offline: export.arxiv.org could not be reached' });
    await store.settings.recordSourceRun([hf.source.id], { at: '2026-01-03T00:00:00Z', added: 12 });
    const list = await store.settings.listSources();
    expect(list.map((s) => [s.kind, s.category])).toEqual([
      ['arxiv', 'cs.LG'],
      ['hf', ''],
    ]);
    expect(list[0]).toMatchObject({ lastRunAt: '2026-01-02T00:00:00Z', lastError: 'offline: export.arxiv.org could not be reached', backfillJob: 'backfill:arxiv:cs.LG@x' });
    expect(list[0].lastSuccessAt).toBeUndefined();
    expect(list[1]).toMatchObject({ lastRunAt: '2026-01-03T00:00:00Z', lastSuccessAt: '2026-01-03T00:00:00Z', lastAdded: 12 });
    expect(list[1].lastError).toBeUndefined();
    expect(await store.settings.removeSource('arxiv', 'cs.LG')).toBe(true);
    expect(await store.settings.removeSource('arxiv', 'cs.LG')).toBe(false);
    expect((await store.settings.listSources()).length).toBe(1);
  });
});
