/**
 * Ranking from our own postings (src/store/sqlite/search-postings*.ts): every
 * plain-word query's results (papers, order, scores to the last bit) and
 * total equal the FTS5 ranking's, also after papers were added, rewritten,
 * deleted (a pk reused) or bulk-loaded since the build; queries the postings
 * cannot answer (phrases, prefixes, fields, filters, FTS5 syntax typed in the
 * box) are ranked as before.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { parseQuery } from '../../src/query/parse.ts';
import { decodePostings, encodePostings } from '../../src/store/search/postings.ts';
import type { SqliteSearch } from '../../src/store/sqlite/search.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { KeywordMatch } from '../../src/store/types.ts';
import { mulberry32 } from '../../src/text/random.ts';
import { tempDir } from '../helpers/tmp.ts';

const NOW = '2025-06-01T00:00:00Z';
const VOCAB = ['neural', 'graph', 'language', 'models', 'diffusion', 'reward', 'agents', 'vision', 'robust', 'sparse', 'kernel', 'token', 'memory', 'search', 'policy', 'causal', 'signal', 'quantum', 'protein', 'theorem'];
const CATS = ['cs.LG', 'cs.CL', 'cs.CV', 'stat.ML'];

function corpus(n: number, seed: number, offset = 0): PaperRecord[] {
  const rand = mulberry32(seed);
  const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 1.7)];
  const text = (len: number) => Array.from({ length: len }, word).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    arxivId: `2403.${String(offset + i + 1).padStart(5, '0')}`,
    title: text(3 + Math.floor(rand() * 8)),
    abstract: text(10 + Math.floor(rand() * 60)),
    // Some long author lists, so the authors column's counts and lengths vary too.
    authors: Array.from({ length: 1 + Math.floor(rand() ** 4 * 40) }, () => `${word()} Author${Math.floor(rand() * 50)}`),
    categories: [CATS[Math.floor(rand() * CATS.length)]],
    announced: `202${Math.floor(rand() * 4)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
    source: { kind: 'manual', locator: `postings:${offset + i}`, seenAt: '2025-01-01T00:00:00Z' },
  }));
}

function wordQueries(n: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const w = () => VOCAB[Math.floor(VOCAB.length * rand() ** 1.5)];
  return Array.from({ length: n }, (_, i) => Array.from({ length: 1 + (i % 4) }, w).join(' '));
}

const HOSTILE = [
  '"neural graph"',
  'neural*',
  'title:neural graph',
  'neural -graph',
  'neural cat:cs.LG',
  'neural year:2022',
  'author:kernel neural',
  'NEAR(neural graph)',
  'neural AND graph OR vision',
  '"neural',
  "neural' OR 1=1 --",
  '{title} : neural',
  'neural ^graph',
  'neural "" graph',
  'neural graph neural graph',
  'models model modeling',
  'neural unknownword',
  'ünïcödé neural',
  '(neural | graph) vision',
  '',
];

/** Checks every query against the FTS5 ranking; returns those the postings answered. */
async function compare(store: SqliteStore, texts: string[], match: KeywordMatch = 'all', limit = 60): Promise<string[]> {
  const search = store.search as SqliteSearch;
  const answered: string[] = [];
  for (const text of texts) {
    const req = { query: parseQuery(text).query, sort: 'relevance' as const, limit, offset: 0, match, budget: 1_000_000 };
    search.usePostings = true;
    const before = search.postingsAnswered;
    const fast = await search.searchKeyword(req);
    if (search.postingsAnswered > before) answered.push(text);
    search.usePostings = false;
    search.topKFrom = 1e9;
    const exact = await search.searchKeyword(req);
    search.usePostings = true;
    search.topKFrom = 10_000;
    expect(fast.hits, text).toEqual(exact.hits);
    expect(fast.total, text).toBe(exact.total);
    expect(fast.relaxed, text).toBe(exact.relaxed);
  }
  return answered;
}

async function built(n: number, seed: number): Promise<SqliteStore> {
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  await store.papers.upsertPapers(corpus(n, seed), NOW);
  const r = await (store.search as SqliteSearch).refreshRankIndex({ force: true, minDf: 20, shift: 4 });
  expect(r.rebuilt).toBe(true);
  return store;
}

describe('postings codec', () => {
  it('round-trips gaps and counts, escaped ones included', () => {
    const pks = [1, 2, 130, 20_000, 4_000_000_000];
    const tf: [number[], number[], number[]] = [
      [0, 3, 4, 1, 65535],
      [1, 30, 31, 0, 2],
      [0, 1, 0, 2, 0],
    ];
    const back = decodePostings(encodePostings(pks, tf), pks.length);
    expect([...back.pks]).toEqual(pks);
    expect(back.tf.map((c) => [...c])).toEqual(tf);
    expect(() => encodePostings([2, 1], [[1, 1], [0, 0], [0, 0]])).toThrow(/out of order/);
  });
});

