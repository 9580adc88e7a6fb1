import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';

describe('JSON API: meta and papers', () => {
  it('answers health and stats', async () => {
    const { app } = await testServer();
    const h = await app.inject({ url: '/api/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ ok: true, store: 'sqlite' });
    const s = await app.inject({ url: '/api/stats' });
    expect(s.json().papers).toBe(7);
  });

  it('lists the latest day by default, sorted by trending, with prev/next periods', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/api/papers' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.day).toBe('2025-10-09');
    expect(body.total).toBe(3);
    expect(body.papers.map((p: { id: string }) => p.id)).toEqual(['arxiv:2510.00001', 'arxiv:2510.00006', 'arxiv:2510.00002']);
    expect(body.papers[0].pk).toBeUndefined();
    expect(body.prev).toEqual({ from: '2025-10-08', to: '2025-10-08' });
    expect(body.next).toBeUndefined();
  });

  it('pages through days, weeks and months', async () => {
    const { app } = await testServer();
    const day = (await app.inject({ url: '/api/papers?day=2025-10-08' })).json();
    expect(day.prev).toEqual({ from: '2025-10-06', to: '2025-10-06' });
    expect(day.next).toEqual({ from: '2025-10-09', to: '2025-10-09' });
    const week = (await app.inject({ url: '/api/papers?day=2025-10-08&view=week&sort=date' })).json();
    expect([week.from, week.to]).toEqual(['2025-10-06', '2025-10-12']);
    expect(week.total).toBe(5);
    expect(week.prev).toEqual({ from: '2025-09-29', to: '2025-10-05' });
    const month = (await app.inject({ url: '/api/papers?day=2025-10-08&view=month&sort=upvotes' })).json();
    expect([month.from, month.to, month.total]).toEqual(['2025-10-01', '2025-10-31', 5]);
    expect(month.papers[0].id).toBe('arxiv:2510.00004');
    expect(month.prev).toEqual({ from: '2025-09-01', to: '2025-09-30' });
  });

  it('filters by category', async () => {
    const { app } = await testServer();
    const r = (await app.inject({ url: '/api/papers?view=month&category=cs.CL,cs.CR' })).json();
    expect(r.papers.map((p: { id: string }) => p.id).sort()).toEqual(['arxiv:2510.00002', 'arxiv:2510.00003', 'arxiv:2510.00004']);
  });

  it('is empty, not an error, on an empty store', async () => {
    const { app } = await testServer({ seed: false });
    const r = await app.inject({ url: '/api/papers' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ papers: [], total: 0 });
  });

  it.each([
    ['/api/papers?limit=abc', 'limit'],
    ['/api/papers?limit=0', 'limit'],
    ['/api/papers?limit=100000', 'limit'],
    ['/api/papers?day=2025-13-45', 'day'],
    ['/api/papers?day=yesterday', 'day'],
    ['/api/papers?view=year', 'view'],
    ['/api/papers?sort=random', 'sort'],
    ['/api/papers?offset=-1', 'offset'],
    ['/api/days?from=nope', 'from'],
    ['/api/authors', 'q'],
    ['/api/authors?q=%20%20', 'q'],
  ])('rejects %s with a 400 naming %s', async (url, field) => {
    const { app } = await testServer();
    const r = await app.inject({ url });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(field);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('returns one paper by any id it is known under, 404 otherwise', async () => {
    const { app } = await testServer();
    for (const id of ['arxiv:2510.00001', '2510.00001', '2510.00001v3']) {
      const r = await app.inject({ url: `/api/papers/${encodeURIComponent(id)}` });
      expect(r.statusCode).toBe(200);
      expect(r.json().paper.title).toBe('Neural Collapse under Weight Decay');
      expect(r.json().provenance[0].source.locator).toBe('fixture:1');
    }
    const missing = await app.inject({ url: '/api/papers/arxiv%3A9999.99999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('arxiv:9999.99999');
  });

  it('answers similar papers for a paper, sortable, with scores; 404 for an unknown paper, 400 for a bad sort', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: `/api/papers/${encodeURIComponent('arxiv:2510.00002')}/similar?limit=3` });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.paper).toEqual({ id: 'arxiv:2510.00002', title: 'Latent Reasoning with Switch Tokens' });
    const ids = body.results.map((x: { id: string }) => x.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(ids).not.toContain('arxiv:2510.00002');
    // The other reasoning paper is among the nearest neighbours of a reasoning paper (as on the paper page).
    expect(ids.slice(0, 2)).toContain('arxiv:2510.00006');
    const scores = body.results.map((x: { score: number }) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.results[0]).not.toHaveProperty('pk');
    const popular = (await app.inject({ url: '/api/papers/2510.00002/similar?sort=popular&limit=3' })).json();
    const up = popular.results.map((x: { signals: { upvotes?: number } }) => x.signals.upvotes ?? -1);
    expect(up).toEqual([...up].sort((a: number, b: number) => b - a));
    expect((await app.inject({ url: '/api/papers/arxiv%3A9999.99999/similar' })).statusCode).toBe(404);
    const bad = await app.inject({ url: '/api/papers/2510.00002/similar?sort=weird' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('sort');
  });

  it('lists days and finds authors and their papers', async () => {
    const { app } = await testServer();
    const days = (await app.inject({ url: '/api/days' })).json().days;
    expect(days[0]).toEqual({ day: '2025-10-09', count: 3 });
    const authors = (await app.inject({ url: '/api/authors?q=turing' })).json().authors;
    expect(authors[0]).toEqual({ name: 'Alan Turing', papers: 2 });
    const papers = (await app.inject({ url: `/api/authors/${encodeURIComponent('Alan Turing')}/papers` })).json().papers;
    expect(papers.map((p: { id: string }) => p.id)).toEqual(['arxiv:2510.00001', 'arxiv:2510.00004']);
  });

  it('answers unknown API paths with a JSON 404 and sets security headers', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/api/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { message: 'nothing at GET /api/nothing-here' } });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('rejects malformed JSON bodies with a 400, not a 500', async () => {
    const { app } = await testServer();
    const r = await app.inject({ method: 'POST', url: '/api/health', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect([400, 404]).toContain(r.statusCode);
    expect(r.json().error.message).toBeTruthy();
  });
});

describe('over a real listening socket', () => {
  it('serves the API on a loopback port', async () => {
    const { app } = await testServer();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(`${address}/api/papers?view=week`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    expect(JSON.parse(body).total).toBe(5);
    const res = await fetch(`${address}/api/papers?limit=x`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('limit');
  });
});
