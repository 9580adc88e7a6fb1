import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { resolveSecret, signLink } from '../../src/digest/tokens.ts';
import { NOW, testServer } from './helpers.ts';

describe('one-click links from digests', () => {
  it('act once: a replay, even after the reaction was undone, changes nothing', async () => {
    const { store, app } = await testServer();
    const profile = await store.profiles.createProfile('ada', {}, NOW.toISOString());
    const secret = await resolveSecret(defaultConfig().secret, store.jobs, NOW);
    const link = `/api/actions/${signLink(secret, { p: 'ada', a: 'like', id: 'arxiv:2510.00001' }, NOW)}`;
    const post = () => app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });

    const first = await post();
    expect(first.statusCode).toBe(200);
    expect((await store.profiles.feedback(profile.profileId)).map((f) => f.action)).toEqual(['like']);

    const undo = await app.inject({ method: 'DELETE', url: '/api/profiles/ada/feedback?id=arxiv:2510.00001&action=like' });
    expect(undo.json()).toEqual({ removed: true });

    const replay = await post();
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toMatch(/already used/);
    expect(await store.profiles.feedback(profile.profileId)).toEqual([]);
  });

  it('a link whose action failed (its paper is gone) is not used up', async () => {
    const { store, app } = await testServer();
    await store.profiles.createProfile('ada', {}, NOW.toISOString());
    const secret = await resolveSecret(defaultConfig().secret, store.jobs, NOW);
    const link = `/api/actions/${signLink(secret, { p: 'ada', a: 'like', id: 'arxiv:2510.99999' }, NOW)}`;
    const post = () => app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect((await post()).statusCode).toBe(404);
    expect((await post()).statusCode).toBe(404);
  });
});
