/**
 * An external embedder is fused with the lexical scores, not substituted for
 * them: through a real OpenAI-compatible endpoint on loopback, similar papers,
 * search and the profile model each rank first the paper that is close in
 * both the endpoint's space and its words — ahead of one close only in words
 * and one close only in the endpoint's space.
 */
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainProfileModel, EXTERNAL_DENSE_SHARE } from '../../src/rank/recommend.ts';
import { similarToPaper } from '../../src/rank/similar.ts';
import { searchPapers } from '../../src/rank/search.ts';
import { searchDepsFor } from '../../src/rank/search-deps.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { openRetrieval } from '../../src/vectors/retrieval.ts';
import { refreshIndexes } from '../../src/vectors/refresh.ts';
import { refreshOptionsFor, resolveEmbedder } from '../../src/vectors/select.ts';
import { tempDir } from '../helpers/tmp.ts';
import { embeddingServer } from '../vectors/embedding-server.ts';

const NOW = '2025-01-02T00:00:00Z';

// Title → the endpoint's embedding. Q, the query paper; BOTH shares its words and its place in the
// endpoint's space; WORDS shares more words but sits elsewhere; SPACE sits next to Q with no word in common.
const PAPERS: { key: string; title: string; abstract: string; vec: number[] }[] = [
  { key: 'Q', title: 'Zeolite catalysts for methane upgrading', abstract: 'Zeolite catalyst pores convert methane into aromatics under mild conditions.', vec: [1, 0, 0, 0] },
  { key: 'BOTH', title: 'Methane activation inside zeolite channels', abstract: 'Confinement in zeolite channels lowers the barrier of methane activation.', vec: [0.97, 0.24, 0, 0] },
  { key: 'WORDS', title: 'A catalogue of zeolite pore catalysts', abstract: 'We list zeolite pore geometries and catalyst loadings found in methane and aromatics patents.', vec: [0, 0, 1, 0] },
  { key: 'SPACE', title: 'Porous frameworks for hydrocarbon valorisation', abstract: 'Microporous solids turn light alkanes into valuable chemicals.', vec: [0.99, 0.1, 0, 0] },
  ...Array.from({ length: 12 }, (_, i) => ({
    key: `F${i}`,
    title: `Filler study ${i} on ${['speech', 'vision', 'graphs', 'robots'][i % 4]}`,
    abstract: `Unrelated work number ${i} about ${['acoustic models', 'image segmentation', 'message passing', 'grasp planning'][i % 4]}.`,
    vec: [0, 0, i % 2, 1],
  })),
];

function vectorOf(text: string): number[] {
  const p = PAPERS.find((x) => text.startsWith(x.title));
  if (p) return p.vec;
  // Query texts: near Q when they speak of its subject.
  return /methane|zeolite|alkane/i.test(text) ? [1, 0.05, 0, 0] : [0, 0, 0, 1];
}

async function indexed() {
  const srv = await embeddingServer((body, _req, res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: body.input.map((t, index) => ({ index, embedding: vectorOf(t) })) })),
  );
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  const res = await store.papers.upsertPapers(
    PAPERS.map((p, i) => ({ title: p.title, abstract: p.abstract, arxivId: `2501.${String(i + 1).padStart(5, '0')}`, authors: ['A. Author'], source: { kind: 'manual' as const, locator: `t:${i}`, seenAt: NOW } })),
    NOW,
  );
  const pk = new Map(PAPERS.map((p, i) => [p.key, res.outcomes[i].pk]));
  const embedder = resolveEmbedder(`openai:${srv.baseUrl}?model=space`, {});
  await refreshIndexes(store, refreshOptionsFor(embedder));
  const r = await openRetrieval(store, { setting: embedder });
  const keyOf = (p: number) => PAPERS[[...pk.values()].indexOf(p)].key;
  return { store, r, pk, keyOf, srv };
}

describe('an external embedder is fused with the lexical scores', () => {
  it('similar papers, search and the profile model rank the paper close in both first', async () => {
    const { store, r, pk, keyOf, srv } = await indexed();
    try {
      expect(r.dense?.state.embedder).toBe('openai:space');
      expect(r.dims.external).toBe(true);

      // Each signal alone prefers a different paper: the test would pass neither way by accident.
      const sparseOnly = await similarToPaper(r, pk.get('Q')!, { mode: 'tfidf', limit: 3 });
      expect(keyOf(sparseOnly[0].pk)).toBe('WORDS');
      const denseOnly = await similarToPaper(r, pk.get('Q')!, { mode: 'dense', limit: 3 });
      expect(keyOf(denseOnly[0].pk)).toBe('SPACE');

      const fused = await similarToPaper(r, pk.get('Q')!, { limit: 5 });
      expect(fused.map((h) => keyOf(h.pk)).slice(0, 3)).toEqual(['BOTH', expect.any(String), expect.any(String)]);
      expect(fused.map((h) => keyOf(h.pk)).slice(1, 3).sort()).toEqual(['SPACE', 'WORDS']);

      // Search: BM25 ⊕ the semantic list (TF-IDF fused with the endpoint): a keyword-only and an
      // endpoint-only match both come back, the paper with both ahead of them.
      const res = await searchPapers(await searchDepsFor(store, r), 'zeolite methane', { limit: 10 });
      const ids = res.hits.map((h) => h.id);
      const idOf = async (key: string) => (await store.papers.getPapersByPk([pk.get(key)!]))[0].id;
      expect(ids).toContain(await idOf('SPACE'));
      expect(ids).toContain(await idOf('WORDS'));
      expect(ids.indexOf(await idOf('BOTH'))).toBeLessThan(ids.indexOf(await idOf('SPACE')));
      expect(srv.calls.flatMap((c) => c.input)).toContain('zeolite methane');

      // Profiles: the joint space holds both parts at an equal share.
      const feats = await r.features([...pk.values()]);
      const model = trainProfileModel(
        [{ features: feats.get(pk.get('Q')!)!, key: 'Q' }],
        PAPERS.filter((p) => p.key.startsWith('F')).map((p) => ({ features: feats.get(pk.get(p.key)!)! })),
        r.dims,
      );
      expect(model.options.denseShare).toBe(EXTERNAL_DENSE_SHARE);
      const ranked = ['BOTH', 'WORDS', 'SPACE'].sort((a, b) => model.score(feats.get(pk.get(b)!)!).score - model.score(feats.get(pk.get(a)!)!).score);
      expect(ranked[0]).toBe('BOTH');
    } finally {
      await store.close();
    }
  });
});
