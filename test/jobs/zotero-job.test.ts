import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { JobRuntime } from '../../src/jobs/runtime.ts';
import { followZotero } from '../../src/profile/zotero.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { sampleLibrary, ZoteroFixture } from '../fixtures/zotero/build-zotero-sqlite.ts';

describe('the zotero-sync job', () => {
  it('runs on its schedule with the other jobs and brings a following profile up to date', async () => {
    const dir = tempDir();
    const zpath = join(dir, 'zotero.sqlite');
    const z = new ZoteroFixture(zpath, 6);
    sampleLibrary(z);
    const store = new SqliteStore(join(dir, 'radar.db'));
    let t = Date.parse('2025-10-21T05:00:00Z');
    const now = () => new Date(t);
    try {
      await followZotero(store, 'lab', { kind: 'sqlite', path: zpath }, now());
      const config = configSchema.parse({ http: { contact: 'test@example.org' }, jobs: [{ name: 'zotero', schedule: '0 * * * *', task: { type: 'zotero-sync' } }] });
      const runtime = new JobRuntime({ store, config, now, refreshIndexes: async () => undefined });
      expect(await runtime.runOnce()).toBe(0); // first sight of the schedule
      t += 3_600_000;
      expect(await runtime.runOnce()).toBe(1);
      const job = (await store.jobs.listJobs({ kind: 'zotero-sync', limit: 5 }))[0];
      expect(job).toMatchObject({ state: 'done', lane: 'zotero' });
      expect(job.result).toMatchObject({ synced: [{ profile: 'lab', items: 3, linked: 3, unlinked: 0 }], failures: [] });
      const lab = (await store.profiles.getProfile('lab'))!;
      expect((await store.profiles.profilePapers(lab.profileId)).every((l) => l.origin.startsWith('zotero:'))).toBe(true);

      z.trash('JKLM2345');
      t += 3_600_000;
      await runtime.runOnce();
      expect((await store.profiles.profilePapers(lab.profileId)).length).toBe(2);
      await runtime.stop();
    } finally {
      z.close();
      await store.close();
    }
  });
});
