/**
 * Migration 8 on a database a version-7 Paper Radar left behind: profiles,
 * collections, notes and sources get an owner, delivery settings move from the
 * profile's name to its id, and nothing is lost on either backend.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres.ts';
import { postgresAt, sqliteAt } from '../helpers/schema-at.ts';
import { tempDir } from '../helpers/tmp.ts';

const T = '2026-01-01T00:00:00.000Z';

/** What a version-7 database holds: a paper, two profiles (one with delivery settings), feedback, a collection, a note, two sources. */
const V6_ROWS = `
INSERT INTO profiles (profile_id, name, settings, created_at, updated_at) VALUES (7, 'ml', '{}', '${T}', '${T}'), (8, 'nlp', '{}', '${T}', '${T}');
INSERT INTO profile_papers VALUES (7, 1, 'file:x', '${T}');
INSERT INTO feedback VALUES (7, 1, 'like', '${T}');
INSERT INTO collections (collection_id, name, created_at) VALUES (3, 'Reading', '${T}');
INSERT INTO collection_papers VALUES (3, 1, '${T}');
INSERT INTO notes VALUES (1, 'my note', '${T}');
INSERT INTO profile_delivery (profile, email, cadence, weekday, webhook_url, item_limit, updated_at)
  VALUES ('ml', '["ada@lab.example"]', 'weekly', 'fri', 'https://hooks.example/x', 5, '${T}');
INSERT INTO sources (kind, category, backfill_days, added_at, last_error) VALUES ('arxiv', 'cs.LG', 7, '${T}', 'offline'), ('hf', '', 2, '${T}', NULL);
`;

async function expectNothingLost(store: Store) {
  // Before any account: the store as opened sees it all.
  expect((await store.profiles.listProfiles()).map((p) => p.name)).toEqual(['ml', 'nlp']);
  expect(await store.profiles.feedback(7)).toEqual([{ pk: 1, action: 'like', at: T }]);
  expect(await store.profiles.profilePapers(7)).toHaveLength(1);
  expect((await store.library.getNote(1))?.text).toBe('my note');
  expect((await store.library.getCollection('Reading'))?.papers).toBe(1);
  expect(await store.settings.getDelivery('ml')).toEqual({
    email: ['ada@lab.example'],
    cadence: 'weekly',
    weekday: 'fri',
    webhookUrl: 'https://hooks.example/x',
    limit: 5,
    updatedAt: T,
  });
  expect(await store.settings.getDelivery('nlp')).toBeUndefined();
  expect((await store.settings.listSources()).map((s) => [s.kind, s.category, s.lastError])).toEqual([
    ['arxiv', 'cs.LG', 'offline'],
    ['hf', '', undefined],
  ]);

  // The first admin adopts all of it; a member sees none, and may use the same names.
  const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, T);
  const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, T);
  const asAda = store.forOwner(ada.userId);
  const asBob = store.forOwner(bob.userId);
  expect((await asAda.profiles.getProfile('ml'))?.profileId).toBe(7);
  expect((await asAda.settings.getDelivery('ml'))?.cadence).toBe('weekly');
  expect(await asAda.settings.listSources()).toHaveLength(2);
  expect(await asBob.profiles.listProfiles()).toEqual([]);
  expect(await asBob.settings.listDeliveries()).toEqual([]);
  expect(await asBob.settings.listSources()).toEqual([]);
  await asBob.profiles.createProfile('ml', {}, T);
  expect(await asBob.settings.putDelivery('ml', { email: ['bob@lab.example'], cadence: 'daily', weekday: 'mon', limit: 10 }, T)).toBe(true);
  expect((await asBob.settings.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 7 }, T)).created).toBe(true);
  expect((await asAda.settings.getDelivery('ml'))?.email).toEqual(['ada@lab.example']);
  expect((await asBob.settings.getDelivery('ml'))?.email).toEqual(['bob@lab.example']);
  // The fetch schedule serves every account's sources.
  expect(await store.settings.listAllSources()).toHaveLength(3);

  // Foreign keys hold after the rebuild: deleting a profile takes its feedback and delivery with it.
  expect(await asAda.profiles.deleteProfile(7)).toBe(true);
  expect(await store.profiles.feedback(7)).toEqual([]);
  expect(await asAda.settings.getDelivery('ml')).toBeUndefined();
  expect((await asBob.settings.getDelivery('ml'))?.cadence).toBe('daily');
}

describe('migration 8 (accounts) on a version-7 database', () => {
  it('[sqlite] keeps profiles, feedback, notes, collections, delivery settings and sources', async () => {
    const file = join(tempDir(), 'radar.db');
    const old = sqliteAt(file, 7);
    old.exec(`INSERT INTO papers (pk, id, data, title_rank, fingerprint, added_at, modified_at, seq) VALUES (1, 'arxiv:2501.00001', '{}', 0, 'f', '${T}', '${T}', 1);`);
    old.exec(V6_ROWS);
    old.close();
    const store = new SqliteStore(file);
    try {
      await expectNothingLost(store);
    } finally {
      await store.close();
    }
  });

  const unavailable = postgresUnavailable();
  it.skipIf(!!unavailable)(`[postgres] keeps profiles, feedback, notes, collections, delivery settings and sources${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      await postgresAt(db.url, 7, async (pool) => {
        await pool.query(`INSERT INTO papers (pk, id, data, title_rank, fingerprint, added_at, modified_at, seq) VALUES (1, 'arxiv:2501.00001', '{}', 0, 'f', '${T}', '${T}', 1)`);
        await pool.query(V6_ROWS);
      });
      const store = await PostgresStore.open(db.url);
      try {
        await expectNothingLost(store);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});
