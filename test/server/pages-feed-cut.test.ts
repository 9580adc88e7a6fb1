import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { NOW, testServer } from './helpers.ts';

const TOPICS = ['neural collapse', 'weight decay', 'batch norm', 'training dynamics', 'terminal phase'];

describe('web pages: a feed that is cut', () => {
  it('says the days it covers, says when the list stops short of what passed the cut-off, and offers more', async () => {
    const { app, store } = await testServer();
    const many: PaperRecord[] = Array.from({ length: 170 }, (_, i) => ({
      arxivId: `2510.${String(10000 + i)}`,
      title: `On ${TOPICS[i % 5]} and ${TOPICS[(i + 2) % 5]}, part ${i}`,
      abstract: `We study ${TOPICS[i % 5]} with ${TOPICS[(i + 1) % 5]} in deep networks trained with weight decay (${i}).`,
      authors: [`Author ${i}`],
      categories: ['cs.LG'],
      announced: '2025-10-09',
      source: { kind: 'manual', locator: `many:${i}`, seenAt: NOW.toISOString() },
    }));
    await store.papers.upsertPapers(many, NOW.toISOString());
    expect((await app.inject({ method: 'POST', url: '/api/profiles', payload: { name: 'Ada', arxivIds: ['2510.00001'] } })).statusCode).toBe(201);
    const rules = await app.inject({ method: 'POST', url: '/profiles/Ada/rules', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'cutoff=-100' });
    expect(rules.statusCode).toBe(303);

    const first = await app.inject({ url: '/feed?profile=Ada' });
    expect(first.body).toMatch(/papers listed 2025-10-0\d – 2025-10-09 \(\d+ days?\)/);
    expect(first.body).not.toContain('data-feed-cut');
    const last = await app.inject({ url: '/feed?profile=Ada&offset=120' });
    expect(last.body).toContain('data-feed-cut');
    expect(last.body).toMatch(/The list stops at the best 150; \d+ more above the cut-off were left out\./);
    const more = /<a class="btn" href="([^"]+)">Show more<\/a>/.exec(last.body)?.[1].replace(/&amp;/g, '&');
    expect(more).toBe('/feed?profile=Ada&depth=300&offset=150');
    const next = await app.inject({ url: more! });
    expect(next.statusCode).toBe(200);
    expect(next.body).toMatch(/Showing 151–\d+/);
    expect(next.body).not.toContain('data-feed-cut');
  });
});
