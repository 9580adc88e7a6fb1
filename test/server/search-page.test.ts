import { describe, expect, it } from 'vitest';
import { composeQuery } from '../../src/server/services/search.ts';
import { testServer } from './helpers.ts';

describe('search page', () => {
  it('composes the controls into the search language', () => {
    expect(composeQuery({ q: ' neural  collapse ', cat: 'cs.LG', author: 'Ada "x" Lovelace', from: '2024', to: '2025-06' })).toBe(
      'neural  collapse cat:cs.LG author:"Ada x Lovelace" date:2024..2025-06',
    );
    expect(composeQuery({ author: 'hinton' })).toBe('author:hinton');
    expect(composeQuery({})).toBe('');
  });

  it('finds papers with highlighted, escaped snippets, and keeps the query in the URL form', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search?q=neural+collapse' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('value="neural collapse"');
    const cards = [...r.body.matchAll(/<li class="card" data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(cards[0]).toBe('arxiv:2510.00001');
    expect(r.body).toMatch(/<mark>[^<]*[Nn]eural[^<]*<\/mark>/);
  });

  it('returns just the results for the page script, and filters with the controls', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search?q=reasoning&cat=cs.CL&partial=1' });
    expect(r.statusCode).toBe(200);
    expect(r.body.startsWith('<!doctype')).toBe(false);
    const ids = [...r.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.sort()).toEqual(['arxiv:2510.00002', 'arxiv:2510.00004']);
    const byDate = await app.inject({ url: '/search?q=reasoning&sort=date&partial=1' });
    const dated = [...byDate.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(dated[0]).toBe('arxiv:2510.00002');
  });

  it('survives hostile queries: escaped, never a server error', async () => {
    const { app } = await testServer();
    for (const q of ['<script>alert(1)</script>', '"unbalanced', 'NEAR(a b)', "'; DROP TABLE papers; --", 'x'.repeat(9000), '🧠 -', 'title:']) {
      const r = await app.inject({ url: `/search?q=${encodeURIComponent(q)}` });
      expect(r.statusCode, q).toBe(200);
      expect(r.body).not.toContain('<script>alert(1)');
    }
    const hostile = await app.inject({ url: '/search?q=hostile' });
    expect(hostile.body).toContain('&lt;script>');
    expect(hostile.body).not.toContain('<script>alert("x")');
    expect((await app.inject({ url: '/search?sort=best' })).statusCode).toBe(400);
  });

  it('tells a new user what to type', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search' });
    expect(r.body).toContain('Results update as you type');
  });
});
