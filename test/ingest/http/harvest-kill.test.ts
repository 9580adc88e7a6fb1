/**
 * A harvest killed mid-way (SIGKILL to a real `radar fetch arxiv-oai` process,
 * while it waits for page 3) and started again finishes from where it stopped,
 * with every paper once: no duplicates, no gaps.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { spawnRadar } from '../../jobs/spawn-radar.ts';
import { HARVEST_IDS, oaiResponder } from './oai-replay.ts';
import { fixture, replayServer } from './replay-server.ts';

describe('OAI harvest interrupted by a kill', () => {
  it('resumes after SIGKILL and ends with every record exactly once', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    writeFileSync(join(dir, 'radar.config.yaml'), 'sources:\n  oaiChunkDays: 7\nhttp:\n  contact: test@example.org\n  minIntervalMs: 1\n  maxRetries: 0\n');
    const s = await replayServer();
    let victim: ReturnType<typeof spawnRadar> | undefined;
    let killed = false;
    s.on(
      '/oai',
      oaiResponder({
        token: (t) => {
          if (t !== '6961029|2001' || killed) return undefined;
          killed = true;
          victim!.child.kill('SIGKILL');
          return { delayMs: 200, body: fixture('oai/chunk1-page3.xml') };
        },
      }),
    );
    const args = ['fetch', 'arxiv-oai', '--db', db, '--from', '2025-03-01', '--to', '2025-03-10', '--set', 'cs', '--json'];
    const env = { RADAR_ARXIV_OAI_URL: `${s.url}/oai` };
    victim = spawnRadar(args, env);
    const first = await victim.exit;
    expect(first.signal).toBe('SIGKILL');
    const before = new SqliteStore(db);
    expect((await before.papers.stats()).papers).toBe(6); // two pages stored before the kill
    await before.close();

    const rerun = spawnRadar(args, env);
    const second = await rerun.exit;
    expect(second.code, rerun.stderr()).toBe(0);
    expect(rerun.stderr()).toMatch(/resuming at chunk 2025-03-01 with token 6961029\|2001/);
    const report = JSON.parse(rerun.stdout());
    expect(report.notes).toMatchObject({ done: true });
    // Requests: three before the kill, then the rerun picks up at the token it had saved.
    expect(s.requestsTo('/oai').map((r) => r.query.get('resumptionToken') ?? r.query.get('from'))).toEqual([
      '2025-03-01',
      '6961029|1001',
      '6961029|2001',
      '6961029|2001',
      '2025-03-08',
    ]);
    const store = new SqliteStore(db);
    try {
      const ids: string[] = [];
      for await (const batch of store.papers.scanPapers(100)) ids.push(...batch.map((p) => p.arxivId!));
      expect(ids.sort()).toEqual(HARVEST_IDS);
    } finally {
      await store.close();
    }
  }, 180_000);
});
