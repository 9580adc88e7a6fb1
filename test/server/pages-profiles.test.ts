import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';
import { multipart } from './multipart.ts';

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/** Seven papers are too few for the default relevance cut-off: keep everything the model ranks. */
async function lowCutoff(app: Awaited<ReturnType<typeof testServer>>['app']) {
  const r = await app.inject({ method: 'POST', url: '/profiles/Ada/rules', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'cutoff=-100' });
  expect(r.statusCode).toBe(303);
}

describe('web pages: profiles, feed, import', () => {
  it('creates a profile from arXiv ids through the form and shows its feed with reasons', async () => {
    const { app } = await testServer();
    const empty = await app.inject({ url: '/feed' });
    expect(empty.body).toContain('No profile yet');
    const form = multipart({ name: 'Ada', text: '', arxivIds: '2510.00001', author: '' }, [{ field: 'file', name: '', content: '' }]);
    const created = await app.inject({ method: 'POST', url: '/profiles', ...form });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/profiles/Ada?flash=created');
    expect(String(created.headers['set-cookie'])).toContain('radar_profile=Ada');
    const page = await app.inject({ url: '/profiles/Ada' });
    expect(page.body).toContain('Neural Collapse under Weight Decay');
    await lowCutoff(app);
    const feed = await app.inject({ url: '/feed?profile=Ada&since=all' });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('data-feedback-buttons');
    expect(feed.body).not.toContain('data-id="arxiv:2510.00001"'); // the profile's own paper never shows
  });

  it('re-renders the form with the error when a profile cannot be created', async () => {
    const { app } = await testServer();
    const noSource = await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: 'Ada' }) });
    expect(noSource.statusCode).toBe(400);
    expect(noSource.body).toContain('Give the profile some papers');
    const badName = await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: '<b>', arxivIds: '2510.00001' }) });
    expect(badName.statusCode).toBe(400);
    expect(badName.body).toContain('profile name &quot;&lt;b>&quot;');
    expect(badName.body).toContain('value="2510.00001"');
  });

  it('records feedback from the feed: dismissed papers leave it, undo brings them back, save fills “Saved”', async () => {
    const { app, store } = await testServer();
    await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: 'Ada', arxivIds: '2510.00004' }) });
    await lowCutoff(app);
    const ids = async () => [...(await app.inject({ url: '/feed?profile=Ada&since=all' })).body.matchAll(/<li class="card" data-id="([^"]+)"/g)].map((m) => m[1]);
    const before = await ids();
    expect(before.length).toBeGreaterThan(1);
    const target = before[0];
    const r = await app.inject({ method: 'POST', url: `/paper/${encodeURIComponent(target)}/feedback`, headers: JSON_HEADERS, payload: { profile: 'Ada', action: 'dismiss' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: target, action: 'dismiss' });
    expect(await ids()).not.toContain(target);
    await app.inject({ method: 'POST', url: `/paper/${encodeURIComponent(target)}/feedback`, headers: JSON_HEADERS, payload: { profile: 'Ada', action: 'dismiss', undo: true } });
    expect(await ids()).toContain(target);

    const save = await app.inject({ method: 'POST', url: `/paper/${encodeURIComponent(target)}/feedback`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'profile=Ada&action=save&back=feed' });
    expect(save.statusCode).toBe(303);
    expect(save.headers.location).toBe('/feed?profile=Ada');
    expect((await store.library.listCollections()).map((c) => [c.name, c.papers])).toEqual([['Saved', 1]]);

    const bad = await app.inject({ method: 'POST', url: `/paper/${encodeURIComponent(target)}/feedback`, headers: JSON_HEADERS, payload: { profile: 'Ada', action: 'love' } });
    expect(bad.statusCode).toBe(400);
    const noProfile = await app.inject({ method: 'POST', url: `/paper/${encodeURIComponent(target)}/feedback`, headers: JSON_HEADERS, payload: { profile: 'Nobody', action: 'like' } });
    expect(noProfile.statusCode).toBe(404);
  });

  it('explains on the paper page why a paper is recommended for the active profile', async () => {
    const { app } = await testServer();
    await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: 'Ada', arxivIds: '2510.00004' }) });
    const page = await app.inject({ url: '/paper/arxiv:2510.00002', headers: { cookie: 'radar_profile=Ada' } });
    expect(page.body).toContain('For Ada');
    // Ranking a day is slow on a big corpus: the page links the reasons and its script loads them after paint.
    const src = /data-why-src="([^"]+)"/.exec(page.body)?.[1].replace(/&amp;/g, '&');
    expect(src).toBe('/paper/arxiv:2510.00002/why?profile=Ada&partial=1');
    const why = await app.inject({ url: src! });
    expect(why.statusCode).toBe(200);
    expect(why.body).toMatch(/^<ul class="reasons">/);
    const full = await app.inject({ url: '/paper/arxiv:2510.00002/why?profile=Ada' });
    expect(full.body).toContain('<ul class="reasons">');
    expect((await app.inject({ url: '/paper/arxiv:2510.00002/why?profile=Nobody' })).statusCode).toBe(404);
    const own = await app.inject({ url: '/paper/arxiv:2510.00004', headers: { cookie: 'radar_profile=Ada' } });
    expect(own.body).toMatch(/one of Ada(&#39;|')s own papers/);
  });

  it('edits rules and removes papers from a profile', async () => {
    const { app, store } = await testServer();
    await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: 'Ada', arxivIds: '2510.00004 2510.00001' }) });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const rules = await app.inject({ method: 'POST', url: '/profiles/Ada/rules', headers: form, payload: 'must=reasoning%0Amerging&never=&authors=Grace+Hopper&organizations=&cutoff=0.5' });
    expect(rules.statusCode).toBe(303);
    expect((await store.profiles.getProfile('Ada'))?.settings.rules).toMatchObject({ must: ['reasoning', 'merging'], authors: ['Grace Hopper'], cutoff: 0.5 });
    const badCutoff = await app.inject({ method: 'POST', url: '/profiles/Ada/rules', headers: form, payload: 'cutoff=lots' });
    expect(badCutoff.statusCode).toBe(400);
    const removed = await app.inject({ method: 'POST', url: '/profiles/Ada/remove', headers: form, payload: 'id=arxiv%3A2510.00001' });
    expect(removed.statusCode).toBe(303);
    expect((await app.inject({ url: '/profiles/Ada' })).body).not.toContain('Neural Collapse under Weight Decay');
    expect((await app.inject({ url: '/profiles/Nobody' })).statusCode).toBe(404);
  });

  it('imports an uploaded file and reports each rejected record, as the CLI does', async () => {
    const { app, store } = await testServer({ seed: false });
    const lines = [
      JSON.stringify({ id: '2502.00001', title: 'A Good Paper', abstract: 'Fine.', authors: ['A. Person'], announced: '2025-02-03' }),
      '{ not json',
      JSON.stringify({ id: '2502.00002', title: 'Another Good Paper', abstract: 'Also fine.', announced: '2025-02-03' }),
    ].join('\n');
    const r = await app.inject({ method: 'POST', url: '/import', ...multipart({}, [{ field: 'files', name: 'mixed.jsonl', content: lines }]) });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Import report');
    expect(r.body).toContain('mixed.jsonl');
    expect(r.body).toMatch(/<code>mixed\.jsonl:2<\/code>/);
    expect((await store.papers.stats()).papers).toBe(2);
    const none = await app.inject({ method: 'POST', url: '/import', ...multipart({}) });
    expect(none.statusCode).toBe(400);
  });

  it('streams import progress and the report to the page script', async () => {
    const { app } = await testServer({ seed: false });
    const body = JSON.stringify({ id: '2502.00003', title: 'Streamed', abstract: 'x', announced: '2025-02-03' });
    const r = await app.inject({ method: 'POST', url: '/import?stream=1', ...multipart({}, [{ field: 'files', name: 'one.jsonl', content: body }]) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/x-ndjson');
    const msgs = r.body.trim().split('\n').map((l) => JSON.parse(l));
    const done = msgs.at(-1);
    expect(done.done).toBe(true);
    expect(done.totals.added).toBe(1);
    expect(done.html).toContain('Import report');
  });

  it('imports papers pasted into the box, and the page then counts them instead of calling the database empty', async () => {
    const { app, store } = await testServer({ seed: false });
    const before = await app.inject({ url: '/import' });
    expect(before.body).toContain('The database is empty');
    expect(before.body).toMatch(/<textarea[^>]*name="text"/);
    const pasted = JSON.stringify({ id: '2502.00004', title: 'Pasted & Found', abstract: 'From the box.', announced: '2025-02-03' });
    const r = await app.inject({ method: 'POST', url: '/import', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ text: pasted }).toString() });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('pasted text');
    expect(r.body).toContain('1 paper in the database.');
    expect(r.body).not.toContain('The database is empty');
    expect((await store.papers.getPaper('2502.00004'))?.title).toBe('Pasted & Found');
    const streamed = await app.inject({ method: 'POST', url: '/import?stream=1', ...multipart({ text: JSON.stringify({ id: '2502.00005', title: 'Second', abstract: 'y', announced: '2025-02-03' }) }) });
    expect(streamed.body.trim().split('\n').map((l) => JSON.parse(l)).at(-1).papers).toBe(2);
  });
});
