import { describe, expect, it } from 'vitest';
import { authorQuery, categoryQuery, fetchArxivApi, fetchArxivIds } from '../../../src/ingest/http/arxiv-api.ts';
import { fetchHfDaily, daysBack } from '../../../src/ingest/http/hf-daily.ts';
import { fetchDeps } from './helpers.ts';
import { fixture, replayServer } from './replay-server.ts';

const opts = (url: string) => ({ baseUrl: `${url}/api/query`, pageSize: 3 });

describe('arXiv API queries', () => {
  it('builds category + date-range and author queries', () => {
    expect(categoryQuery(['cs.LG'], '2025-03-03', '2025-03-04')).toBe('cat:cs.LG AND submittedDate:[202503030000 TO 202503042359]');
    expect(categoryQuery(['cs.LG', 'cs.CL'])).toBe('(cat:cs.LG OR cat:cs.CL)');
    expect(authorQuery('Leyan "Pan"')).toBe('au:"Leyan Pan"');
    expect(() => categoryQuery(['cs.LG'], '3 March')).toThrow(/YYYY-MM-DD/);
  });
});

describe('arXiv API fetcher over loopback', () => {
  it('pages through start/max_results until the OpenSearch total, storing each page', async () => {
    const s = await replayServer();
    s.on('/api/query', (r) => ({ body: fixture(r.query.get('start') === '0' ? 'arxiv-api/cat-page1.xml' : 'arxiv-api/cat-page2.xml') }));
    const deps = fetchDeps();
    const report = await fetchArxivApi(deps, opts(s.url), {
      search: categoryQuery(['cs.LG'], '2025-03-03', '2025-03-04'),
      sortBy: 'submittedDate',
      sortOrder: 'descending',
    });
    const reqs = s.requestsTo('/api/query');
    expect(reqs.map((r) => [r.query.get('start'), r.query.get('max_results')])).toEqual([
      ['0', '3'],
      ['3', '3'],
    ]);
    expect(reqs[0].query.get('search_query')).toBe('cat:cs.LG AND submittedDate:[202503030000 TO 202503042359]');
    expect(reqs[0].query.get('sortBy')).toBe('submittedDate');
    expect(report.counts.added).toBe(5);
    expect(report.notes.total).toBe(5);
    expect((await deps.store.papers.getPaper('2503.00103'))?.title).toMatch(/^Curriculum Learning for Code Generation/);
  });

  it('fetches by id list and reports the API error entry for a bad id', async () => {
    const s = await replayServer();
    s.on('/api/query', (r) => ({ body: fixture(r.query.get('id_list') === '1234.bad' ? 'arxiv-api/error.xml' : 'arxiv-api/idlist-enrich.xml') }));
    const deps = fetchDeps();
    const ok = await fetchArxivIds(deps, opts(s.url), ['2309.06781']);
    expect(ok.counts.added).toBe(1);
    expect(s.requests[0].query.get('id_list')).toBe('2309.06781');
    await expect(fetchArxivIds(deps, opts(s.url), ['1234.bad'])).rejects.toThrow(/arXiv API rejected the query .*incorrect id format for 1234\.bad/);
  });

  it('honours maxResults, treats an empty result as done and fails clearly on a truncated or malformed page', async () => {
    const s = await replayServer();
    s.on('/api/query', { body: fixture('arxiv-api/empty.xml') });
    const deps = fetchDeps();
    const empty = await fetchArxivApi(deps, opts(s.url), { search: authorQuery('Nobody Atall') });
    expect(empty).toMatchObject({ requests: 1, records: 0 });
    const page = fixture('arxiv-api/cat-page1.xml');
    s.on('/api/query', { body: page.slice(0, page.length / 2) });
    await expect(fetchArxivApi(deps, opts(s.url), { search: 'cat:cs.LG' })).rejects.toThrow(/malformed page/);
    s.on('/api/query', { body: page });
    const capped = await fetchArxivApi(deps, { ...opts(s.url), pageSize: 100 }, { search: 'cat:cs.LG', maxResults: 2 });
    expect(s.requests.at(-1)?.query.get('max_results')).toBe('2');
    expect(capped.requests).toBe(1);
  });

  it('retries a body cut short by the server and a 429, then succeeds', async () => {
    const s = await replayServer();
    const page1 = fixture('arxiv-api/cat-page1.xml');
    s.on('/api/query', [{ body: page1, truncateAt: 500 }, { status: 429, headers: { 'retry-after': '2' } }, { body: fixture('arxiv-api/empty.xml') }]);
    const deps = fetchDeps();
    await fetchArxivApi(deps, opts(s.url), { search: 'cat:cs.LG' });
    expect(s.requests).toHaveLength(3);
    expect(deps.waits).toContain(2000);
  });
});

describe('Hugging Face daily papers over loopback', () => {
  it('fetches each date, stores papers with upvotes and refreshes them on a second run', async () => {
    const s = await replayServer();
    const day = fixture('hf/daily_papers-2025-03-04.json');
    s.on('/api/daily_papers', (r) => ({
      body: r.query.get('date') === '2025-03-04' ? day : fixture('hf/daily_papers-empty.json'),
      headers: { 'content-type': 'application/json' },
    }));
    const deps = fetchDeps();
    expect(daysBack('2025-03-04', 2)).toEqual(['2025-03-03', '2025-03-04']);
    const r = await fetchHfDaily(deps, { baseUrl: s.url, dates: daysBack('2025-03-04', 2) });
    expect(s.requests.map((q) => q.query.get('date'))).toEqual(['2025-03-03', '2025-03-04']);
    expect(r.counts.added).toBe(3);
    expect(r.notes.perDay).toEqual({ '2025-03-03': 0, '2025-03-04': 3 });
    const p = await deps.store.papers.getPaper('2503.02011');
    expect(p?.signals).toMatchObject({ upvotes: 88, organization: 'Stability AI', featuredOn: '2025-03-04' });
    s.on('/api/daily_papers', { body: day.replace('"upvotes": 88', '"upvotes": 120') });
    await fetchHfDaily(deps, { baseUrl: s.url, dates: ['2025-03-04'] });
    expect((await deps.store.papers.getPaper('2503.02011'))?.signals.upvotes).toBe(120);
  });

  it('fails (to be retried) on an HTML error page served with status 200, and on a timeout', async () => {
    const s = await replayServer();
    s.on('/api/daily_papers', { body: '<html><body>We are down for maintenance</body></html>' });
    const deps = fetchDeps({ timeoutMs: 150 });
    await expect(fetchHfDaily(deps, { baseUrl: s.url, dates: ['2025-03-04'] })).rejects.toThrow(/did not return the daily papers list/);
    s.on('/api/daily_papers', { stallMs: 1000, body: '[]' });
    await expect(fetchHfDaily(deps, { baseUrl: s.url, dates: ['2025-03-04'] })).rejects.toThrow(/daily_papers\?date=2025-03-04.*within 150 ms/);
  });
});
