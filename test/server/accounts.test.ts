/**
 * Accounts over HTTP: which hosts are answered, when sign-in is needed, CSRF
 * tokens, API tokens, invites, and that each account sees only its own data.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addUser } from '../../src/app/accounts.ts';
import { buildServer } from '../../src/cli/http-app.ts';
import { buildApp } from '../../src/http/app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FIXTURE, NOW } from './helpers.ts';

const PASSWORD = 'correct horse battery';

async function server(opts: { admin?: boolean; allowedHosts?: string[] } = {}) {
  const store = new SqliteStore(join(tempDir('radar-accounts-'), 'radar.db'), { now: () => NOW });
  await store.papers.upsertPapers(FIXTURE, NOW.toISOString());
  if (opts.admin) await addUser(store, 'ada', PASSWORD, 'admin', NOW);
  const s = await buildServer({ store, now: () => NOW, log: () => {}, allowedHosts: opts.allowedHosts });
  onTestFinished(async () => {
    await s.close();
    await store.close();
  });
  return { store, app: s.app };
}

type App = Awaited<ReturnType<typeof server>>['app'];

/** Signs in through the form; returns the cookie header and the page's CSRF token. */
async function signIn(app: App, name: string, password = PASSWORD) {
  const r = await app.inject({ method: 'POST', url: '/signin', payload: { name, password, next: '/profiles' } });
  expect(r.statusCode).toBe(303);
  expect(r.headers.location).toBe('/profiles');
  const setCookie = String(r.headers['set-cookie']);
  expect(setCookie).toMatch(/HttpOnly; SameSite=Lax/);
  const cookie = setCookie.split(';')[0];
  const page = await app.inject({ url: '/collections', headers: { cookie } });
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf! };
}

