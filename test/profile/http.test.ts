import { describe, expect, it } from 'vitest';
import { testServer } from '../server/helpers.ts';

const WINDOW = 'from=2025-09-01&to=2025-10-10&cutoff=-100';

describe('/api/profiles', () => {
  it('creates a profile, serves its explained feed, takes feedback and rules', async () => {
    const { app } = await testServer();
    const created = await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00001', '2510.00004'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ profile: 'p', added: 2, total: 2 });
    expect((await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00002'] } })).statusCode).toBe(409);

    const list = (await app.inject({ url: '/api/profiles' })).json();
    expect(list.profiles.map((p: { name: string; papers: number }) => [p.name, p.papers])).toEqual([['p', 2]]);

    const feed = (await app.inject({ url: `/api/profiles/p/feed?${WINDOW}` })).json();
    const ids = feed.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain('arxiv:2510.00001');
    expect(ids).not.toContain('arxiv:2510.00004');
    expect(ids).toContain('arxiv:2509.09999');
    // A paper without a listing day is never new, whenever the store first saw it.
    expect(feed.items.some((i: { title: string }) => i.title === 'An Undated Workshop Paper')).toBe(false);
    expect(feed).toMatchObject({ from: '2025-09-01', to: '2025-10-10', days: 40 });
    const s = feed.stats;
    expect(s.hidden + s.excludedByRules + s.belowCutoff + s.unrepresented + s.aboveCutoff).toBe(s.candidates);
    expect(s.aboveCutoff - s.cut).toBe(feed.items.length);
    for (const it of feed.items) {
      expect(it.reasons.length).toBeGreaterThan(0);
      expect(it).not.toHaveProperty('pk');
    }

    const fb = await app.inject({ method: 'POST', url: '/api/profiles/p/feedback', payload: { id: '2509.09999', action: 'dismiss' } });
    expect(fb.statusCode).toBe(200);
    const after = (await app.inject({ url: `/api/profiles/p/feed?${WINDOW}` })).json();
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain('arxiv:2509.09999');
    const undo = await app.inject({ method: 'DELETE', url: '/api/profiles/p/feedback?id=2509.09999&action=dismiss' });
    expect(undo.json()).toEqual({ removed: true });

    const rules = await app.inject({ method: 'PUT', url: '/api/profiles/p/rules', payload: { never: ['diffusion'], authors: ['Grace Hopper'] } });
    expect(rules.json()).toEqual({ rules: { never: ['diffusion'], authors: ['Grace Hopper'] } });
    const ruled = (await app.inject({ url: `/api/profiles/p/feed?${WINDOW}` })).json();
    expect(ruled.items.map((i: { id: string }) => i.id)).not.toContain('arxiv:2509.09999');
    const hopper = ruled.items.find((i: { id: string }) => i.id === 'arxiv:2510.00002');
    expect(hopper.reasons.map((r: { text: string }) => r.text)).toContain('by Grace Hopper, whom you follow');
    expect(ruled.items[0].id).toBe('arxiv:2510.00002');

    const detail = (await app.inject({ url: '/api/profiles/p' })).json();
    expect(detail.feedback).toEqual({ like: 0, save: 0, dismiss: 0, seen: 0 });
    expect((await app.inject({ method: 'DELETE', url: '/api/profiles/p' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/profiles/p' })).statusCode).toBe(404);
  });

  it('asks which person when an author name is shared, and takes a pasted id list', async () => {
    const { app } = await testServer();
    const amb = await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 't', author: 'Alan Turing' } });
    expect(amb.statusCode).toBe(409);
    const body = amb.json();
    expect(body.error.field).toBe('authorPick');
    expect(body.candidates).toHaveLength(2);
    expect(body.candidates[0]).toMatchObject({ n: 1, name: 'Alan Turing', papers: 1 });
    expect(body.candidates.flatMap((c: { coauthors: string[] }) => c.coauthors)).toEqual(expect.arrayContaining(['Ada Lovelace', 'Barbara Liskov']));
    const pick = body.candidates.find((c: { coauthors: string[] }) => c.coauthors.includes('Barbara Liskov')).n;
    const made = await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 't', author: 'Alan Turing', authorPick: pick } });
    expect(made.statusCode).toBe(201);
    expect(made.json().papers.map((p: { title: string }) => p.title)).toEqual(['Model Merging for Self-Improving Reasoners']);
    expect((await app.inject({ url: '/api/author-candidates?name=alan%20turing' })).json().candidates).toHaveLength(2);

    const pasted = await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'l', from: [{ name: 'mine.txt', text: 'arXiv:2510.00002\nhttps://arxiv.org/abs/2510.00006v1\n' }] } });
    expect(pasted.json()).toMatchObject({ added: 2, total: 2 });
    const add = await app.inject({ method: 'POST', url: '/api/profiles/l/papers', payload: { ids: ['arxiv:2510.00001'] } });
    expect(add.json()).toMatchObject({ added: 1, total: 3 });
    expect((await app.inject({ method: 'DELETE', url: '/api/profiles/l/papers/arxiv%3A2510.00001' })).json()).toMatchObject({ removed: 1 });
  });

  it('answers bad input with 400/404 naming the field', async () => {
    const { app } = await testServer();
    await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'p', arxivIds: ['2510.00001'] } });
    const noSource = await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'x' } });
    expect(noSource.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: '../x', arxivIds: ['2510.00001'] } })).statusCode).toBe(400);
    const limit = await app.inject({ url: '/api/profiles/p/feed?limit=0' });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.field).toBe('limit');
    const since = await app.inject({ url: '/api/profiles/p/feed?since=tomorrow' });
    expect(since.json().error.field).toBe('since');
    expect((await app.inject({ url: '/api/profiles/nobody/feed' })).statusCode).toBe(404);
    const action = await app.inject({ method: 'POST', url: '/api/profiles/p/feedback', payload: { id: '2510.00002', action: 'love' } });
    expect(action.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/profiles/p/feedback', payload: { id: 'arxiv:9999.99999', action: 'like' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: '/api/profiles/p/rules', payload: { cutoff: 'high' } })).statusCode).toBe(400);
  });
});
