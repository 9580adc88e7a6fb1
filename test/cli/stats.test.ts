import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runCli } from '../helpers/cli.ts';

const run = runCli;

describe('radar stats', () => {
  const saved = process.env.RADAR_NO_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.RADAR_NO_NATIVE;
    else process.env.RADAR_NO_NATIVE = saved;
  });

  it('says whether keyword search ranks with the native extension, and why not when it does not', async () => {
    const db = join(tempDir(), 'radar.db');
    await new SqliteStore(db).close();
    const on = await run(['stats', '--db', db, '--json']);
    expect(JSON.parse(on.stdout).nativeRanking).toEqual({ active: true });
    expect((await run(['stats', '--db', db])).stderr).toMatch(/ranking +native BM25F/);

    process.env.RADAR_NO_NATIVE = '1';
    const off = await run(['stats', '--db', db, '--json']);
    expect(JSON.parse(off.stdout).nativeRanking).toEqual({ active: false, reason: 'RADAR_NO_NATIVE=1' });
    expect((await run(['stats', '--db', db])).stderr).toMatch(/FTS5 bm25, the fallback: native ranking is off \(RADAR_NO_NATIVE=1\)/);
  });
});
