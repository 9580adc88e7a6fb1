import { describe, expect, it } from 'vitest';
import { biorxivKey, fetchBiorxiv, type BiorxivSpec } from '../../../src/ingest/http/biorxiv.ts';
import { parseBiorxivDetails } from '../../../src/ingest/parsers/biorxiv.ts';
import { fetchDeps } from './helpers.ts';
import { fixture, replayServer } from './replay-server.ts';

const CTX = { name: 'details', seenAt: '2025-03-05T08:00:00Z', server: 'biorxiv' as const };

describe('bioRxiv details parser', () => {
  it('maps an entry: DOI, authors as "Last, F." turned round, version day, category, journal DOI, institution', () => {
    const page = parseBiorxivDetails(fixture('biorxiv/details-page0.json'), CTX);
    expect(page.count).toBe(3);
    expect(page.total).toBe(5);
    const [a, , c] = page.records;
    expect(a).toMatchObject({
      doi: '10.1101/2025.02.27.640512',
      title: 'Dendritic spikes gate plasticity in layer 5 pyramidal neurons during motor learning',
      authors: ['C. N. Okafor', 'J. Müller', 'H. Tanaka'],
      categories: ['neuroscience'],
      published: '2025-03-03',
      versions: [{ version: 1, date: '2025-03-03' }],
      venue: 'bioRxiv',
      license: 'cc_by',
      links: { abs: 'https://www.biorxiv.org/content/10.1101/2025.02.27.640512v1' },
      signals: { organization: 'RIKEN Center for Brain Science' },
      source: { kind: 'biorxiv', locator: 'details#1' },
    });
    // A revised version: not the day it first appeared, but it carries the journal version's DOI.
    expect(c.published).toBeUndefined();
    expect(c.updated).toBe('2025-03-04');
    expect(c.links?.journal).toBe('https://doi.org/10.1038/s41594-025-01502-7');
  });

  it('reports an entry with nothing to identify it and keeps the rest; "no posts found" is an empty page, HTML is unreadable', () => {
    const page = parseBiorxivDetails(fixture('biorxiv/details-page3.json'), CTX);
    expect(page.records).toHaveLength(1);
    expect(page.problems).toEqual([{ locator: 'details#5', severity: 'error', message: 'entry has neither doi nor title' }]);
    const empty = parseBiorxivDetails(fixture('biorxiv/empty.json'), CTX);
    expect(empty).toMatchObject({ records: [], count: 0 });
    expect(empty.unreadable).toBeUndefined();
    expect(parseBiorxivDetails('<html>Service Unavailable</html>', CTX).unreadable).toMatch(/not valid JSON/);
  });
});