describe('requests from elsewhere', () => {
  it('refuses a foreign Host before any handler runs, even with same-origin headers (DNS rebinding)', async () => {
    const store = new SqliteStore(join(tempDir('radar-accounts-'), 'radar.db'), { now: () => NOW });
    onTestFinished(() => store.close());
    let ran = 0;
    const app = await buildApp(
      { store, now: () => NOW, log: () => {}, allowedHosts: ['radar.lab.example'] },
      {
        pages: [
          (a) => {
            a.post('/probe', async () => ({ ran: ++ran }));
            a.get('/probe', async () => ({ ran: ++ran }));
          },
        ],
      },
    );
    onTestFinished(() => app.close());
    for (const method of ['GET', 'POST'] as const) {
      const r = await app.inject({
        method,
        url: '/probe',
        headers: { host: 'attacker.example:8080', origin: 'http://attacker.example:8080', 'sec-fetch-site': 'same-origin' },
        payload: method === 'POST' ? { x: 1 } : undefined,
      });
      expect(r.statusCode).toBe(421);
      expect(r.json().error.message).toMatch(/does not answer to the name "attacker.example:8080"/);
    }
    expect(ran).toBe(0);
    expect((await app.inject({ url: '/probe', headers: { host: 'radar.lab.example' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/probe', headers: { host: '127.0.0.1:8080' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/probe', headers: { host: '[::1]:8080' } })).statusCode).toBe(200);
    expect(ran).toBe(3);
  });

  it('answers a foreign Host with 421 and changes nothing through the real routes', async () => {
    const { app, store } = await server();
    const r = await app.inject({ method: 'POST', url: '/api/collections', headers: { host: 'evil.example', origin: 'http://evil.example' }, payload: { name: 'x' } });
    expect(r.statusCode).toBe(421);
    expect(await store.library.listCollections()).toEqual([]);
  });

  it('refuses a change from Origin: null', async () => {
    const { app, store } = await server();
    const r = await app.inject({ method: 'POST', url: '/collections', headers: { origin: 'null' }, payload: { name: 'x' } });
    expect(r.statusCode).toBe(403);
    expect(await store.library.listCollections()).toEqual([]);
  });
});

describe('sign-in', () => {
  it('is not needed on loopback while there are no accounts', async () => {
    const { app } = await server();
    expect((await app.inject({ url: '/api/profiles' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me' })).json()).toEqual({ user: null, via: 'local' });
    expect((await app.inject({ method: 'POST', url: '/api/collections', payload: { name: 'Reading' } })).statusCode).toBe(201);
  });

  it('is needed for every API and page request once an account exists (401; pages show the sign-in form)', async () => {
    const { app } = await server({ admin: true });
    for (const url of ['/api/profiles', '/api/collections', '/api/papers', '/api/openapi.json', '/api/nothing-here']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await app.inject({ method: 'POST', url: '/api/collections', payload: { name: 'x' } })).statusCode).toBe(401);
    const page = await app.inject({ url: '/collections?x=1' });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('action="/signin"');
    expect(page.body).toContain('name="next" value="/collections?x=1"');
    expect((await app.inject({ method: 'POST', url: '/collections', payload: { name: 'x' } })).statusCode).toBe(401);
    // What signing in and health checks need stays public.
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/signin' })).statusCode).toBe(200);
    const css = /href="(\/assets\/app\.css[^"]*)"/.exec(page.body)![1];
    expect((await app.inject({ url: css })).statusCode).toBe(200);
  });

  it('signs in with the right password only, and signs out', async () => {
    const { app } = await server({ admin: true });
    const wrong = await app.inject({ method: 'POST', url: '/signin', payload: { name: 'ada', password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Wrong name or password.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await app.inject({ method: 'POST', url: '/signin', payload: { name: 'nobody', password: PASSWORD } });
    expect(unknown.body).toContain('Wrong name or password.');
    // Only local paths are followed after sign-in.
    const offsite = await app.inject({ method: 'POST', url: '/signin', payload: { name: 'ada', password: PASSWORD, next: '//evil.example/' } });
    expect(offsite.headers.location).toBe('/');

    const { cookie, csrf } = await signIn(app, 'ada');
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).json()).toMatchObject({ user: { name: 'ada', role: 'admin' }, via: 'session' });
    const out = await app.inject({ method: 'POST', url: '/signout', headers: { cookie }, payload: { _csrf: csrf } });
    expect(out.statusCode).toBe(303);
    expect((await app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('requires the session CSRF token on every change made with the cookie', async () => {
    const { app, store } = await server({ admin: true });
    const { cookie, csrf } = await signIn(app, 'ada');
    // Forms carry it; without it (or with another) nothing changes.
    const page = await app.inject({ url: '/collections', headers: { cookie } });
    expect(page.body).toContain(`<form class="panel row" method="post" action="/collections"><input type="hidden" name="_csrf" value="${csrf}">`);
    expect((await app.inject({ method: 'POST', url: '/collections', headers: { cookie }, payload: { name: 'A' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/collections', headers: { cookie }, payload: { name: 'A', _csrf: 'x'.repeat(csrf.length) } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/collections', headers: { cookie }, payload: { name: 'A' } })).statusCode).toBe(403);
    expect(await store.library.listCollections()).toEqual([]);
    expect((await app.inject({ method: 'POST', url: '/collections', headers: { cookie }, payload: { name: 'A', _csrf: csrf } })).statusCode).toBe(303);
    expect((await app.inject({ method: 'POST', url: '/api/collections', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'B' } })).statusCode).toBe(201);
    // Multipart forms carry it in their action (their bodies are read by the handler as a stream).
    const importPage = await app.inject({ url: '/import', headers: { cookie } });
    expect(importPage.body).toMatch(new RegExp(`action="/import\\?_csrf=${csrf}"`));
    expect((await store.library.listCollections()).map((c) => c.name)).toEqual(['A', 'B']);
  });
});

describe('API tokens', () => {
  it('act as their owner without a CSRF token, and stop working when revoked', async () => {
    const { app } = await server({ admin: true });
    const { cookie, csrf } = await signIn(app, 'ada');
    const made = await app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'cron' } });
    expect(made.statusCode).toBe(201);
    const { token, tokenId } = made.json();
    expect(token).toMatch(/^radar_/);
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/me', headers: auth })).json()).toMatchObject({ user: { name: 'ada' }, via: 'token' });
    expect((await app.inject({ method: 'POST', url: '/api/collections', headers: auth, payload: { name: 'From a script' } })).statusCode).toBe(201);
    expect((await app.inject({ url: '/api/tokens', headers: auth })).json().tokens).toMatchObject([{ tokenId, name: 'cron' }]);
    expect((await app.inject({ method: 'DELETE', url: `/api/tokens/${tokenId}`, headers: auth })).statusCode).toBe(200);
    const after = await app.inject({ url: '/api/me', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/not valid/);
    // A wrong token is an error even where no sign-in is needed.
    const { app: open } = await server();
    expect((await open.inject({ url: '/api/profiles', headers: { authorization: 'Bearer radar_nope' } })).statusCode).toBe(401);
  });
});

describe('members', () => {
  it('join by an invite link used once, and each sees only their own profiles, notes and collections', async () => {
    const { app, store } = await server({ admin: true });
    const ada = await signIn(app, 'ada');
    const adaH = { cookie: ada.cookie, 'x-csrf-token': ada.csrf };
    const inv = await app.inject({ method: 'POST', url: '/api/invites', headers: { ...adaH, host: 'localhost:8080' }, payload: { role: 'member' } });
    expect(inv.statusCode).toBe(201);
    const url = new URL(inv.json().url);
    expect(url.origin).toBe('http://localhost:8080');
    expect((await app.inject({ url: url.pathname })).body).toContain('Create my account');
    const joined = await app.inject({ method: 'POST', url: url.pathname, payload: { name: 'bob', password: 'bobs password 1' } });
    expect(joined.statusCode).toBe(303);
    expect((await app.inject({ method: 'POST', url: url.pathname, payload: { name: 'eve', password: 'eves password 1' } })).statusCode).toBe(410);
    const bob = await signIn(app, 'bob', 'bobs password 1');
    const bobH = { cookie: bob.cookie, 'x-csrf-token': bob.csrf };

    // Same profile name for both; each sees their own.
    for (const [h, id] of [
      [adaH, '2510.00001'],
      [bobH, '2510.00002'],
    ] as const) {
      expect((await app.inject({ method: 'POST', url: '/api/profiles', headers: h, payload: { name: 'ml', arxivIds: [id] } })).statusCode).toBe(201);
    }
    const adaMl = (await app.inject({ url: '/api/profiles/ml', headers: adaH })).json();
    const bobMl = (await app.inject({ url: '/api/profiles/ml', headers: bobH })).json();
    expect(JSON.stringify(adaMl)).toContain('2510.00001');
    expect(JSON.stringify(adaMl)).not.toContain('2510.00002');
    expect(JSON.stringify(bobMl)).toContain('2510.00002');
    expect((await app.inject({ method: 'POST', url: '/api/profiles', headers: adaH, payload: { name: 'only-ada', arxivIds: ['2510.00004'] } })).statusCode).toBe(201);
    // Each has an RSS feed of their own "ml" at a URL whose token names the account; it needs no sign-in.
    const bobFeed = bobMl.feedPath as string;
    expect(bobFeed).toMatch(/^\/api\/feeds\/ml\/u\d+-[A-Za-z0-9_-]{24}\.rss$/);
    expect(bobFeed).not.toBe(adaMl.feedPath);
    const rss = await app.inject({ url: bobFeed });
    expect(rss.statusCode).toBe(200);
    expect(rss.body).toContain('<rss');
    // Another account's id with Bob's signature is not a feed.
    const forged = bobFeed.replace(/\/u(\d+)-/, (_m, id) => `/u${Number(id) === 1 ? 3 : 1}-`);
    expect((await app.inject({ url: forged })).statusCode).toBe(404);
    // Another's profile is "not found", not "forbidden": names do not leak.
    expect((await app.inject({ url: '/api/profiles/only-ada', headers: bobH })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/profiles/only-ada/feed', headers: bobH })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/profiles/only-ada', headers: bobH })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/profiles/only-ada/feedback', headers: bobH, payload: { id: 'arxiv:2510.00002', action: 'like' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/profiles', headers: bobH })).json().profiles.map((p: { name: string }) => p.name)).toEqual(['ml']);

    await app.inject({ method: 'PUT', url: '/api/papers/arxiv%3A2510.00001/note', headers: adaH, payload: { text: 'ada only' } });
    expect((await app.inject({ url: '/api/papers/arxiv%3A2510.00001/note', headers: bobH })).json().note).toBeNull();
    await app.inject({ method: 'POST', url: '/api/collections', headers: adaH, payload: { name: 'Ada reads' } });
    expect((await app.inject({ url: '/api/collections/Ada%20reads', headers: bobH })).statusCode).toBe(404);
    const bobPage = await app.inject({ url: '/profiles', headers: { cookie: bob.cookie } });
    expect(bobPage.body).not.toContain('only-ada');
    expect(bobPage.body).toContain('>bob<');

    // Members cannot invite or remove; admins can remove members with their data.
    expect((await app.inject({ method: 'POST', url: '/api/invites', headers: bobH, payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/api/users/ada', headers: bobH })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/api/users/ada', headers: adaH })).statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: '/api/users/bob', headers: adaH })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: bobH })).statusCode).toBe(401);
    expect((await store.accounts.listUsers()).map((u) => u.name)).toEqual(['ada']);
    expect((await app.inject({ url: '/api/profiles/ml', headers: adaH })).statusCode).toBe(200);
  });

  it('change their password; the old one and their other sessions stop working', async () => {
    const { app } = await server({ admin: true });
    const one = await signIn(app, 'ada');
    const two = await signIn(app, 'ada');
    const bad = await app.inject({ method: 'POST', url: '/account/password', headers: { cookie: one.cookie }, payload: { _csrf: one.csrf, current: 'wrong', password: 'a new password' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('the current password is wrong');
    const ok = await app.inject({ method: 'POST', url: '/account/password', headers: { cookie: one.cookie }, payload: { _csrf: one.csrf, current: PASSWORD, password: 'a new password' } });
    expect(ok.statusCode).toBe(303);
    expect((await app.inject({ url: '/api/me', headers: { cookie: one.cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/me', headers: { cookie: two.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/signin', payload: { name: 'ada', password: PASSWORD } })).statusCode).toBe(401);
    await signIn(app, 'ada', 'a new password');
  });
});
