import { describe, expect, it } from 'vitest';
import { enrichFromOpenAlex } from '../../../src/ingest/http/openalex.ts';
import { parseOpenAlexWorks } from '../../../src/ingest/parsers/openalex.ts';
import type { PaperRecord } from '../../../src/paper/types.ts';
import { fetchDeps } from './helpers.ts';
import { fixture, replayServer } from './replay-server.ts';

const arxiv = (arxivId: string, title: string, day: string): PaperRecord => ({
  arxivId,
  title,
  abstract: `${title}. An abstract long enough to be an abstract.`,
  authors: ['A. Author'],
  published: day,
  categories: ['cs.LG'],
  source: { kind: 'arxiv-api', locator: `http://export.arxiv.org/abs/${arxivId}`, seenAt: '2025-11-01T00:00:00Z' },
});

describe('OpenAlex works parser', () => {
  it('finds the arXiv id by DOI or arxiv.org location, and the published DOI and venue apart from the arXiv repository', () => {
    const { works, count } = parseOpenAlexWorks(fixture('openalex/works-arxiv.json'));
    expect(count).toBe(2);
    expect(works[0]).toEqual({
      work: 'W4386721430',
      arxivIds: ['2309.06781'],
      publishedDoi: '10.1109/tpami.2024.3401234',
      venue: 'IEEE Transactions on Pattern Analysis and Machine Intelligence',
      year: 2024,
      citations: 37,
    });
    // Only the preprint known: its DataCite DOI is not a publication, the repository not a venue.
    expect(works[1]).toMatchObject({ arxivIds: ['2510.05069'], citations: 4 });
    expect(works[1].publishedDoi).toBeUndefined();
    expect(works[1].venue).toBeUndefined();
    expect(parseOpenAlexWorks('{"error":"Invalid query parameters"}').unreadable).toMatch(/no "results"/);
  });
});

describe('OpenAlex enrichment over loopback', () => {
  it('merges a preprint and its journal version into one paper, stores venue and citations, and does not ask again too soon', async () => {
    const s = await replayServer();
    s.on('/works', { body: fixture('openalex/works-arxiv.json') });
    const deps = fetchDeps({ now: '2025-11-20T09:00:00Z' });
    await deps.store.papers.upsertPapers(
      [
        arxiv('2309.06781', 'Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay', '2025-11-10'),
        arxiv('2510.05069', 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs', '2025-11-12'),
        arxiv('2511.00001', 'A Paper OpenAlex Has Not Seen Yet', '2025-11-18'),
        // The journal version, imported from a reference manager under its DOI and a reworded title: a separate paper so far.
        {
          doi: '10.1109/tpami.2024.3401234',
          title: 'Neural Collapse under Batch Normalization and Weight Decay',
          authors: ['A. Author'],
          year: 2024,
          source: { kind: 'bibtex', locator: 'library.bib:12', seenAt: '2025-11-01T00:00:00Z' },
        },
      ],
      '2025-11-01T00:00:00Z',
    );
    expect((await deps.store.papers.stats()).papers).toBe(4);

    const spec = { baseUrl: s.url, from: '2025-11-01', to: '2025-11-20', limit: 100, mailto: 'radar@example.org' };
    const r = await enrichFromOpenAlex(deps, spec);
    expect(s.requests).toHaveLength(1);
    const q = s.requests[0].query;
    expect(q.get('filter')!.split(':')[0]).toBe('doi');
    expect(q.get('filter')!.slice(4).split('|').sort()).toEqual(['10.48550/arxiv.2309.06781', '10.48550/arxiv.2510.05069', '10.48550/arxiv.2511.00001']);
    expect(q.get('mailto')).toBe('radar@example.org');
    expect(r.counts.merged).toBe(1);
    expect(r.notes).toMatchObject({ asked: 3, found: 2, published: 1 });

    expect((await deps.store.papers.stats()).papers).toBe(3);
    const nc = await deps.store.papers.getPaper('doi:10.1109/tpami.2024.3401234');
    expect(nc).toMatchObject({
      id: 'arxiv:2309.06781',
      doi: '10.1109/tpami.2024.3401234',
      venue: 'IEEE Transactions on Pattern Analysis and Machine Intelligence',
      signals: { citations: 37, citationsAt: '2025-11-20' },
    });
    expect((await deps.store.papers.getPaper('arxiv:2510.05069'))?.signals).toMatchObject({ citations: 4 });
    expect((await deps.store.papers.getPaper('arxiv:2510.05069'))?.doi).toBeUndefined();
    // Not found: stamped as asked, so the next run leaves it alone.
    expect((await deps.store.papers.getPaper('arxiv:2511.00001'))?.signals.citationsAt).toBe('2025-11-20');
    const again = await enrichFromOpenAlex(deps, spec);
    expect(again.requests).toBe(0);
  });

  it('backs off on 429 as Retry-After says, and fails (to be retried) on a body that is not a works list', async () => {
    const s = await replayServer();
    s.on('/works', [{ status: 429, headers: { 'retry-after': '2' }, body: '{"error":"rate limited"}' }, { body: fixture('openalex/works-arxiv.json') }]);
    const deps = fetchDeps({ now: '2025-11-20T09:00:00Z' });
    await deps.store.papers.upsertPapers([arxiv('2510.05069', 'SwiReasoning', '2025-11-12')], '2025-11-01T00:00:00Z');
    const r = await enrichFromOpenAlex(deps, { baseUrl: s.url, from: '2025-11-01', to: '2025-11-20', limit: 10 });
    expect(deps.waits).toContain(2000);
    expect(r.notes).toMatchObject({ found: 1 });

    const bad = await replayServer();
    bad.on('/works', { body: '<html>maintenance</html>' });
    const deps2 = fetchDeps({ now: '2025-11-20T09:00:00Z' });
    await deps2.store.papers.upsertPapers([arxiv('2510.05069', 'SwiReasoning', '2025-11-12')], '2025-11-01T00:00:00Z');
    await expect(enrichFromOpenAlex(deps2, { baseUrl: bad.url, from: '2025-11-01', to: '2025-11-20', limit: 10 })).rejects.toThrow(/did not return a works list/);
    expect((await deps2.store.papers.getPaper('arxiv:2510.05069'))?.signals.citationsAt).toBeUndefined();
  });
});