describe('bioRxiv/medRxiv over loopback', () => {
  const route = (s: Awaited<ReturnType<typeof replayServer>>) =>
    s.on(
      (r) => r.path.startsWith('/details/biorxiv/2025-03-03/2025-03-04/'),
      (r) => ({ body: fixture(r.path.endsWith('/0/json') ? 'biorxiv/details-page0.json' : 'biorxiv/details-page3.json') }),
    );

  it('pages by cursor until the total, by category, and merges versions of one preprint into one paper', async () => {
    const s = await replayServer();
    route(s);
    const deps = fetchDeps();
    const spec: BiorxivSpec = { baseUrl: s.url, server: 'biorxiv', from: '2025-03-03', to: '2025-03-04', category: 'Cell Biology' };
    const r = await fetchBiorxiv(deps, spec);
    expect(s.requests.map((q) => q.path)).toEqual(['/details/biorxiv/2025-03-03/2025-03-04/0/json', '/details/biorxiv/2025-03-03/2025-03-04/3/json']);
    expect(s.requests[0].query.get('category')).toBe('cell_biology');
    expect(s.requests[0].headers['user-agent']).toMatch(/PaperRadar-test/);
    expect(r.counts).toMatchObject({ added: 3, updated: 1 });
    expect(r.problemsTotal).toBe(1);
    expect(r.state).toMatchObject({ cursor: 5, total: 5, done: true, pages: 2 });
    const p = await deps.store.papers.getPaper('doi:10.1101/2025.02.27.640512');
    expect(p?.versions).toEqual([
      { version: 1, date: '2025-03-03' },
      { version: 2, date: '2025-03-04' },
    ]);
    // The longer abstract of version 2 wins; the paper still counts for the day it first appeared.
    expect(p?.abstract).toMatch(/silencing them blocks learning/);
    expect(p?.listingDate).toBe('2025-03-03');
  });

  it('resumes an interrupted window at the saved cursor, never asking again for a stored page', async () => {
    const s = await replayServer();
    route(s);
    const deps = fetchDeps();
    const spec: BiorxivSpec = { baseUrl: s.url, server: 'biorxiv', from: '2025-03-03', to: '2025-03-04' };
    const first = await fetchBiorxiv(deps, spec, { maxPages: 1 });
    expect(first.state).toMatchObject({ cursor: 3, done: false });
    expect(await deps.store.jobs.getState(biorxivKey(spec))).toMatchObject({ cursor: 3, done: false });
    const second = await fetchBiorxiv(deps, spec);
    expect(s.requests.map((q) => q.path.split('/')[5])).toEqual(['0', '3']);
    expect(second.state.done).toBe(true);
    expect((await deps.store.papers.stats()).papers).toBe(3);
  });

  it('keeps its place when a page fails, waits as Retry-After asks on 429, and treats an empty window as normal', async () => {
    const s = await replayServer();
    s.on((r) => r.path.endsWith('/0/json'), { body: fixture('biorxiv/details-page0.json') });
    s.on((r) => r.path.endsWith('/3/json'), [{ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }, { body: fixture('biorxiv/details-page3.json') }]);
    const deps = fetchDeps();
    const r = await fetchBiorxiv(deps, { baseUrl: s.url, server: 'biorxiv', from: '2025-03-03', to: '2025-03-04' });
    expect(r.state.done).toBe(true);
    expect(deps.waits).toContain(1000);

    const broken = await replayServer();
    broken.on((q) => q.path.endsWith('/0/json'), { body: fixture('biorxiv/details-page0.json') });
    broken.on((q) => q.path.endsWith('/3/json'), { body: '<html><body>Bad gateway</body></html>' });
    const deps2 = fetchDeps();
    const spec: BiorxivSpec = { baseUrl: broken.url, server: 'biorxiv', from: '2025-03-03', to: '2025-03-04' };
    await expect(fetchBiorxiv(deps2, spec)).rejects.toThrow(/did not return the details list/);
    expect(await deps2.store.jobs.getState(biorxivKey(spec))).toMatchObject({ cursor: 3, done: false });
    expect((await deps2.store.papers.stats()).papers).toBe(3);

    const empty = await replayServer();
    empty.on(() => true, { body: fixture('biorxiv/empty.json') });
    const e = await fetchBiorxiv(fetchDeps(), { baseUrl: empty.url, server: 'medrxiv', from: '2025-03-08', to: '2025-03-09' });
    expect(e).toMatchObject({ requests: 1, records: 0, state: { done: true } });
  });

  it('medRxiv: same API, its own server path, site links and source kind', async () => {
    const s = await replayServer();
    s.on('/details/medrxiv/2025-03-03/2025-03-03/0/json', { body: fixture('biorxiv/medrxiv-page0.json') });
    const deps = fetchDeps();
    const r = await fetchBiorxiv(deps, { baseUrl: s.url, server: 'medrxiv', from: '2025-03-03', to: '2025-03-03' });
    expect(r.counts.added).toBe(1);
    const p = await deps.store.papers.getPaper('doi:10.1101/2025.03.01.25323145');
    expect(p).toMatchObject({ venue: 'medRxiv', categories: ['neurology'], links: { abs: 'https://www.medrxiv.org/content/10.1101/2025.03.01.25323145v1' } });
    expect((await deps.store.papers.provenance(p!.pk))[0].source.kind).toBe('medrxiv');
  });

  it('refuses a category that is not one', async () => {
    await expect(fetchBiorxiv(fetchDeps(), { baseUrl: 'http://127.0.0.1:9', server: 'biorxiv', from: '2025-03-03', to: '2025-03-03', category: 'cs.LG' })).rejects.toThrow(
      /not a bioRxiv\/medRxiv subject category/,
    );
  });
});
