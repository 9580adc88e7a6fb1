import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';

describe('JSON API: your data out', () => {
  it('GET /api/export is the export document; a collection comes as CSL-JSON too', async () => {
    const { app } = await testServer();
    await app.inject({ method: 'POST', url: '/api/collections/Reading/papers', payload: { id: 'arxiv:2510.00001' } });
    await app.inject({ method: 'PUT', url: '/api/papers/arxiv%3A2510.00002/note', payload: { text: 'switch tokens: check ablation' } });
    const r = await app.inject({ url: '/api/export' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="paper-radar-export-\d{4}-\d{2}-\d{2}\.json"/);
    const doc = r.json();
    expect(doc).toMatchObject({ format: 'paper-radar-export', version: 1, papersIncluded: 'referenced' });
    expect(doc.collections).toEqual([{ name: 'Reading', createdAt: expect.any(String), papers: [{ id: 'arxiv:2510.00001', addedAt: expect.any(String) }] }]);
    expect(doc.notes).toEqual([{ id: 'arxiv:2510.00002', text: 'switch tokens: check ablation', updatedAt: expect.any(String) }]);
    expect(doc.papers.map((p: { id: string }) => p.id).sort()).toEqual(['arxiv:2510.00001', 'arxiv:2510.00002']);
    const all = (await app.inject({ url: '/api/export?papers=all' })).json();
    expect(all.papers.length).toBeGreaterThan(2);
    expect((await app.inject({ url: '/api/export?papers=some' })).statusCode).toBe(400);

    const csl = await app.inject({ url: '/api/collections/Reading/csl' });
    expect(csl.statusCode).toBe(200);
    expect(csl.json()).toEqual([
      expect.objectContaining({ id: 'lovelace2025neural', type: 'article', title: 'Neural Collapse under Weight Decay', author: [{ family: 'Lovelace', given: 'Ada' }, { family: 'Turing', given: 'Alan' }], number: 'arXiv:2510.00001' }),
    ]);
    expect((await app.inject({ url: '/api/collections/Nope/csl' })).statusCode).toBe(404);
  });
});
