import { describe, expect, it } from 'vitest';
import { FIXTURE, testServer } from './helpers.ts';

/** Server-rendered pages, checked as HTML (the browser suite in test/web checks them as a person sees them). */
describe('web pages', () => {
  it('renders the daily listing with hostile text escaped and a strict CSP', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/?day=2025-10-08' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script> Hostile Title &amp; Friends');
    // The page title goes through the shared escaper (src/text/escape.ts), outside JSX.
    const paper = await app.inject({ url: '/paper/arxiv:2510.00003' });
    expect(paper.body).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Hostile Title &amp; Friends · Paper Radar</title>');
    expect(r.body).not.toContain('<script>alert');
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).not.toContain('<b>markup</b>');
    const csp = r.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // The only scripts are the app's own module.
    const scripts = [...r.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/src="\/assets\/app\.js\?v=[0-9a-f]+"/);
  });

  it('renders math with KaTeX without inline style attributes, under a nonce', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/paper/arxiv:2510.00001' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('class="katex"');
    expect(r.body).not.toMatch(/\sstyle="/);
    const nonce = /<style nonce="([^"]+)" id="math-styles">/.exec(r.body)?.[1];
    expect(nonce).toBeTruthy();
    expect(r.headers['content-security-policy']).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(r.body).toContain('/assets/katex/katex.min.css');
    expect(r.body).toContain('href="https://arxiv.org/abs/2510.00001"');
  });

  it('redirects other ids of a paper to its canonical page and 404s unknown ones with a page', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/paper/2510.00001v2' });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/paper/arxiv:2510.00001');
    const missing = await app.inject({ url: '/paper/arxiv:0000.00000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('no paper with id');
    const nowhere = await app.inject({ url: '/no/such/page' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.body).toContain('Not found');
  });

  it('answers bad page parameters with a 400 page, not a 500', async () => {
    const { app } = await testServer();
    for (const url of ['/?day=2025-02-30', '/?view=decade', '/?offset=-5', '/?sort=%3Cscript%3E']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(400);
      expect(r.body).not.toContain('<script>');
    }
  });

  it('shows a new user how to get papers in when the store is empty', async () => {
    const { app } = await testServer({ seed: false });
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('No papers yet');
    expect(r.body).toContain('href="/import"');
    expect(r.body).toContain('href="/sources"');
  });

  it('saves notes and collections through plain form posts (no script needed)', async () => {
    const { app, store } = await testServer();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const note = await app.inject({ method: 'POST', url: '/paper/arxiv:2510.00002/note', headers: form, payload: 'text=read+%3Csoon%3E' });
    expect(note.statusCode).toBe(303);
    expect(note.headers.location).toBe('/paper/arxiv:2510.00002?flash=note');
    const page = await app.inject({ url: note.headers.location as string });
    expect(page.body).toContain('read &lt;soon>');
    expect(page.body).toContain('Note saved.');
    const save = await app.inject({ method: 'POST', url: '/paper/arxiv:2510.00002/collect', headers: form, payload: 'collection=Reading' });
    expect(save.statusCode).toBe(303);
    expect((await store.library.listCollections()).map((c) => [c.name, c.papers])).toEqual([['Reading', 1]]);
    const coll = await app.inject({ url: '/collections/Reading' });
    expect(coll.body).toContain('Latent Reasoning with Switch Tokens');
    const remove = await app.inject({ method: 'POST', url: '/collections/Reading/remove', headers: form, payload: 'id=arxiv%3A2510.00002' });
    expect(remove.statusCode).toBe(303);
    expect((await store.library.listCollections())[0].papers).toBe(0);
  });

  it('lists an author’s papers', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/author/Alan%20Turing' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Neural Collapse under Weight Decay');
    expect(r.body).toContain('Model Merging for Self-Improving Reasoners');
  });

  it('serves its own assets: script, styles, KaTeX styles and fonts', async () => {
    const { app } = await testServer();
    const page = (await app.inject({ url: '/paper/arxiv:2510.00001' })).body;
    for (const href of [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'))) {
      const r = await app.inject({ url: href });
      expect(r.statusCode, href).toBe(200);
      expect(r.headers['cache-control']).toContain('immutable');
    }
    const js = await app.inject({ url: /src="(\/assets\/app\.js[^"]+)"/.exec(page)![1] });
    expect(js.headers['content-type']).toContain('javascript');
    const font = await app.inject({ url: '/assets/katex/fonts/KaTeX_Main-Regular.woff2' });
    expect(font.statusCode).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
    expect((await app.inject({ url: '/assets/katex/fonts/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
  });
});

describe('similar papers on the paper page', () => {
  it('lists similar papers, sortable (the server builds missing indexes when it opens them)', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/paper/arxiv:2510.00002' });
    expect(r.statusCode).toBe(200);
    const section = /<section aria-labelledby="similar-h"[\s\S]*?<\/section>/.exec(r.body)?.[0] ?? '';
    const ids = [...section.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('arxiv:2510.00002');
    // Reasoning papers are the neighbours of a reasoning paper.
    expect(ids.slice(0, 2)).toEqual(expect.arrayContaining(['arxiv:2510.00006']));
    const popular = await app.inject({ url: '/paper/arxiv:2510.00002?similar=popular' });
    const popIds = [.../<section aria-labelledby="similar-h"[\s\S]*?<\/section>/.exec(popular.body)![0].matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(popIds)).toEqual(new Set(ids));
    const up = (id: string) => FIXTURE.find((f) => `arxiv:${f.arxivId}` === id)?.signals?.upvotes ?? -1;
    expect(popIds.map(up)).toEqual([...popIds.map(up)].sort((a, b) => b - a));
    expect((await app.inject({ url: '/paper/arxiv:2510.00002?similar=weird' })).statusCode).toBe(400);
  });
});
