/**
 * An import killed mid-way (SIGKILL to a real `radar import` process after
 * some batches landed) leaves a valid database, and running the same import
 * again finishes the job: every paper once, the full-text index in step with
 * the papers, nothing already stored lost.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { spawnRadar } from '../jobs/spawn-radar.ts';

const N = 6000;
const WORDS = 'graph neural network diffusion transformer attention collapse reasoning tokens retrieval agents policy reward speech vision language'.split(' ');

function corpus(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
    lines.push(
      JSON.stringify({
        id: `2501.${String(10000 + i)}`,
        title: `Paper ${i} on ${w(1)} ${w(2)} and ${w(3)}`,
        abstract: `We study ${w(1)} ${w(4)} with ${w(5)} ${w(6)}; experiment number ${i} shows ${w(7)} ${w(8)} improves ${w(9)}.`,
        authors: [`Author ${i % 97}`, `Coauthor ${i % 31}`],
        categories: ['cs.LG'],
        announced: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const count = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('an import interrupted by a kill', () => {
  it('leaves a valid database, and re-running it lands every paper exactly once', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const file = join(dir, 'papers.jsonl');
    corpus(file);
    // A paper stored before the interrupted import must survive it untouched.
    const seed = new SqliteStore(db);
    await seed.papers.upsertPapers([{ arxivId: '2412.00001', title: 'Stored Before', abstract: 'Already here.', source: { kind: 'manual', locator: 'm:1', seenAt: '2025-01-01T00:00:00Z' } }], '2025-01-01T00:00:00Z');
    await seed.close();

    const victim = spawnRadar(['import', file, '--db', db, '--batch-size', '200']);
    // Kill it once some batches have committed, well before the end.
    for (let i = 0; i < 600 && count(db) < 1000; i++) await new Promise((r) => setTimeout(r, 50));
    victim.child.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    const landed = count(db);
    expect(landed).toBeGreaterThan(1);
    expect(landed).toBeLessThan(N + 1);

    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const rerun = spawnRadar(['import', file, '--db', db, '--json']);
    const done = await rerun.exit;
    expect(done.code, rerun.stderr()).toBe(0);
    const report = JSON.parse(rerun.stdout());
    // What the killed run committed is unchanged; the rest is added.
    expect(report.totals.added + report.totals.unchanged).toBe(N);
    expect(report.totals.added).toBe(N + 1 - landed);

    const store = new SqliteStore(db);
    try {
      expect((await store.papers.stats()).papers).toBe(N + 1);
      expect((await store.papers.getPaper('arxiv:2412.00001'))?.title).toBe('Stored Before');
      const raw = store.db;
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      // The full-text index holds each paper once: FTS5's own consistency check, and a count.
      raw.exec("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')");
      expect((raw.prepare("SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'experiment'").get() as { n: number }).n).toBe(N);
    } finally {
      await store.close();
    }
  }, 180_000);
});
