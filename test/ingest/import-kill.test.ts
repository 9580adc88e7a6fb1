/**
 * An import killed mid-way (SIGKILL to a real `radar import` process after
 * some batches landed) leaves a valid database, and running the same import
 * again finishes the job: every paper once, the full-text index in step with
 * the papers, nothing already stored lost. A killed bulk import (full-text
 * upkeep deferred) leaves its record behind, and the next import, or
 * `radar doctor`, finishes it: the indexes it dropped are back, and search
 * finds the papers of the first and the last batch.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { writeBulkCorpus } from '../helpers/bulk-corpus.ts';
import { tempDir } from '../helpers/tmp.ts';
import { spawnRadar } from '../jobs/spawn-radar.ts';

const N = 6000;

/** What a finished bulk load leaves: the schema it dropped back, every paper indexed once, first and last findable. */
function expectConsistent(db: string): void {
  const d = new Database(db, { readonly: true });
  try {
    expect(d.prepare("SELECT count(*) AS n FROM kv_state WHERE key = 'bulk-load'").get()).toEqual({ n: 0 });
    const schema = (d.prepare("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')").pluck().all() as string[]).sort();
    for (const name of ['papers_fts_insert', 'papers_fts_delete', 'papers_fts_update', 'papers_listing_date', 'papers_seq', 'paper_authors_name_key', 'papers_incomplete']) {
      expect(schema).toContain(name);
    }
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    const papers = (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    for (const table of ['papers_fts', 'papers_title_fts']) {
      expect((d.prepare(`SELECT count(*) AS n FROM ${table}_docsize`).get() as { n: number }).n, table).toBe(papers);
    }
    const find = (phrase: string) => d.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck().all(`"${phrase}"`) as number[];
    expect(find('experiment number 0')).toHaveLength(1);
    expect(find(`experiment number ${N - 1}`)).toHaveLength(1);
  } finally {
    d.close();
  }
  // FTS5's own check against the papers it indexes (throws when out of step).
  const w = new Database(db);
  try {
    w.exec("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)");
    w.exec("INSERT INTO papers_title_fts(papers_title_fts, rank) VALUES ('integrity-check', 1)");
  } finally {
    w.close();
  }
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
    writeBulkCorpus(file, N);
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

  /** Starts a bulk import of the corpus and kills it once some batches have landed; the database it leaves. */
  async function killedBulkImport(): Promise<{ db: string; file: string; landed: number }> {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const file = join(dir, 'papers.jsonl');
    writeBulkCorpus(file, N);
    await new SqliteStore(db).close();
    const victim = spawnRadar(['import', file, '--db', db, '--bulk', '--batch-size', '200']);
    for (let i = 0; i < 600 && count(db) < 1000; i++) await new Promise((r) => setTimeout(r, 50));
    victim.child.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    const landed = count(db);
    expect(landed).toBeLessThan(N);
    // The kill left the load's record and the schema without its full-text triggers: the state the next run must notice.
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare("SELECT count(*) AS n FROM kv_state WHERE key = 'bulk-load'").get()).toEqual({ n: 1 });
      expect(d.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'papers_fts_insert'").get()).toEqual({ n: 0 });
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      d.close();
    }
    return { db, file, landed };
  }

  it('killed during a bulk load, the next import resumes it and leaves the full-text indexes in step', async () => {
    const { db, file, landed } = await killedBulkImport();
    const rerun = spawnRadar(['import', file, '--db', db, '--json']);
    const done = await rerun.exit;
    expect(done.code, rerun.stderr()).toBe(0);
    expect(rerun.stderr()).toMatch(/bulk load: resuming the bulk load begun/);
    expect(rerun.stderr()).toMatch(/bulk load: rebuilding full-text index papers_fts over 6,000 papers: done/);
    const report = JSON.parse(rerun.stdout());
    expect(report.totals.added).toBe(N - landed);
    expect(count(db)).toBe(N);
    expectConsistent(db);
  }, 180_000);

  it('killed during a bulk load, `radar doctor` notices and finishes it', async () => {
    const { db, landed } = await killedBulkImport();
    const check = spawnRadar(['doctor', '--check-only', '--json', '--db', db]);
    expect((await check.exit).code).toBe(1);
    const found = JSON.parse(check.stdout()).checks.find((c: { name: string }) => c.name === 'bulk load');
    expect(found.ok).toBe(false);
    expect(found.detail).toMatch(/did not finish: trigger papers_fts_delete/);

    const doctor = spawnRadar(['doctor', '--json', '--db', db]);
    await doctor.exit;
    const fixed = JSON.parse(doctor.stdout()).checks.find((c: { name: string }) => c.name === 'bulk load');
    expect(fixed).toMatchObject({ ok: true, repaired: expect.stringMatching(/full-text indexes rebuilt/) });
    expect(count(db)).toBe(landed);
    const d = new Database(db, { readonly: true });
    const ids = d.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH '\"experiment number 0\"'").pluck().all();
    d.close();
    expect(ids).toHaveLength(1);
  }, 180_000);
});
