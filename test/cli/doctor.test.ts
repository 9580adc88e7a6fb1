/**
 * An index build cut short (here: papers stored with no refresh after them,
 * the state a kill during the refresh leaves) is noticed and repaired by the
 * next import of the same, unchanged files, and by `radar doctor`, which also
 * rebuilds a damaged full-text index. What it says names what it did.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { indexHealth } from '../../src/vectors/health.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runCli } from '../helpers/cli.ts';

const run = runCli;

const WORDS = 'graph neural network diffusion transformer attention collapse reasoning tokens retrieval agents policy'.split(' ');

/** A database whose papers landed but whose index refresh never ran. */
async function interrupted(): Promise<{ db: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, 'papers.jsonl');
  const lines = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ id: `2501.${String(10000 + i)}`, title: `Paper ${i} on ${WORDS[i % 12]} ${WORDS[(i * 5) % 12]}`, abstract: `We study ${WORDS[(i * 7) % 12]} and ${WORDS[(i + 3) % 12]}.`, announced: '2025-01-02' }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  const db = join(dir, 'radar.db');
  const store = new SqliteStore(db);
  await importInputs(store, [{ path: file }], { now: () => new Date('2025-01-03T00:00:00Z') });
  expect((await indexHealth(store)).due).toBe(true);
  await store.close();
  return { db, file };
}

describe('indexes heal', () => {
  it('a re-run of the same import, which changes no paper, rebuilds what the cut-short refresh left out', async () => {
    const { db, file } = await interrupted();
    const r = await run(['import', file, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/unchanged 40/);
    const store = new SqliteStore(db);
    try {
      expect((await indexHealth(store)).due).toBe(false);
    } finally {
      await store.close();
    }
    const similar = await run(['similar', 'arxiv:2501.10001', '--db', db, '--json']);
    expect(similar.code).toBe(0);
    expect(similar.stderr).not.toMatch(/not in the indexes/);
    expect(JSON.parse(similar.stdout).length).toBeGreaterThan(0);
  });

  it('`radar similar` on such a database points at `radar doctor`, and doctor repairs it and says so', async () => {
    const { db } = await interrupted();
    const before = await run(['similar', 'arxiv:2501.10001', '--db', db]);
    expect(before.stderr).toMatch(/not in the indexes yet; `radar doctor` brings them up to date/);
    expect(before.stderr).not.toMatch(/run an import/);

    const check = await run(['doctor', '--check-only', '--json', '--db', db]);
    expect(check.code).toBe(1);
    const found = JSON.parse(check.stdout);
    expect(found.ok).toBe(false);
    expect(found.checks.find((c: { name: string }) => c.name === 'sparse index')).toMatchObject({ ok: false, detail: expect.stringMatching(/not built/) });

    const fix = await run(['doctor', '--json', '--db', db]);
    expect(fix.code).toBe(0);
    const fixed = JSON.parse(fix.stdout);
    expect(fixed.ok).toBe(true);
    expect(fixed.checks.find((c: { name: string }) => c.name === 'sparse index')).toMatchObject({ ok: true, repaired: expect.stringMatching(/refreshed: 40 papers counted/) });

    const after = await run(['similar', 'arxiv:2501.10001', '--db', db]);
    expect(after.stderr).not.toMatch(/not in the indexes/);
    const again = await run(['doctor', '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/all well \(40 papers\)/);
  });

  it('doctor rebuilds a full-text index that lost its rows, and search finds the papers again', async () => {
    const { db } = await interrupted();
    const store = new SqliteStore(db);
    store.db.prepare("INSERT INTO papers_fts(papers_fts) VALUES ('delete-all')").run();
    await store.close();
    expect(JSON.parse((await run(['search', 'diffusion', '--db', db, '--json'])).stdout)).toEqual([]);

    const fix = await run(['doctor', '--json', '--db', db]);
    const fts = JSON.parse(fix.stdout).checks.find((c: { name: string }) => c.name === 'full-text index papers_fts');
    expect(fts).toMatchObject({ ok: true, detail: expect.stringMatching(/out of step/), repaired: 'rebuilt from the papers' });
    expect(fix.code).toBe(0);
    expect(JSON.parse((await run(['search', 'diffusion', '--db', db, '--json'])).stdout).length).toBeGreaterThan(0);
  });
});
