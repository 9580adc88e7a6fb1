import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';

describe('JSON API: notes and collections', () => {
  it('sets, reads and clears a private note', async () => {
    const { app } = await testServer();
    const url = '/api/papers/arxiv%3A2510.00001/note';
    expect((await app.inject({ url })).json()).toEqual({ id: 'arxiv:2510.00001', note: null });
    const put = await app.inject({ method: 'PUT', url, payload: { text: 'compare with <Papyan 2020>' } });
    expect(put.statusCode).toBe(200);
    expect(put.json().note.text).toBe('compare with <Papyan 2020>');
    expect((await app.inject({ url: '/api/papers/2510.00001/note' })).json().note.text).toBe('compare with <Papyan 2020>');
    await app.inject({ method: 'PUT', url, payload: { text: '' } });
    expect((await app.inject({ url })).json().note).toBeNull();
  });

  it('rejects bad note requests clearly', async () => {
    const { app } = await testServer();
    const url = '/api/papers/arxiv%3A2510.00001/note';
    const missing = await app.inject({ method: 'PUT', url, payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ field: 'text' });
    const long = await app.inject({ method: 'PUT', url, payload: { text: 'x'.repeat(20_001) } });
    expect(long.statusCode).toBe(400);
    const wrongType = await app.inject({ method: 'PUT', url, payload: { text: 42 } });
    expect(wrongType.statusCode).toBe(400);
    const noPaper = await app.inject({ method: 'PUT', url: '/api/papers/arxiv%3A1234.56789/note', payload: { text: 'x' } });
    expect(noPaper.statusCode).toBe(404);
    const badJson = await app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json' }, payload: '{"text": "unterminated' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.message).toBeTruthy();
  });

  it('creates collections, adds and removes papers, exports BibTeX', async () => {
    const { app } = await testServer();
    const created = await app.inject({ method: 'POST', url: '/api/collections', payload: { name: '  Reading   group ' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().collection).toMatchObject({ name: 'Reading group', papers: 0 });
    for (const id of ['arxiv:2510.00001', '2510.00004']) {
      const r = await app.inject({ method: 'POST', url: '/api/collections/Reading%20group/papers', payload: { id } });
      expect(r.json().added).toBe(true);
    }
    // Adding to a collection that does not exist yet creates it.
    expect((await app.inject({ method: 'POST', url: '/api/collections/Saved/papers', payload: { id: 'arxiv:2510.00003' } })).statusCode).toBe(200);
    const list = (await app.inject({ url: '/api/collections' })).json().collections;
    expect(list.map((c: { name: string; papers: number }) => [c.name, c.papers])).toEqual([
      ['Reading group', 2],
      ['Saved', 1],
    ]);
    const one = (await app.inject({ url: '/api/collections/Reading%20group' })).json();
    expect(one.papers.map((p: { id: string }) => p.id).sort()).toEqual(['arxiv:2510.00001', 'arxiv:2510.00004']);

    const bib = await app.inject({ url: '/api/collections/Reading%20group/bibtex' });
    expect(bib.statusCode).toBe(200);
    expect(bib.headers['content-type']).toContain('application/x-bibtex');
    expect(bib.headers['content-disposition']).toContain('Reading-group.bib');
    expect(bib.body).toContain('@misc{lovelace2025neural,');
    expect(bib.body).toContain('author = {Alan Turing and Barbara Liskov and Edsger Dijkstra}');
    expect(bib.body).toContain('eprint = {2510.00004}');
    expect(bib.body).toContain('$\\lambda > 0$');

    const removed = await app.inject({ method: 'DELETE', url: '/api/collections/Reading%20group/papers/arxiv%3A2510.00001' });
    expect(removed.json().removed).toBe(true);
    expect((await app.inject({ method: 'DELETE', url: '/api/collections/Saved' })).json().deleted).toBe(true);
    expect((await app.inject({ url: '/api/collections/Saved' })).statusCode).toBe(404);
  });

  it('rejects bad collection requests clearly', async () => {
    const { app } = await testServer();
    const blank = await app.inject({ method: 'POST', url: '/api/collections', payload: { name: '   ' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.field).toBe('name');
    const noBody = await app.inject({ method: 'POST', url: '/api/collections' });
    expect(noBody.statusCode).toBe(400);
    const tooLong = await app.inject({ method: 'POST', url: '/api/collections', payload: { name: 'x'.repeat(150) } });
    expect(tooLong.statusCode).toBe(400);
    const noPaper = await app.inject({ method: 'POST', url: '/api/collections/Saved/papers', payload: { id: 'arxiv:0000.00000' } });
    expect(noPaper.statusCode).toBe(404);
    const noId = await app.inject({ method: 'POST', url: '/api/collections/Saved/papers', payload: {} });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error.field).toBe('id');
    expect((await app.inject({ url: '/api/collections/Nope/bibtex' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/collections/Nope/papers/arxiv%3A2510.00001' })).statusCode).toBe(404);
  });

  it('refuses changes requested by another web site', async () => {
    const { app } = await testServer();
    const r = await app.inject({
      method: 'POST',
      url: '/api/collections',
      headers: { origin: 'https://evil.example', host: 'localhost:8080' },
      payload: { name: 'x' },
    });
    expect(r.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/collections',
      headers: { origin: 'http://localhost:8080', host: 'localhost:8080' },
      payload: { name: 'x' },
    });
    expect(ok.statusCode).toBe(201);
  });
});
