/**
 * `radar migrate`: an embedded database with rows in every table moves into
 * PostgreSQL with nothing lost (pks, seqs, blobs, JSON), is verified by
 * counts and checksums, resumes after an interruption, refuses a target that
 * holds other data, and fails loudly when the two sides differ. Also checks
 * that the transfer list covers both schemas, so a table added later cannot be
 * forgotten silently.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { transfer } from '../../src/store/postgres/transfer.ts';
import { isNotTransferred, POSTGRES_ONLY, TRANSFER_TABLES } from '../../src/store/postgres/transfer-tables.ts';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../src/store/sqlite/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runCli } from '../helpers/cli.ts';

const T0 = '2026-04-01T00:00:00.000Z';
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const src = (locator: string): PaperRecord['source'] => ({ kind: 'jsonl', locator, seenAt: T0 });

const run = runCli;

/** An embedded database with rows in every table the transfer knows. */
async function fixture(path: string): Promise<void> {
  const store = new SqliteStore(path, { now: () => new Date(T0) });
  try {
    const papers: PaperRecord[] = Array.from({ length: 120 }, (_, i) => ({
      arxivId: `2504.${String(i).padStart(5, '0')}`,
      title: `Paper ${i}: ${['Neural collapse', 'Latent reasoning', 'Model merging'][i % 3]} revisited`,
      abstract: `Abstract ${i} with “quotes”, émoji 🙂 and $\\LaTeX$.`,
      authors: [`Author ${i % 11}`, 'Zoë Example'],
      categories: [['cs.LG', 'stat.ML'], ['cs.CL'], ['cs.AI']][i % 3],
      announced: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
      signals: { upvotes: i, keywords: ['k1', 'k2'] },
      source: src(`f.jsonl:${i}`),
    }));
    const { outcomes } = await store.papers.upsertPapers(papers, T0);
    // A merge: a title-only paper later shown to be one of the arXiv papers.
    await store.papers.upsertPapers([{ title: 'Paper 200 standalone', source: src('g:1') }], T0);
    await store.papers.upsertPapers([{ arxivId: '2504.09999', title: 'Another', source: src('g:2') }], T0);
    await store.papers.upsertPapers([{ arxivId: '2504.09999', title: 'Paper 200 standalone', source: src('g:3') }], T0);
    const pks = outcomes.map((o) => o.pk);
    await store.vectors.putVectors('lsa-4', pks.map((pk, i) => ({ pk, vector: Buffer.from(new Float32Array([i, -i, 0.5, 1e-7]).buffer) })));
    await store.models.putModel('vocab', Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256)), { terms: 42, nested: { x: [1, 'two'] } });
    const p = await store.profiles.createProfile('ada', { rules: { must: ['collapse'] } }, T0);
    await store.profiles.addProfilePapers(p.profileId, [{ pk: pks[0], origin: 'file:x' }], T0);
    await store.profiles.addFeedback(p.profileId, pks[1], 'like', T0);
    await store.profiles.addFeedback(p.profileId, pks[2], 'dismiss', T0);
    const c = await store.library.ensureCollection('Reading', T0);
    await store.library.addToCollection(c.collectionId, pks[3], T0);
    await store.library.putNote(pks[3], 'read §3', T0);
    await store.jobs.enqueueJob({ kind: 'fetch', payload: { source: 'arxiv' }, key: 'fetch@1', lane: 'arxiv', runAt: T0, maxAttempts: 3 }, T0);
    const j = (await store.jobs.enqueueJob({ kind: 'digest', payload: {}, key: 'digest@1', runAt: T0, maxAttempts: 3 }, T0)).job;
    await store.jobs.claimJob({ worker: 'w', now: T0, leaseMs: 1000, kinds: ['digest'] });
    await store.jobs.finishJob(j.id, 'w', T0, { ok: true, result: { sent: 3 } });
    await store.jobs.putState('harvest:oai', { token: 'abc', cursor: 100 }, T0);
    await store.jobs.useLinkOnce('link-hash', T0, '2099-01-01T00:00:00.000Z');
    await store.jobs.noteEnrichAttempt(pks[4], T0, 'no match');
    await store.tldrs.putTldr(pks[0], { model: 'qwen', text: 'A one-line summary.' }, T0);
    await store.tldrs.putTldr(pks[1], { model: 'qwen', error: 'HTTP 503' }, T0);
    const d = await store.digests.reserveDigest({ profile: 'ada', channel: 'email', windowFrom: '2026-03-30', windowTo: '2026-03-31', by: 'w' }, T0);
    await store.digests.finishDigest(d.record.id, { state: 'sent', items: 5, messageId: '<m@x>' }, T0);
    await store.digests.setUnsubscribed('ada', 'webhook', true, T0);
    await store.settings.putDelivery('ada', { email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', limit: 5 }, T0);
    const followed = await store.settings.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 7 }, T0);
    await store.settings.recordSourceRun([followed.source.id], { at: T0, error: 'offline' });
    const admin = await store.accounts.createUser({ name: 'ada', passwordHash: 'scrypt$x', role: 'admin' }, T0);
    await store.accounts.createSession({ tokenHash: 'session-hash', userId: admin.userId, csrf: 'c', expiresAt: '2099-01-01T00:00:00.000Z' }, T0);
    await store.accounts.createApiToken({ userId: admin.userId, name: 'script', tokenHash: 'token-hash' }, T0);
    await store.accounts.createInvite({ tokenHash: 'invite-hash', role: 'member', invitedBy: admin.userId, expiresAt: '2099-01-01T00:00:00.000Z' }, T0);
  } finally {
    await store.close();
  }
}

