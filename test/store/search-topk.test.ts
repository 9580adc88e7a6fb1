/**
 * Block-max top-k ranking (src/store/sqlite/search-topk.ts): on a corpus of
 * common words, every broad query's top results, pruned, equal the exhaustive
 * ranking's exactly (same papers, same order, same scores), also after papers
 * were added or rewritten since the maxima were built.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { parseQuery } from '../../src/query/parse.ts';
import type { KeywordMatch } from '../../src/store/types.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { SqliteSearch } from '../../src/store/sqlite/search.ts';
import { mulberry32 } from '../../src/text/random.ts';
import { tempDir } from '../helpers/tmp.ts';

const NOW = '2025-06-01T00:00:00Z';
const VOCAB = ['neural', 'graph', 'language', 'model', 'diffusion', 'reward', 'agent', 'vision', 'robust', 'sparse', 'kernel', 'token', 'memory', 'search', 'policy', 'causal', 'signal', 'quantum', 'protein', 'theorem'];
const CATS = ['cs.LG', 'cs.CL', 'cs.CV', 'stat.ML', 'q-bio.BM'];

function corpus(n: number, seed: number, offset = 0): PaperRecord[] {
  const rand = mulberry32(seed);
  // Skewed word choice, so some words are common and impacts vary.
  const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 1.7)];
  const text = (len: number) => Array.from({ length: len }, word).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    arxivId: `2402.${String(offset + i + 1).padStart(5, '0')}`,
    title: text(3 + Math.floor(rand() * 8)),
    abstract: text(10 + Math.floor(rand() * 60)),
    authors: [`Author ${Math.floor(rand() * 50)}`],
    categories: [CATS[Math.floor(rand() * CATS.length)]],
    announced: `202${Math.floor(rand() * 4)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
    source: { kind: 'manual', locator: `topk:${offset + i}`, seenAt: '2025-01-01T00:00:00Z' },
  }));
}

function queries(n: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const w = () => VOCAB[Math.floor(VOCAB.length * rand() ** 1.5)];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.3) out.push(w());
    else if (r < 0.55) out.push(`${w()} ${w()}`);
    else if (r < 0.65) out.push(`${w()} ${w()} ${w()}`);
    else if (r < 0.75) out.push(`"${w()} ${w()}"`);
    else if (r < 0.85) out.push(`${w()} cat:${CATS[Math.floor(rand() * CATS.length)]}`);
    else if (r < 0.92) out.push(`${w()} -${w()}`);
    else out.push(`${w()} year:202${Math.floor(rand() * 4)}`);
  }
  return out;
}

async function compare(store: SqliteStore, texts: string[], match: KeywordMatch, limit = 60): Promise<{ pruned: number }> {
  const search = store.search as SqliteSearch;
  // Block-max pruning itself: plain-word queries would otherwise be ranked from the postings.
  search.usePostings = false;
  let pruned = 0;
  for (const text of texts) {
    const query = parseQuery(text).query;
    const req = { query, sort: 'relevance' as const, limit, offset: 0, match, budget: 1_000_000 };
    search.topKFrom = 50;
    const fast = await search.searchKeyword(req);
    search.topKFrom = 1e9;
    const exact = await search.searchKeyword(req);
    expect(exact.bounded, text).toBe(false);
    expect(fast.hits, text).toEqual(exact.hits);
    if (!exact.totalExact || fast.totalExact !== exact.totalExact) pruned++;
  }
  return { pruned };
}

describe('block-max top-k ranking (SQLite)', () => {
  it('equals the exhaustive ranking on every broad query, with filters, phrases and exclusions', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers(corpus(1500, 7), NOW);
    const built = await (store.search as SqliteSearch).refreshRankIndex({ force: true, minDf: 20, shift: 4 });
    expect(built.rebuilt).toBe(true);
    expect(built.terms).toBeGreaterThanOrEqual(VOCAB.length - 2);
    const texts = queries(150, 11);
    // Most queries here match more than 50 papers: they took the pruned path (estimated totals).
    const all = await compare(store, texts, 'all');
    expect(all.pruned).toBeGreaterThan(100);
    await compare(store, texts.slice(0, 40), 'any', 20);
    await compare(store, texts.slice(0, 40), 'all', 7);
    await store.close();
  });

  it('stays exact for papers added and rewritten after the build', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers(corpus(1200, 3), NOW);
    await (store.search as SqliteSearch).refreshRankIndex({ force: true, minDf: 20, shift: 4 });
    // New papers that outscore everything on "quantum", and an old paper rewritten to do the same.
    const strong = corpus(30, 5, 5000).map((p) => ({ ...p, title: 'quantum quantum', abstract: 'quantum kernel quantum' }));
    await store.papers.upsertPapers(strong, NOW);
    store.db.prepare("UPDATE papers SET title = 'quantum quantum quantum', abstract = 'quantum theorem' WHERE pk = 1").run();
    expect((store.db.prepare('SELECT count(*) AS n FROM search_impacts_stale').get() as { n: number }).n).toBeGreaterThan(0);
    await compare(store, ['quantum', 'quantum kernel', 'quantum theorem', 'kernel', ...queries(40, 12)], 'all');
    const top = await store.search.searchKeyword({ query: parseQuery('quantum').query, sort: 'relevance', limit: 40, offset: 0, budget: 1_000_000 });
    expect(top.hits.map((h) => h.pk)).toContain(1);
    await store.close();
  });

  it('is not used without its index: search ranks as before', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers(corpus(400, 9), NOW);
    await compare(store, queries(20, 4), 'all');
    await store.close();
  });
});
