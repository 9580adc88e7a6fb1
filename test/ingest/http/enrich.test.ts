import { describe, expect, it } from 'vitest';
import { abstractContinues, enrichPapers, sameTitle } from '../../../src/ingest/http/enrich.ts';
import { fetchDeps } from './helpers.ts';
import { fixture, replayServer } from './replay-server.ts';

const SWI_SNIPPET =
  'Recent work shows that, beyond discrete reasoning through explicit chain-of-thought steps, which are limited by the boundaries of natural languages, large language models (LLMs) can also reason continuously in latent space, allowing richer information per…';

describe('match checks', () => {
  it('accepts folded-equal or near-identical titles, not merely similar ones', () => {
    expect(sameTitle('SwiReasoning: Switch-Thinking in Latent and Explicit', 'swireasoning — switch thinking in latent and explicit')).toBe(true);
    expect(sameTitle('Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay', 'Towards Understanding Neural Collapse: Effects of Batch Normalization and Weight Decay')).toBe(true);
    expect(sameTitle('Switch Reasoning in Latent Space for Small Language Models', 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs')).toBe(false);
    expect(sameTitle('Neural Collapse', 'Neural Collapse Revisited')).toBe(false);
  });

  it('accepts a full abstract only when it continues the snippet word for word', () => {
    const full = 'Recent work shows that, beyond discrete reasoning through explicit chain-of-thought steps, which are limited by the boundaries of natural languages, large language models (LLMs) can also reason continuously in latent space, allowing richer information per step and thereby improving token efficiency.';
    expect(abstractContinues(SWI_SNIPPET, full)).toBe(true);
    expect(abstractContinues(SWI_SNIPPET, full.replace('latent space', 'hidden space'))).toBe(false);
    expect(abstractContinues('In this paper we propose…', full)).toBe(false);
  });
});

describe('enrichment over loopback', () => {
  it('completes papers by id and by search, never merging a wrong hit, and does not retry too soon', async () => {
    const s = await replayServer();
    const deps = fetchDeps();
    const src = (n: number) => ({ kind: 'listing' as const, locator: `paste.txt:${n}`, seenAt: '2025-03-01T00:00:00Z' });
    await deps.store.papers.upsertPapers(
      [
        // An untitled abstract block (like seeds/002) with a cut-off abstract.
        { abstract: SWI_SNIPPET, abstractTruncated: true, source: src(1) },
        // A known id with a snippet only.
        { arxivId: '2309.06781', title: 'Towards Understanding Neural Collapse', abstract: 'Neural Collapse (NC) is a geometric structure…', abstractTruncated: true, source: src(2) },
        // A title whose only search hit is a different paper.
        {
          title: 'Switch Reasoning for Tiny Models Without Training',
          abstract: 'Short snippet about tiny models…',
          abstractTruncated: true,
          source: src(3),
        },
      ],
      '2025-03-01T00:00:00Z',
    );
    s.on('/api/query', (r) => {
      const q = r.query.get('search_query') ?? '';
      if (q.startsWith('ti:"Switch Reasoning for Tiny')) return { body: fixture('arxiv-api/search-decoy-only.xml') };
      if (r.query.get('id_list') === '2309.06781') return { body: fixture('arxiv-api/idlist-enrich.xml') };
      if (q.startsWith('abs:"recent work shows that beyond discrete')) return { body: fixture('arxiv-api/search-title-swi.xml') };
      return { body: fixture('arxiv-api/empty.xml') };
    });
    const r = await enrichPapers(deps, { baseUrl: `${s.url}/api/query`, pageSize: 10, limit: 10 });
    expect(r.outcomes.map((o) => [o.result, o.arxivId])).toEqual([
      ['completed', '2309.06781'],
      ['completed', '2510.05069'],
      ['no-match', undefined],
    ]);
    const stats = await deps.store.papers.stats();
    expect(stats.papers).toBe(3); // the matched hit joined its paper; the decoy was not stored
    const swi = await deps.store.papers.getPaper('arxiv:2510.05069');
    expect(swi?.title).toBe('SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs');
    expect(swi?.abstractTruncated).toBe(false);
    expect(swi?.authors).toHaveLength(7);
    const nc = await deps.store.papers.getPaper('arxiv:2309.06781');
    expect(nc?.abstract).toMatch(/critically influence the emergence of NC\.$/);
    expect(await deps.store.papers.getPaper('arxiv:2406.11111')).toBeUndefined();
    // Tried papers wait a week before the next attempt.
    const again = await enrichPapers(deps, { baseUrl: `${s.url}/api/query`, pageSize: 10, limit: 10 });
    expect(again.outcomes).toEqual([]);
  });
});
