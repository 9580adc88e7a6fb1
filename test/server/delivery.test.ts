/** Delivery settings over the API: stored per profile, checked field by field, with feed links at the address the app is reached at. */
import { describe, expect, it } from 'vitest';
import { requestOrigin } from '../../src/digest/public-url.ts';
import { testServer } from './helpers.ts';

describe('/api/profiles/NAME/delivery', () => {
  it('starts off, takes e-mail, cadence and webhook, refuses bad values naming the field, and links at the request host', async () => {
    const { app } = await testServer({ allowedHosts: ['radar.lab.example'] });
    expect((await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00001'] } })).statusCode).toBe(201);
    const first = await app.inject({ url: '/api/profiles/p/delivery', headers: { host: 'radar.lab.example:3000' } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ profile: 'p', stored: { cadence: 'off', email: [] }, effective: { cadence: 'off', origin: 'default' }, overriddenByConfig: false });
    expect(first.json().feeds.rss).toMatch(/^http:\/\/radar\.lab\.example:3000\/api\/feeds\/p\/[A-Za-z0-9_-]+\.rss$/);

    const bad = await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { email: 'not-an-address' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'email', message: expect.stringMatching(/"not-an-address" is not an e-mail address/) });
    expect((await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { webhookUrl: 'ftp://x' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { cadence: 'hourly' } })).statusCode).toBe(400);

    const put = await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { email: 'ada@lab.example', cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/radar' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      stored: { email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri', webhookUrl: 'https://hooks.example/radar' },
      effective: { frequency: 'weekly', weekday: 'fri', email: { to: ['ada@lab.example'] }, webhook: { url: 'https://hooks.example/radar' }, origin: 'database' },
    });
    // No SMTP in this app: the answer says mail cannot go out yet.
    expect(put.json().warnings.join(' ')).toMatch(/no SMTP server is configured/);
    // Absent fields keep their value; an empty webhook removes it.
    const again = (await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { webhookUrl: '' } })).json();
    expect(again.stored).toMatchObject({ email: ['ada@lab.example'], cadence: 'weekly' });
    expect(again.stored.webhookUrl).toBeUndefined();

    expect((await app.inject({ url: '/api/profiles/nobody/delivery' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: '/api/profiles/nobody/delivery', payload: { cadence: 'daily' } })).statusCode).toBe(404);
  });

  it('says which channels a mailed link unsubscribed, and saving the settings turns them on again', async () => {
    const { app, store } = await testServer();
    await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00001'] } });
    await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { email: 'ada@lab.example', cadence: 'daily' } });
    await store.digests.setUnsubscribed('p', 'email', true, new Date().toISOString());
    const view = (await app.inject({ url: '/api/profiles/p/delivery' })).json();
    expect(view.unsubscribed).toEqual(['email']);
    expect(view.warnings.join(' ')).toMatch(/unsubscribed from email digests by a mailed link: saving these settings turns them on again/);
    const saved = (await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { cadence: 'weekly' } })).json();
    expect(saved.unsubscribed).toEqual([]);
    expect(await store.digests.isUnsubscribed('p', 'email')).toBe(false);
    // Turning delivery off is not asking for mail: an unsubscribe stays.
    await store.digests.setUnsubscribed('p', 'email', true, new Date().toISOString());
    await app.inject({ method: 'PUT', url: '/api/profiles/p/delivery', payload: { cadence: 'off' } });
    expect(await store.digests.isUnsubscribed('p', 'email')).toBe(true);
  });

  it('previews the digest of a profile nobody configured, saying which days', async () => {
    const { app } = await testServer();
    await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00001'] } });
    const r = await app.inject({ url: '/api/profiles/p/digest', headers: { host: 'localhost:4321' } });
    expect(r.statusCode).toBe(200);
    // The fixture's newest listing day is 2025-10-09 (the clock says 2025-10-10).
    expect(r.json()).toMatchObject({ window: { from: '2025-10-03', to: '2025-10-09' }, settingsFrom: 'default', cadence: 'off' });
    expect(r.json().covers).toBe('the last 7 days ending at the newest listing day: 2025-10-03 – 2025-10-09');
    for (const it of r.json().items) expect(it.url.startsWith('https://arxiv.org/') || it.url.startsWith('http://localhost:4321/')).toBe(true);
  });
});

describe('requestOrigin', () => {
  it('takes a plain host[:port] and refuses anything else', () => {
    expect(requestOrigin('http', 'radar.example.org')).toBe('http://radar.example.org');
    expect(requestOrigin('https', 'Radar.Example.org:8443')).toBe('https://radar.example.org:8443');
    expect(requestOrigin('http', '[::1]:8080')).toBe('http://[::1]:8080');
    expect(requestOrigin('http', 'evil.example/path')).toBeUndefined();
    expect(requestOrigin('http', 'a"><script>')).toBeUndefined();
    expect(requestOrigin('http', 'host:99999')).toBeUndefined();
    expect(requestOrigin('http', undefined)).toBeUndefined();
  });
});
