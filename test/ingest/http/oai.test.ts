import { describe, expect, it } from 'vitest';
import { harvestKey, harvestOai } from '../../../src/ingest/http/oai.ts';
import { fetchDeps } from './helpers.ts';
import { HARVEST_IDS, oaiResponder, spec } from './oai-replay.ts';
import { fixture, replayServer } from './replay-server.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('OAI-PMH harvest over loopback', () => {
  it('harvests chunk by chunk following resumption tokens', async () => {
    const s = await replayServer();
    s.on('/oai', oaiResponder());
    const deps = fetchDeps();
    const r = await harvestOai(deps, spec(s.url));
    const q = s.requestsTo('/oai').map((x) => Object.fromEntries(x.query));
    expect(q).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXiv', from: '2025-03-01', until: '2025-03-07', set: 'cs' },
      { verb: 'ListRecords', resumptionToken: '6961029|1001' },
      { verb: 'ListRecords', resumptionToken: '6961029|2001' },
      { verb: 'ListRecords', metadataPrefix: 'arXiv', from: '2025-03-08', until: '2025-03-10', set: 'cs' },
    ]);
    expect(r.counts.added).toBe(10);
    expect(r.state).toMatchObject({ done: true, pages: 4, records: 10, deleted: 1 });
    expect((await deps.store.papers.stats()).papers).toBe(10);
    // Done is done: a second call asks nothing.
    await harvestOai(deps, spec(s.url));
    expect(s.requestsTo('/oai')).toHaveLength(4);
  });

  it('resumes an interrupted harvest from the saved token, without duplicates or gaps', async () => {
    const s = await replayServer();
    s.on('/oai', oaiResponder());
    const dir = tempDir();
    const first = fetchDeps({ dir });
    const part = await harvestOai(first, spec(s.url), { maxPages: 2 });
    expect(part.state).toMatchObject({ done: false, token: '6961029|2001', pages: 2 });
    expect(await first.store.jobs.getState(harvestKey(spec(s.url)))).toMatchObject({ token: '6961029|2001', cursor: 3, completeListSize: 9 });
    await first.store.close();
    const second = fetchDeps({ dir });
    const rest = await harvestOai(second, spec(s.url));
    expect(second.lines[0]).toMatch(/resuming at chunk 2025-03-01 with token 6961029\|2001/);
    expect(s.requestsTo('/oai').map((x) => x.query.get('resumptionToken') ?? x.query.get('from'))).toEqual([
      '2025-03-01',
      '6961029|1001',
      '6961029|2001',
      '2025-03-08',
    ]);
    expect(rest.state.done).toBe(true);
    const ids = [];
    for await (const batch of second.store.papers.scanPapers(100)) ids.push(...batch.map((p) => p.arxivId));
    expect(ids.sort()).toEqual(HARVEST_IDS);
  });

  it('restarts the current chunk when the saved token has expired (badResumptionToken)', async () => {
    const s = await replayServer();
    let expired = true;
    s.on('/oai', oaiResponder({ token: (t) => (t === '6961029|2001' && expired ? ((expired = false), { body: fixture('oai/badResumptionToken.xml') }) : undefined) }));
    const deps = fetchDeps();
    const r = await harvestOai(deps, spec(s.url));
    expect(r.state).toMatchObject({ done: true, restarts: 1 });
    expect(s.requestsTo('/oai').map((x) => x.query.get('resumptionToken') ?? x.query.get('from'))).toEqual([
      '2025-03-01',
      '6961029|1001',
      '6961029|2001',
      '2025-03-01',
      '6961029|1001',
      '6961029|2001',
      '2025-03-08',
    ]);
    expect((await deps.store.papers.stats()).papers).toBe(10);
  });

  it('treats noRecordsMatch as an empty window, asks again for a malformed page, and reports other OAI errors', async () => {
    const s = await replayServer();
    s.on('/oai', oaiResponder());
    const deps = fetchDeps();
    const empty = await harvestOai(deps, spec(s.url, { from: '2025-03-11', until: '2025-03-12' }));
    expect(empty.state).toMatchObject({ done: true, records: 0 });
    let broken = 1;
    s.on('/oai', oaiResponder({ token: (t) => (t === '6961029|1001' && broken-- > 0 ? { body: fixture('oai/chunk1-page2-malformed.xml') } : undefined) }));
    const r = await harvestOai(deps, spec(s.url, { until: '2025-03-07' }));
    expect(r.state.records).toBe(8);
    expect(deps.lines.join('\n')).toMatch(/malformed page .*asking again/);
    await expect(harvestOai(deps, spec(s.url, { set: 'nope' }))).rejects.toThrow(/OAI error badArgument: Illegal argument: set=nope/);
  });

  it('survives a 503 with Retry-After mid-harvest', async () => {
    const s = await replayServer();
    let busy = 1;
    s.on('/oai', oaiResponder({ token: (t) => (t === '6961029|2001' && busy-- > 0 ? { status: 503, headers: { 'retry-after': '5' } } : undefined) }));
    const deps = fetchDeps();
    const r = await harvestOai(deps, spec(s.url));
    expect(r.state.done).toBe(true);
    expect(deps.waits).toContain(5000);
  });
});
