import { describe, expect, it } from 'vitest';
import { hostileQueries } from '../query/query-hostile.ts';
import { testServer } from './helpers.ts';

const url = (params: Record<string, string>) => `/api/search?${new URLSearchParams(params).toString()}`;

describe('GET /api/search', () => {
  it('answers with the parsed query, results with snippets, and the total', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: url({ q: 'neural collapse', limit: '5' }) });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.query).toMatchObject({ understood: 'neural collapse', sort: 'relevance' });
    expect(['bm25', 'hybrid']).toContain(body.query.mode); // hybrid once the server has built the indexes (it builds missing ones when it opens them)
    expect(body.results[0]).toMatchObject({ id: 'arxiv:2510.00001', title: 'Neural Collapse under Weight Decay', matchedAll: true, upvotes: 42 });
    expect(body.results[0].titleHighlight.html).toBe('<mark>Neural Collapse</mark> under Weight Decay');
    expect(body.results[0].snippet.html).toContain('<mark>neural collapse</mark>');
    expect(body.results[0].snippet.html).toContain('$\\lambda &gt; 0$');
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect(body.results[0].pk).toBeUndefined();
  });

  it('suggests a spelling from the papers\' words in `suggestion`, only when it finds papers', async () => {
    const { app } = await testServer();
    const typo = (await app.inject({ url: url({ q: 'latent reasonnig' }) })).json();
    expect(typo.suggestion).toBe('latent reasoning');
    const fixed = (await app.inject({ url: url({ q: typo.suggestion }) })).json();
    expect(fixed.results[0]).toMatchObject({ id: 'arxiv:2510.00002', matchedAll: true });
    expect(fixed.suggestion).toBeUndefined();
    expect((await app.inject({ url: url({ q: 'quantum' }) })).json().suggestion).toBeUndefined();
  });

  it('escapes markup from paper text in every HTML field', async () => {
    const { app } = await testServer();
    const body = (await app.inject({ url: url({ q: 'hostile markup' }) })).json();
    const hit = body.results.find((h: { id: string }) => h.id === 'arxiv:2510.00003');
    expect(hit.titleHighlight.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Hostile</mark> Title &amp; Friends');
    expect(hit.snippet.html).toBe('An abstract with &lt;b&gt;<mark>markup</mark>&lt;/b&gt; and &lt;/script&gt; inside, which must show as text.');
    // The raw title is data (JSON), not HTML.
    expect(hit.title).toBe('<script>alert("x")</script> Hostile Title & Friends');
  });

  it('sorts, pages and filters', async () => {
    const { app } = await testServer();
    const byDate = (await app.inject({ url: url({ q: 'reasoning', sort: 'date' }) })).json();
    expect(byDate.results.map((h: { date?: string }) => h.date)).toEqual([...byDate.results.map((h: { date?: string }) => h.date)].sort().reverse());
    const page2 = (await app.inject({ url: url({ q: 'reasoning', limit: '1', offset: '1' }) })).json();
    expect(page2.results).toHaveLength(1);
    expect(page2.offset).toBe(1);
    const cat = (await app.inject({ url: url({ q: 'cat:cs.CV' }) })).json();
    expect(cat.results.map((h: { id: string }) => h.id)).toEqual(['arxiv:2509.09999']);
  });

  it('never fails on what a person types: 200 with warnings for every hostile query', async () => {
    const { app } = await testServer();
    for (const q of hostileQueries(250, 7).filter((s) => s.length <= 20_000)) {
      const r = await app.inject({ url: url({ q }) });
      expect(r.statusCode, JSON.stringify(q.slice(0, 60))).toBe(200);
      expect(Array.isArray(r.json().results)).toBe(true);
    }
    const empty = await app.inject({ url: '/api/search' });
    expect(empty.statusCode).toBe(200);
    expect(empty.json().warnings.map((w: { code: string }) => w.code)).toEqual(['empty-query']);
    // A raw, badly encoded query string is still a client matter, not a server error.
    const raw = await app.inject({ url: '/api/search?q=%E0%A4%A&q2=%' });
    expect(raw.statusCode).toBeLessThan(500);
  });

  it('rejects invalid parameters with 400 naming the field', async () => {
    const { app } = await testServer();
    for (const [params, field] of [
      [{ q: 'x', limit: '0' }, 'limit'],
      [{ q: 'x', limit: 'ten' }, 'limit'],
      [{ q: 'x', limit: '1000' }, 'limit'],
      [{ q: 'x', offset: '-1' }, 'offset'],
      [{ q: 'x', sort: 'sideways' }, 'sort'],
      [{ q: 'x', mode: 'psychic' }, 'mode'],
      [{ q: 'x'.repeat(20_001) }, 'q'],
    ] as const) {
      const r = await app.inject({ url: url(params) });
      expect(r.statusCode, JSON.stringify(params).slice(0, 80)).toBe(400);
      expect(r.json().error.field).toBe(field);
      expect(r.json().error.message.length).toBeGreaterThan(0);
    }
    const repeated = await app.inject({ url: '/api/search?q=a&q=b' });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().error.field).toBe('q');
  });

  it('is described in the OpenAPI document', async () => {
    const { app } = await testServer();
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/search']?.get;
    expect(op).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'limit', 'offset', 'sort', 'mode']));
  });
});