async function dump(store: Store) {
  const papers = [];
  for await (const page of store.papers.scanPapers(500)) papers.push(...page);
  const profile = (await store.profiles.getProfile('ada'))!;
  return {
    papers,
    changes: await store.papers.changesSince(0, 10_000),
    provenance: await store.papers.provenance(papers[0].pk),
    vectors: [...(await store.vectors.getVectors('lsa-4', papers.map((p) => p.pk))).entries()],
    model: await store.models.getModel('vocab'),
    profile,
    profilePapers: await store.profiles.profilePapers(profile.profileId),
    feedback: await store.profiles.feedback(profile.profileId),
    collections: await store.library.listCollections(),
    note: await store.library.getNote(papers[3].pk),
    jobs: await store.jobs.listJobs({}),
    state: await store.jobs.getState('harvest:oai'),
    digests: await store.digests.listDigests({}),
    unsubscribed: await store.digests.isUnsubscribed('ada', 'webhook'),
    users: await store.accounts.listUsers(),
    tokens: await store.accounts.listApiTokens(profile ? 1 : 0),
    delivery: await store.settings.getDelivery('ada'),
    sources: await store.settings.listSources(),
    stats: await store.papers.stats(),
  };
}

const skip = postgresUnavailable();

describe.skipIf(!!skip)(`radar migrate${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('copies every table without loss, verifies it, keeps pks and seqs, and new writes continue after them', async () => {
    const file = join(tempDir(), 'radar.db');
    await fixture(file);
    const db = await createTestDatabase({ empty: true });
    try {
      const before = fileHash(file);
      const r = await run(['migrate', '--from', file, '--to', db.url, '--json']);
      expect(r.stderr).toMatch(/verified: every table/);
      expect(r.code).toBe(0);
      expect(fileHash(file), 'the source is only read').toBe(before);
      const report = JSON.parse(r.stdout);
      expect(report.mode).toBe('fresh');
      expect(report.ok).toBe(true);
      // The fixture has rows in every table, so every table was really compared.
      for (const check of report.checks) {
        expect(check.source.rows, check.table).toBeGreaterThan(0);
        expect(check.target).toEqual(check.source);
      }
      expect(report.checks.map((c: { table: string }) => c.table)).toEqual(TRANSFER_TABLES.map((t) => t.table));

      const sqlite = new SqliteStore(file);
      const pg = await PostgresStore.open(db.url);
      try {
        expect(await dump(pg)).toEqual(await dump(sqlite));
        // Sequences continue after the copied values.
        const before = await pg.papers.changesSince(0, 10_000);
        const added = await pg.papers.upsertPapers([{ arxivId: '2505.00001', title: 'New after migration', source: src('h:1') }], T0);
        expect(added.outcomes[0].pk).toBeGreaterThan(Math.max(...before.papers.map((p) => p.pk)));
        const after = await pg.papers.changesSince(before.lastSeq, 10);
        expect(after.papers.map((p) => p.id)).toEqual(['arxiv:2505.00001']);
        expect((await pg.profiles.createProfile('bob', {}, T0)).profileId).toBeGreaterThan((await pg.profiles.getProfile('ada'))!.profileId);
        expect((await pg.jobs.enqueueJob({ kind: 'x', payload: {}, key: 'x@1', runAt: T0, maxAttempts: 1 }, T0)).created).toBe(true);
        expect((await pg.library.ensureCollection('More', T0)).collectionId).toBeGreaterThan(1);
      } finally {
        await sqlite.close();
        await pg.close();
      }

      // Running it again verifies only, and says so.
      const again = await run(['migrate', '--from', file, '--to', db.url]);
      expect(again.stderr).toMatch(/already finished; verified only/);
      expect(again.code).toBe(1); // the target changed since (rows added above): reported, not hidden
      expect(again.stderr).toMatch(/verification FAILED: papers, paper_keys/);
    } finally {
      await db.drop();
    }
  });

  it('resumes an interrupted run where it stopped', async () => {
    const file = join(tempDir(), 'radar.db');
    await fixture(file);
    const db = await createTestDatabase();
    try {
      const source = new SqliteStore(file);
      const target = await PostgresStore.open(db.url);
      // The "interruption": only the first tables, in small batches.
      const partial = await transfer(source, target, { sourceName: file, batchSize: 50, tables: TRANSFER_TABLES.slice(0, 2) });
      expect(partial.copied).toEqual({ papers: 121, paper_keys: expect.any(Number) });
      await source.close();
      await target.close();
      const r = await run(['migrate', '--from', file, '--to', db.url, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.mode).toBe('resumed');
      expect(report.copied.papers).toBe(0);
      expect(report.copied.provenance).toBeGreaterThan(0);
      expect(report.ok).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('refuses a target that holds other data, and a source that does not exist', async () => {
    const file = join(tempDir(), 'radar.db');
    await fixture(file);
    const db = await createTestDatabase();
    try {
      const pg = await PostgresStore.open(db.url);
      await pg.papers.upsertPapers([{ arxivId: '2501.00001', title: 'Already here', source: src('x:1') }], T0);
      await pg.close();
      const r = await run(['migrate', '--from', file, '--to', db.url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not empty \(papers: 1, paper_keys: \d+/);
      const missing = await run(['migrate', '--from', join(tempDir(), 'nope.db'), '--to', db.url]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/no such database file/);
      expect((await run(['migrate', '--from', file, '--to', '/tmp/other.db'])).stderr).toMatch(/not a postgres:\/\/ URL/);
    } finally {
      await db.drop();
    }
  });

  it('fails loudly when a copied value differs', async () => {
    const file = join(tempDir(), 'radar.db');
    await fixture(file);
    const db = await createTestDatabase();
    try {
      expect((await run(['migrate', '--from', file, '--to', db.url])).code).toBe(0);
      const pg = await PostgresStore.open(db.url);
      await pg.pool.query(`UPDATE feedback SET at = '2026-04-02T00:00:00.000Z' WHERE action = 'like'`);
      await pg.close();
      const r = await run(['migrate', '--from', file, '--to', db.url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/feedback +2 +2 +[0-9a-f]{32} \/ [0-9a-f]{32} +MISMATCH/);
      expect(r.stderr).toMatch(/verification FAILED: feedback differ/);
    } finally {
      await db.drop();
    }
  });

  it('copies one snapshot of a source that is written to during the run, and verifies that snapshot', async () => {
    const file = join(tempDir(), 'radar.db');
    await fixture(file);
    const db = await createTestDatabase({ empty: true });
    const source = new SqliteStore(file, { readonly: true });
    const writer = new SqliteStore(file);
    const target = await PostgresStore.open(db.url);
    try {
      const writes: Promise<unknown>[] = [];
      const result = await transfer(source, target, {
        sourceName: file,
        batchSize: 50,
        // Another process imports while the papers are being copied, and again before the provenance is.
        onProgress: (p) => {
          if ((p.table === 'papers' && p.copied === 50) || (p.table === 'provenance' && p.copied === 0)) {
            writes.push(writer.papers.upsertPapers([{ arxivId: `2506.0000${writes.length}`, title: `Written meanwhile ${writes.length}`, source: src(`w:${writes.length}`) }], T0));
          }
        },
      });
      await Promise.all(writes);
      expect(writes).toHaveLength(2);
      expect(result.ok).toBe(true);
      expect(result.checks.find((c) => c.table === 'papers')?.target.rows).toBe(121);
      expect((await target.papers.stats()).papers).toBe(121);
      expect((await writer.papers.stats()).papers).toBe(123);
    } finally {
      await source.close();
      await writer.close();
      await target.close();
      await db.drop();
    }
  });

  it('migrates an older source schema only when asked to (--upgrade-source)', async () => {
    // A database as a build without migration 3 left it, with a profile in it.
    const file = join(tempDir(), 'radar.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS_TABLE_SQL);
    for (const m of MIGRATIONS.slice(0, 2)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, T0);
    }
    raw.prepare("INSERT INTO profiles (name, settings, created_at, updated_at) VALUES ('ada', '{}', ?, ?)").run(T0, T0);
    raw.close();
    const db = await createTestDatabase({ empty: true });
    try {
      const before = fileHash(file);
      const refused = await run(['migrate', '--from', file, '--to', db.url]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/schema is older than this version.*pass --upgrade-source/);
      expect(refused.stderr).not.toMatch(/migrating /); // refused before the target was touched
      expect(fileHash(file)).toBe(before);

      const upgraded = await run(['migrate', '--from', file, '--to', db.url, '--upgrade-source', '--json']);
      expect(upgraded.code).toBe(0);
      const report = JSON.parse(upgraded.stdout);
      expect(report.ok).toBe(true);
      expect(report.checks.find((c: { table: string }) => c.table === 'profiles').target.rows).toBe(1);
      const after = new Database(file, { readonly: true });
      expect(after.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.at(-1)!.version });
      after.close();
    } finally {
      await db.drop();
    }
  });

  it('covers every table and column of both schemas', async () => {
    const sqlite = new SqliteStore(join(tempDir(), 'radar.db'));
    const db = await createTestDatabase();
    const pg = await PostgresStore.open(db.url);
    try {
      const spec = new Map(TRANSFER_TABLES.map((t) => [t.table, t.columns.map(([c]) => c)]));
      const sqliteTables = (sqlite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]).map((r) => r.name);
      for (const table of sqliteTables) {
        if (isNotTransferred(table)) continue;
        expect(spec.has(table), `SQLite table ${table} is neither in TRANSFER_TABLES nor NOT_TRANSFERRED`).toBe(true);
        const cols = (sqlite.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((r) => r.name);
        expect(cols, `columns of ${table}`).toEqual(spec.get(table));
      }
      const pgCols = (
        await pg.pool.query<{ table_name: string; column_name: string }>(
          `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
        )
      ).rows;
      const byTable = new Map<string, string[]>();
      for (const r of pgCols) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
      for (const [table, cols] of byTable) {
        if (table === 'schema_migrations' || POSTGRES_ONLY[table]) continue;
        expect(spec.has(table), `PostgreSQL table ${table} is not in TRANSFER_TABLES`).toBe(true);
        const expected = spec.get(table)!.filter((c) => !(table === 'models' && c === 'data'));
        expect(cols.filter((c) => !POSTGRES_ONLY[`${table}.${c}`]), `columns of ${table}`).toEqual(expected);
      }
      for (const t of TRANSFER_TABLES) expect(sqliteTables, t.table).toContain(t.table);
    } finally {
      await sqlite.close();
      await pg.close();
      await db.drop();
    }
  });
});
