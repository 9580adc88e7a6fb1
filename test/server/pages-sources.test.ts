/** The Sources page and a profile's delivery settings, through their no-script forms. */
import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (payload: Record<string, string>) => ({ method: 'POST' as const, headers: FORM, payload: new URLSearchParams(payload).toString() });

describe('web pages: sources', () => {
  it('follows a category with a queued back-fill, refuses what is not a source, and unfollows', async () => {
    const { app, store } = await testServer({ seed: false });
    const empty = await app.inject({ url: '/sources' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No sources followed yet');
    expect(empty.body).toContain('class="nav-sources" aria-current="page"');

    const bad = await app.inject({ url: '/sources', ...post({ source: 'not a category', days: '7' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is neither an arXiv category');
    expect(bad.body).toContain('value="not a category"');
    expect(await store.settings.listSources()).toHaveLength(0);

    const r = await app.inject({ url: '/sources', ...post({ source: 'cs.LG', days: '3' }) });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/sources?flash=followed');
    const page = await app.inject({ url: r.headers.location as string });
    expect(page.body).toContain('arXiv cs.LG');
    expect(page.body).toContain('Not fetched yet');
    expect(page.body).toMatch(/next run <time[^>]*>in \d+ (hours?|minutes?|days?)<\/time>/);
    expect(page.body).toMatch(/Back-fill of the last 3 days: <strong>queued<\/strong>/);
    expect(page.body).toContain('data-refresh="3"');
    const [job] = await store.jobs.listJobs({ kind: 'fetch' });
    expect(job.key).toMatch(/^backfill:arxiv:cs\.LG@/);

    expect((await app.inject({ url: '/sources', ...post({ source: 'cs.LG', days: '3' }) })).headers.location).toBe('/sources?flash=already');

    const removed = await app.inject({ url: '/sources/remove', ...post({ source: 'arxiv:cs.LG' }) });
    expect(removed.statusCode).toBe(303);
    expect((await app.inject({ url: '/sources' })).body).toContain('No sources followed yet');
    expect((await app.inject({ url: '/sources/remove', ...post({ source: 'arxiv:cs.LG' }) })).statusCode).toBe(404);
  });

  it('shows a failed fetch in words, not as an error page', async () => {
    const { app, store } = await testServer({ seed: false });
    const { source } = await store.settings.addSource({ kind: 'hf', category: '', backfillDays: 0 }, '2025-10-10T00:00:00Z');
    await store.settings.recordSourceRun([source.id], { at: '2025-10-10T09:00:00Z', error: 'offline: the source (huggingface.co) could not be reached; the next run tries again' });
    const page = await app.inject({ url: '/sources' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Hugging Face Daily Papers');
    expect(page.body).toContain('not reached');
    expect(page.body).toContain('offline: the source (huggingface.co) could not be reached; the next run tries again');
  });
});

describe('web pages: a profile’s delivery', () => {
  it('saves e-mail and cadence from the profile page, refuses a bad address naming it, and links the feeds at the request host', async () => {
    const { app } = await testServer({ allowedHosts: ['radar.lab.example'] });
    expect((await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'Ada', arxivIds: ['2510.00001'] } })).statusCode).toBe(201);
    const page = await app.inject({ url: '/profiles/Ada', headers: { host: 'radar.lab.example:3000' } });
    expect(page.body).toMatch(/<input type="radio" name="cadence" value="off" checked/);
    expect(page.body).toMatch(/value="http:\/\/radar\.lab\.example:3000\/api\/feeds\/Ada\/[A-Za-z0-9_-]+\.rss"/);
    expect(page.body).toContain('data-copy="http://radar.lab.example:3000/api/feeds/Ada/');

    const bad = await app.inject({ url: '/profiles/Ada/delivery', ...post({ email: 'nobody', cadence: 'weekly', weekday: 'mon', webhookUrl: '' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('email: &quot;nobody&quot; is not an e-mail address');
    expect(bad.body).toContain('value="nobody"');

    const ok = await app.inject({ url: '/profiles/Ada/delivery', ...post({ email: 'ada@lab.example', cadence: 'weekly', weekday: 'fri', webhookUrl: '' }) });
    expect(ok.statusCode).toBe(303);
    const saved = await app.inject({ url: '/profiles/Ada?flash=delivery' });
    expect(saved.body).toContain('Delivery saved.');
    expect(saved.body).toContain('value="ada@lab.example"');
    expect(saved.body).toMatch(/value="weekly" checked/);
    expect(saved.body).toMatch(/<option value="fri" selected/);
    // No SMTP server anywhere yet: the page says mail cannot go out.
    expect(saved.body).toContain('no SMTP server is configured');
    const api = (await app.inject({ url: '/api/profiles/Ada/delivery' })).json();
    expect(api.stored).toMatchObject({ email: ['ada@lab.example'], cadence: 'weekly', weekday: 'fri' });
  });
});