describe('ranking from the postings (SQLite)', () => {
  it('equals the FTS5 ranking, scores and totals included, on plain-word queries; others rank as before', async () => {
    const store = await built(1500, 7);
    const texts = wordQueries(120, 11);
    // Every word has a list, 'diffusion' too (its stem 'diffus' is not one the tokenizer maps to itself).
    expect(await compare(store, texts)).toEqual(texts);
    expect(texts.some((t) => t.includes('diffusion'))).toBe(true);
    expect((await compare(store, texts.slice(0, 30), 'auto', 20)).length).toBeGreaterThan(20);
    // In pk order (no block maxima to order the blocks by) too.
    const search0 = store.search as SqliteSearch;
    search0.postingsBlocks = false;
    expect(await compare(store, texts.slice(0, 40))).toEqual(texts.slice(0, 40));
    search0.postingsBlocks = true;
    await compare(store, texts.slice(0, 30), 'any', 20);
    // Other field weights: the lists keep raw counts, so any weights rank exactly.
    const search = store.search as SqliteSearch;
    for (const text of texts.slice(0, 10)) {
      const req = { query: parseQuery(text).query, sort: 'relevance' as const, limit: 30, offset: 0, match: 'all' as const, budget: 1_000_000, weights: { title: 1, abstract: 3, authors: 0 } };
      const fast = await search.searchKeyword(req);
      search.usePostings = false;
      const exact = await search.searchKeyword(req);
      search.usePostings = true;
      expect(fast.hits, text).toEqual(exact.hits);
    }
    await store.close();
  });

  it('leaves FTS5 syntax, quotes, phrases, prefixes, fields and filters to the existing ranking, with the same results', async () => {
    const store = await built(800, 3);
    const answered = await compare(store, HOSTILE);
    expect(answered).toEqual(expect.arrayContaining(['neural graph neural graph', 'models model modeling', 'NEAR(neural graph)']));
    const syntax = ['"neural graph"', 'neural*', 'title:neural graph', 'neural -graph', 'neural cat:cs.LG', 'neural year:2022', 'author:kernel neural', '(neural | graph) vision', 'neural unknownword', 'ünïcödé neural'];
    expect(answered.filter((t) => syntax.includes(t))).toEqual([]);
    await store.close();
  });

  it('stays exact for papers added, rewritten and deleted after the build, a reused pk included', async () => {
    const store = await built(1200, 5);
    const strong = corpus(30, 6, 5000).map((p) => ({ ...p, title: 'quantum quantum', abstract: 'quantum kernel quantum' }));
    await store.papers.upsertPapers(strong, NOW);
    store.db.prepare("UPDATE papers SET title = 'quantum quantum quantum', abstract = 'quantum theorem' WHERE pk = 1").run();
    // Deleted: the best "kernel" paper, and the highest pk the lists cover, whose pk a new paper then takes.
    const best = await store.search.searchKeyword({ query: parseQuery('kernel').query, sort: 'relevance', limit: 1, offset: 0, budget: 1_000_000 });
    store.db.prepare('DELETE FROM papers WHERE pk = ?').run(best.hits[0].pk);
    const maxPk = (store.db.prepare('SELECT max(pk) AS m FROM papers').get() as { m: number }).m;
    store.db.prepare('DELETE FROM papers WHERE pk > 1200').run();
    store.db.prepare('DELETE FROM papers WHERE pk = 1200').run();
    await store.papers.upsertPapers(corpus(1, 8, 9000).map((p) => ({ ...p, title: 'kernel kernel kernel', abstract: 'kernel' })), NOW);
    expect((store.db.prepare("SELECT pk FROM papers WHERE title = 'kernel kernel kernel'").get() as { pk: number }).pk).toBe(1200);
    expect(maxPk).toBeGreaterThan(1200);
    const texts = ['quantum', 'quantum kernel', 'quantum theorem', 'kernel', ...wordQueries(40, 12)];
    expect(await compare(store, texts)).toEqual(texts);
    const top = await store.search.searchKeyword({ query: parseQuery('kernel').query, sort: 'relevance', limit: 1, offset: 0, budget: 1_000_000 });
    expect(top.hits[0].pk).toBe(1200);
    await store.close();
  });

  it('stays exact after a bulk load that adds and rewrites papers', async () => {
    const store = await built(900, 9);
    await store.bulk.begin(NOW);
    await store.papers.upsertPapers(corpus(200, 10, 7000), NOW);
    store.db.prepare("UPDATE papers SET abstract = 'protein protein protein protein signal' WHERE pk IN (3, 4, 5)").run();
    await store.bulk.finish();
    const texts = ['protein', 'protein signal', ...wordQueries(30, 13)];
    expect(await compare(store, texts)).toEqual(texts);
    await store.close();
  });

  it('is not used before the lists are built', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    await store.papers.upsertPapers(corpus(300, 4), NOW);
    expect(await compare(store, wordQueries(10, 4))).toEqual([]);
    await store.close();
  });
});
