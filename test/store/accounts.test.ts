import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const NOW = '2026-03-01T12:00:00.000Z';
const LATER = '2026-03-02T12:00:00.000Z';
const FAR = '2099-01-01T00:00:00.000Z';
const src = (n: number) => ({ kind: 'manual' as const, locator: `t:${n}`, seenAt: NOW });

describeEachBackend('accounts', (backend) => {
  it('gives the data made before any account to the first admin, and each account only its own', async () => {
    const store = await backend.open();
    const { outcomes } = await store.papers.upsertPapers([{ arxivId: '2501.00001', title: 'Shared paper', source: src(1) }], NOW);
    const pk = outcomes[0].pk;
    await store.profiles.createProfile('ml', {}, NOW);
    await store.library.putNote(pk, 'old note', NOW);
    await store.library.ensureCollection('Reading', NOW);
    expect(await store.accounts.countUsers()).toBe(0);

    // A member created before any admin does not adopt the old data.
    const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h-bob', role: 'member' }, NOW);
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h-ada', role: 'admin' }, NOW);
    const cy = await store.accounts.createUser({ name: 'cy', passwordHash: 'h-cy', role: 'admin' }, NOW);
    await expect(store.accounts.createUser({ name: 'ada', passwordHash: 'x', role: 'member' }, NOW)).rejects.toThrow(/already an account named "ada"/);
    expect((await store.accounts.listUsers()).map((u) => [u.name, u.role])).toEqual([
      ['ada', 'admin'],
      ['bob', 'member'],
      ['cy', 'admin'],
    ]);

    const asAda = store.forOwner(ada.userId);
    const asBob = store.forOwner(bob.userId);
    expect((await asAda.profiles.listProfiles()).map((p) => p.name)).toEqual(['ml']);
    expect((await asAda.library.getNote(pk))?.text).toBe('old note');
    expect((await asAda.library.listCollections()).map((c) => c.name)).toEqual(['Reading']);
    // The store as opened acts for the first admin (what the CLI and digests do).
    expect((await store.profiles.listProfiles()).map((p) => p.name)).toEqual(['ml']);
    expect(await store.forOwner(cy.userId).profiles.listProfiles()).toEqual([]);

    // Bob sees none of it, and his names do not collide with Ada's.
    expect(await asBob.profiles.listProfiles()).toEqual([]);
    expect(await asBob.profiles.getProfile('ml')).toBeUndefined();
    expect(await asBob.library.getNote(pk)).toBeUndefined();
    expect(await asBob.library.getCollection('Reading')).toBeUndefined();
    const bobsMl = await asBob.profiles.createProfile('ml', { rules: { must: ['graphs'] } }, NOW);
    await asBob.library.putNote(pk, 'bob note', NOW);
    const bobsReading = await asBob.library.ensureCollection('Reading', NOW);
    await expect(asBob.profiles.createProfile('ml', {}, NOW)).rejects.toThrow(/already exists/);
    expect((await asAda.library.getNote(pk))?.text).toBe('old note');
    expect((await asBob.library.getNote(pk))?.text).toBe('bob note');
    expect((await asAda.profiles.getProfile('ml'))?.settings).toEqual({});

    // Ids from another owner's lookup do nothing through this owner's view.
    expect(await asAda.profiles.deleteProfile(bobsMl.profileId)).toBe(false);
    expect(await asAda.profiles.updateProfileSettings(bobsMl.profileId, { rules: { never: ['x'] } }, NOW)).toBeUndefined();
    expect(await asAda.library.deleteCollection(bobsReading.collectionId)).toBe(false);
    expect((await asBob.profiles.getProfile('ml'))?.settings).toEqual({ rules: { must: ['graphs'] } });

    // Removing Bob removes his data and nobody else's.
    expect(await store.accounts.removeUser(bob.userId)).toBe(true);
    expect(await store.accounts.removeUser(bob.userId)).toBe(false);
    expect(await asBob.profiles.listProfiles()).toEqual([]);
    expect(await asBob.library.getNote(pk)).toBeUndefined();
    expect((await asAda.profiles.listProfiles()).map((p) => p.name)).toEqual(['ml']);
    expect((await asAda.library.getNote(pk))?.text).toBe('old note');
  });

  it('keeps sessions until they expire or end, and ends the others after a password change', async () => {
    const store = await backend.open();
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h1', role: 'admin' }, NOW);
    await store.accounts.createSession({ tokenHash: 's1', userId: ada.userId, csrf: 'c1', expiresAt: LATER }, NOW);
    await store.accounts.createSession({ tokenHash: 's2', userId: ada.userId, csrf: 'c2', expiresAt: FAR }, NOW);
    expect(await store.accounts.getSession('s1', NOW)).toEqual({ userId: ada.userId, csrf: 'c1', expiresAt: LATER });
    expect(await store.accounts.getSession('s1', LATER)).toBeUndefined();
    expect(await store.accounts.getSession('nope', NOW)).toBeUndefined();
    await store.accounts.setPassword(ada.userId, 'h2', LATER);
    expect(await store.accounts.getUser('ada')).toMatchObject({ passwordHash: 'h2', passwordAt: LATER });
    expect(await store.accounts.deleteSessions(ada.userId, 's2')).toBe(1);
    expect(await store.accounts.getSession('s2', NOW)).toBeDefined();
    await store.accounts.deleteSession('s2');
    expect(await store.accounts.getSession('s2', NOW)).toBeUndefined();
  });

  it('finds API tokens by hash until revoked, and only their owner revokes them', async () => {
    const store = await backend.open();
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, NOW);
    const bob = await store.accounts.createUser({ name: 'bob', passwordHash: 'h', role: 'member' }, NOW);
    const t = await store.accounts.createApiToken({ userId: bob.userId, name: 'cron', tokenHash: 'th' }, NOW);
    expect(await store.accounts.useApiToken('th', LATER)).toEqual({ tokenId: t.tokenId, userId: bob.userId });
    expect(await store.accounts.listApiTokens(bob.userId)).toEqual([{ tokenId: t.tokenId, userId: bob.userId, name: 'cron', createdAt: NOW, lastUsedAt: LATER }]);
    expect(await store.accounts.revokeApiToken(ada.userId, t.tokenId)).toBe(false);
    expect(await store.accounts.revokeApiToken(bob.userId, t.tokenId)).toBe(true);
    expect(await store.accounts.useApiToken('th', LATER)).toBeUndefined();
  });

  it('uses an invite once, and keeps it when the chosen name is taken', async () => {
    const store = await backend.open();
    const ada = await store.accounts.createUser({ name: 'ada', passwordHash: 'h', role: 'admin' }, NOW);
    await store.accounts.createInvite({ tokenHash: 'i1', role: 'member', invitedBy: ada.userId, expiresAt: LATER }, NOW);
    expect(await store.accounts.getInvite('i1', NOW)).toEqual({ role: 'member', invitedBy: ada.userId, createdAt: NOW, expiresAt: LATER });
    await expect(store.accounts.acceptInvite('i1', { name: 'ada', passwordHash: 'x' }, NOW)).rejects.toThrow(/already an account/);
    const bob = await store.accounts.acceptInvite('i1', { name: 'bob', passwordHash: 'hb' }, NOW);
    expect(bob).toMatchObject({ name: 'bob', role: 'member' });
    expect(await store.accounts.acceptInvite('i1', { name: 'eve', passwordHash: 'he' }, NOW)).toBeUndefined();
    await store.accounts.createInvite({ tokenHash: 'i2', role: 'member', expiresAt: LATER }, NOW);
    expect(await store.accounts.acceptInvite('i2', { name: 'late', passwordHash: 'h' }, LATER)).toBeUndefined();
    expect((await store.accounts.listUsers()).map((u) => u.name)).toEqual(['ada', 'bob']);
  });
});
