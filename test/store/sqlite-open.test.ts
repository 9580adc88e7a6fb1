/**
 * Where and how an SQLite database is opened: a new file in an existing
 * directory is a first run; a missing directory is an error naming it (a
 * mistyped --db must not leave new directories and an empty database
 * behind) unless the caller asks for it; a read-only store writes nothing and
 * accepts only the schema this build has.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/open.ts';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../src/store/sqlite/migrations.ts';
import { SqliteStore, StoreOpenError } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const T0 = '2026-05-01T00:00:00.000Z';
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (d) => (stderr += d));
  out.resume();
  const code = await main(args, { stdout: out, stderr: err });
  return { code, stderr };
}

/** A database as a build with only the first `n` migrations left it. */
function olderDatabase(path: string, n: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS_TABLE_SQL);
  for (const m of MIGRATIONS.slice(0, n)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, T0);
  }
  db.close();
}

describe('the database location', () => {
  it('creates a new database file in an existing directory', async () => {
    const file = join(tempDir(), 'radar.db');
    const store = new SqliteStore(file);
    expect((await store.papers.stats()).papers).toBe(0);
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a missing directory, naming it, and creates nothing', async () => {
    const dir = join(tempDir(), 'typo');
    const file = join(dir, 'x.db');
    expect(() => new SqliteStore(file)).toThrow(StoreOpenError);
    expect(() => new SqliteStore(file)).toThrow(`directory ${dir} does not exist`);
    await expect(openStore(file)).rejects.toThrow(dir);
    const r = await cli(['stats', '--db', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`radar: cannot create database ${file}: directory ${dir} does not exist\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it('creates the directory when the caller asks for it', async () => {
    const file = join(tempDir(), 'a', 'b', 'radar.db');
    const store = await openStore(file, { createDir: true });
    await store.close();
    expect(existsSync(file)).toBe(true);
  });
});

describe('a read-only store', () => {
  it('reads, writes nothing (not even on close), and refuses writes', async () => {
    const file = join(tempDir(), 'radar.db');
    const rw = new SqliteStore(file);
    await rw.papers.upsertPapers([{ arxivId: '2505.00001', title: 'Read me', categories: ['cs.LG'], source: { kind: 'jsonl', locator: 'x:1', seenAt: T0 } }], T0);
    await rw.close();
    const before = fileHash(file);
    const ro = new SqliteStore(file, { readonly: true });
    expect((await ro.papers.stats()).papers).toBe(1);
    expect((await ro.papers.getPaper('arxiv:2505.00001'))?.title).toBe('Read me');
    await expect(ro.papers.upsertPapers([{ title: 'No', source: { kind: 'jsonl', locator: 'x:2', seenAt: T0 } }], T0)).rejects.toThrow(/readonly/);
    await ro.close();
    expect(fileHash(file)).toBe(before);
  });

  it('refuses a missing file, a schema older than this build (left unmigrated) and one newer', () => {
    const dir = tempDir();
    expect(() => new SqliteStore(join(dir, 'none.db'), { readonly: true })).toThrow(/no such database file/);
    expect(existsSync(join(dir, 'none.db'))).toBe(false);

    const older = join(dir, 'older.db');
    olderDatabase(older, 2);
    const before = fileHash(older);
    try {
      new SqliteStore(older, { readonly: true });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StoreOpenError);
      expect((err as StoreOpenError).reason).toBe('schema-older');
      const missing = MIGRATIONS.filter((m) => m.version > 2).map((m) => m.version).join(', ');
      expect((err as Error).message).toContain(`older than this version of Paper Radar's (migrations ${missing} not applied)`);
    }
    expect(fileHash(older)).toBe(before);

    const newer = join(dir, 'newer.db');
    olderDatabase(newer, MIGRATIONS.length);
    const db = new Database(newer);
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, ?)').run('from the future', T0);
    db.close();
    expect(() => new SqliteStore(newer, { readonly: true })).toThrow(/migrations this version of Paper Radar does not know \(99\)/);
  });
});
