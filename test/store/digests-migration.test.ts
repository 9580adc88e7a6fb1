/**
 * Migration 9 on a database a version-8 Paper Radar left behind: sent digests
 * and unsubscribes gain an owner, the local admin's (the only digests sent
 * until then), and nothing is lost on either backend; afterwards a member's
 * profile of the same name has its own history and unsubscribes.
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

/**
 * A version-8 database: an admin (user 5) and a member (6), the admin's profile "ml", two sent digests
 * and one that failed, an unsubscribe; and records of a profile deleted since ("old"), which stay too.
 */
const V8_ROWS = `
INSERT INTO users (user_id, name, password_hash, role, created_at, password_at) VALUES (5, 'ada', 'h', 'admin', '${T}', '${T}'), (6, 'bob', 'h', 'member', '${T}', '${T}');
INSERT INTO profiles (profile_id, name, settings, created_at, updated_at, owner_id) VALUES (7, 'ml', '{}', '${T}', '${T}', 5);
INSERT INTO digests (id, profile, channel, window_from, window_to, state, reserved_by, reserved_at, sent_at, items, message_id, error) VALUES
  (1, 'ml', 'email', '2025-03-03', '2025-03-03', 'sent', 'w1', '${T}', '${T}', 4, '<digest.a@lab.example>', NULL),
  (2, 'ml', 'webhook', '2025-03-03', '2025-03-03', 'failed', 'w1', '${T}', NULL, NULL, NULL, 'webhook POST → 500'),
  (3, 'old', 'email', '2025-02-01', '2025-02-03', 'sent', 'w2', '${T}', '${T}', 2, '<digest.b@lab.example>', NULL);
INSERT INTO digest_unsubscribes (profile, channel, at) VALUES ('ml', 'webhook', '${T}'), ('old', 'email', '${T}');
`;

async function expectNothingLost(store: Store) {
  // The local admin (the store as opened, and the first admin's view) has every record.
  for (const view of [store, store.forOwner(5)]) {
    expect((await view.digests.listDigests({})).map((d) => [d.id, d.profile, d.channel, d.windowFrom, d.windowTo, d.state, d.items, d.messageId, d.error])).toEqual([
      [3, 'old', 'email', '2025-02-01', '2025-02-03', 'sent', 2, '<digest.b@lab.example>', undefined],
      [2, 'ml', 'webhook', '2025-03-03', '2025-03-03', 'failed', undefined, undefined, 'webhook POST → 500'],
      [1, 'ml', 'email', '2025-03-03', '2025-03-03', 'sent', 4, '<digest.a@lab.example>', undefined],
    ]);
    expect(await view.digests.isUnsubscribed('ml', 'webhook')).toBe(true);
    expect(await view.digests.isUnsubscribed('old', 'email')).toBe(true);
    expect(await view.digests.isUnsubscribed('ml', 'email')).toBe(false);
  }
  // The sent digest still takes its window for the admin; the failed one can be reserved again.
  expect((await store.digests.reserveDigest({ profile: 'ml', channel: 'email', windowFrom: '2025-03-03', windowTo: '2025-03-03', by: 'w3' }, T)).reserved).toBe(false);
  expect((await store.digests.reserveDigest({ profile: 'ml', channel: 'webhook', windowFrom: '2025-03-03', windowTo: '2025-03-03', by: 'w3' }, T)).reserved).toBe(true);

  // The member has none of it, and the same profile name and window are free for them.
  const bob = store.forOwner(6);
  expect(await bob.digests.listDigests({})).toEqual([]);
  expect(await bob.digests.isUnsubscribed('ml', 'webhook')).toBe(false);
  const r = await bob.digests.reserveDigest({ profile: 'ml', channel: 'email', windowFrom: '2025-03-03', windowTo: '2025-03-03', by: 'w3' }, T);
  expect(r).toMatchObject({ reserved: true, record: { profile: 'ml', state: 'sending' } });
  await bob.digests.setUnsubscribed('ml', 'email', true, T);
  expect(await store.digests.isUnsubscribed('ml', 'email')).toBe(false);
  // Another account cannot finish the member's record.
  await store.digests.finishDigest(r.record.id, { state: 'sent', items: 1 }, T);
  expect((await bob.digests.listDigests({}))[0].state).toBe('sending');

  // Removing the member removes its records and unsubscribes, not the admin's.
  expect(await store.accounts.removeUser(6)).toBe(true);
  expect(await store.digests.listDigests({})).toHaveLength(3);
  expect(await store.forOwner(6).digests.listDigests({})).toEqual([]);
  expect(await store.forOwner(6).digests.isUnsubscribed('ml', 'email')).toBe(false);
}

describe('migration 9 (owned digests) on a version-8 database', () => {
  it('[sqlite] keeps every sent digest and unsubscribe, as the local admin\'s', async () => {
    const file = join(tempDir(), 'radar.db');
    const old = sqliteAt(file, 8);
    old.exec(V8_ROWS);
    old.close();
    const store = new SqliteStore(file);
    try {
      await expectNothingLost(store);
    } finally {
      await store.close();
    }
  });

  it('[sqlite] before any account, the records are owner 0\'s and the first admin adopts them', async () => {
    const file = join(tempDir(), 'radar.db');
    const old = sqliteAt(file, 8);
    old.exec(`INSERT INTO digests (profile, channel, window_from, window_to, state, reserved_by, reserved_at) VALUES ('ml', 'email', '2025-03-03', '2025-03-03', 'sent', 'w', '${T}');
INSERT INTO digest_unsubscribes (profile, channel, at) VALUES ('ml', 'webhook', '${T}');`);
    old.close();
    const store = new SqliteStore(file);
    try {
      expect(await store.digests.listDigests({})).toHaveLength(1);
      const member = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, T);
      const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, T);
      expect(await store.forOwner(ada.userId).digests.listDigests({})).toHaveLength(1);
      expect(await store.forOwner(ada.userId).digests.isUnsubscribed('ml', 'webhook')).toBe(true);
      expect(await store.forOwner(member.userId).digests.listDigests({})).toEqual([]);
    } finally {
      await store.close();
    }
  });

  const unavailable = postgresUnavailable();
  it.skipIf(!!unavailable)(`[postgres] keeps every sent digest and unsubscribe, as the local admin's${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      await postgresAt(db.url, 8, async (pool) => {
        await pool.query(V8_ROWS);
        // Identity columns continue after the copied values, as radar migrate leaves them.
        await pool.query("SELECT setval(pg_get_serial_sequence('digests', 'id'), 3)");
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
