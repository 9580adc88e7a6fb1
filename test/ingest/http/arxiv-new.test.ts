import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchArxivNew } from '../../../src/ingest/http/arxiv-new.ts';
import { parseArxivRss, rfc822Day } from '../../../src/ingest/http/arxiv-rss.ts';
import { HttpClient } from '../../../src/ingest/http/client.ts';
import { runAfterFetch } from '../../../src/ingest/http/report.ts';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { fixture, replayServer } from './replay-server.ts';

const ctx = { name: 'cs.LG.xml', seenAt: '2025-03-04T06:00:00Z' };

describe('arXiv RSS listing parser', () => {
  it('reads new, cross-listed and replaced items with their announce day', () => {
    const r = parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), ctx);
    expect(r.problems).toEqual([]);
    expect(r.day).toBe('2025-03-04');
    expect(r.types).toEqual({ new: 6, cross: 1, replace: 1 });
    expect(r.records).toHaveLength(8);
    const [first] = r.records;
    expect(first).toMatchObject({
      arxivId: '2503.01001',
      arxivVersion: 1,
      title: 'Neural Collapse under Weight Decay and Batch Normalization: A Geometric Analysis of Last-Layer Features',
      authors: ['Mira Okafor', 'Jonas Lindqvist'],
      categories: ['cs.LG', 'stat.ML'],
      announced: '2025-03-04',
      license: 'http://creativecommons.org/licenses/by/4.0/',
      links: { abs: 'https://arxiv.org/abs/2503.01001' },
      source: { kind: 'listing', locator: 'cs.LG.xml:17' },
    });
    expect(first.abstract).toMatch(/^Neural collapse describes the geometry/);
    expect(first.abstract).toMatch(/lead to more collapse\.$/);
    const cross = r.records.find((x) => x.arxivId === '2503.01003')!;
    expect(cross).toMatchObject({ arxivVersion: 2, announced: '2025-03-04', categories: ['cs.CL', 'cs.LG'] });
    const replaced = r.records.find((x) => x.arxivId === '2401.09999')!;
    expect(replaced.announced).toBeUndefined();
    expect(replaced.updated).toBe('2025-03-04');
  });

  it('handles an empty weekend listing and stops at malformed XML keeping earlier items', () => {
    const empty = parseArxivRss(fixture('arxiv-rss/empty-weekend.xml'), ctx);
    expect(empty).toMatchObject({ records: [], problems: [], day: '2025-03-08' });
    const bad = parseArxivRss(fixture('arxiv-rss/malformed.xml'), ctx);
    expect(bad.records.map((x) => x.arxivId)).toEqual(['2503.01001', '2503.01002']);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0].message).toMatch(/malformed XML, stopped reading here \(2 items read before it\)/);
    expect(bad.problems[0].locator).toMatch(/^cs\.LG\.xml:\d+$/);
    expect(parseArxivRss('<html><body>Service unavailable</body></html>', ctx).problems[0].message).toMatch(/not an RSS document/);
  });

  it('reads RFC 822 days in their own offset', () => {
    expect(rfc822Day('Tue, 04 Mar 2025 00:00:00 -0500')).toBe('2025-03-04');
    expect(rfc822Day('Mon, 3 Mar 2025 23:30:00 +0000')).toBe('2025-03-03');
    expect(rfc822Day('yesterday')).toBeUndefined();
  });
});

describe('arxiv-new fetcher over loopback', () => {
  it('fetches each category, stores the papers once, and retries a 503', async () => {
    const s = await replayServer();
    const feed = fixture('arxiv-rss/cs.LG-2025-03-04.xml');
    s.on('/rss/cs.LG', [{ status: 503, headers: { 'retry-after': '1' } }, { body: feed, headers: { 'content-type': 'application/rss+xml' } }]);
    // The cs.CL listing repeats the cross-listed paper: it must merge, not duplicate.
    s.on('/rss/cs.CL', { body: feed.replace(/<item>[\s\S]*?<\/item>/, '') });
    const store = new SqliteStore(join(tempDir(), 'r.db'));
    try {
      const waits: number[] = [];
      const client = new HttpClient({ userAgent: 'test', minIntervalMs: 1, sleep: async (ms) => void waits.push(ms), random: () => 0 });
      const report = await fetchArxivNew(
        { client, store, now: () => new Date('2025-03-04T11:00:00Z') },
        { baseUrl: `${s.url}/rss`, categories: ['cs.LG', 'cs.CL'] },
      );
      expect(waits).toContain(1000);
      expect(report.requests).toBe(2);
      expect(report.counts.added).toBe(8);
      expect((await store.papers.stats()).papers).toBe(8);
      const p = await store.papers.getPaper('2503.01003');
      expect(p).toMatchObject({ announced: '2025-03-04', listingDate: '2025-03-04' });
      expect(s.requests.every((r) => r.headers['user-agent'] === 'test')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('bounds hostile upstream fields like an import does, and stores the rest of the page', async () => {
    const s = await replayServer();
    const feed = fixture('arxiv-rss/cs.LG-2025-03-04.xml').replace(
      'Abstract: Neural collapse describes',
      `Abstract: ${'collapse '.repeat(40_000)}Neural collapse describes`,
    );
    s.on('/rss/cs.LG', { body: feed });
    const store = new SqliteStore(join(tempDir(), 'r.db'));
    try {
      const client = new HttpClient({ userAgent: 'test', minIntervalMs: 1 });
      const report = await fetchArxivNew({ client, store, now: () => new Date('2025-03-04T11:00:00Z') }, { baseUrl: `${s.url}/rss`, categories: ['cs.LG'] });
      expect(report.counts.added).toBe(8);
      expect(report.problems.some((p) => p.field === 'abstract' && p.severity === 'warning')).toBe(true);
      expect((await store.papers.getPaper('2503.01001'))!.abstract.length).toBeLessThanOrEqual(20_000);
    } finally {
      await store.close();
    }
  });

  it('runs the after-import hooks (index maintenance) when a fetch changed papers, and only then', async () => {
    const s = await replayServer();
    s.on('/rss/cs.LG', { body: fixture('arxiv-rss/cs.LG-2025-03-04.xml') });
    const store = new SqliteStore(join(tempDir(), 'r.db'));
    const calls: { added: number; records: number }[] = [];
    const hook = { name: 'test-hook', run: async (_s: unknown, r: { totals: { added: number; records: number } }) => void calls.push({ added: r.totals.added, records: r.totals.records }) };
    try {
      const deps = { client: new HttpClient({ userAgent: 'test', minIntervalMs: 1 }), store, now: () => new Date('2025-03-04T11:00:00Z') };
      await runAfterFetch(store, await fetchArxivNew(deps, { baseUrl: `${s.url}/rss`, categories: ['cs.LG'] }), [hook]);
      await runAfterFetch(store, await fetchArxivNew(deps, { baseUrl: `${s.url}/rss`, categories: ['cs.LG'] }), [hook]);
      expect(calls).toEqual([{ added: 8, records: 8 }]);
    } finally {
      await store.close();
    }
  });
});
