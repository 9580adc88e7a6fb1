/**
 * SQLite specifics of keyword search: the FTS5 compiler against a real FTS5
 * table (every hostile string compiles to an expression FTS5 accepts), the
 * facet tokens the migration writes, and the fallback without the native
 * ranking functions.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomsOf } from '../../src/query/ast.ts';
import { parseQuery } from '../../src/query/parse.ts';
import { loadRankFunctions, nativeLibraryPath } from '../../src/store/sqlite/native.ts';
import { compileFilters } from '../../src/store/search/filters.ts';
import { facetText } from '../../src/store/search/facets.ts';
import { and, butNot, clauseExpr, compile, or } from '../../src/store/search/fts.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { hostileQueries } from '../query/query-hostile.ts';
import { SEARCH_FIXTURE } from './search-fixture.ts';

const NOW = '2025-06-01T00:00:00Z';

async function fixtureStore(): Promise<SqliteStore> {
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  await store.papers.upsertPapers(SEARCH_FIXTURE, NOW);
  return store;
}

describe('FTS5 compilation of any query', () => {
  it('every hostile string parses into expressions FTS5 accepts, and searches without error in every mode and sort', async () => {
    const store = await fixtureStore();
    const count = store.db.prepare('SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ?');
    const countTitle = store.db.prepare('SELECT count(*) AS n FROM papers_title_fts WHERE papers_title_fts MATCH ?');
    const queries = hostileQueries(600, 99);
    for (const text of queries) {
      const q = parseQuery(text).query;
      const f = compileFilters(q);
      const label = JSON.stringify(text.slice(0, 80));
      if (q.clauses.length) {
        const text = q.clauses.map((c, i) => clauseExpr(c, { group: i }));
        for (const e of [and(text), or(text)]) {
          const m = compile(butNot(and([e, ...f.fts]), f.exclude)).match;
          expect(() => count.get(m), `${label} → ${m}`).not.toThrow();
        }
        // The title-only index is queried only when no clause names another field (search.ts mergeTitleTier).
        if (q.clauses.flatMap(atomsOf).every((a) => !a.field || a.field === 'title')) {
          const strip = <A extends { field?: string }>(a: A) => ({ ...a, field: undefined });
          const titleOnly = compile(and(q.clauses.map((c) => clauseExpr(c.kind === 'any' ? { kind: 'any', atoms: c.atoms.map(strip) } : strip(c))))).match;
          expect(() => countTitle.get(titleOnly), `${label} → ${titleOnly}`).not.toThrow();
        }
      }
      for (const sort of ['relevance', 'date', 'upvotes'] as const) {
        for (const match of ['auto', 'all', 'any'] as const) {
          await expect(store.search.searchKeyword({ query: q, sort, match, limit: 5, offset: 0 }), label).resolves.toBeDefined();
        }
      }
      await expect(store.search.filterPapers(q, [1, 2, 3]), label).resolves.toBeDefined();
    }
    await store.close();
  });

  it('user text never becomes FTS5 syntax: every word is inside quotes', () => {
    const q = parseQuery('NEAR(a b) title:x {abstract}: y ^z OR w AND "v" NOT u col:umn').query;
    const m = compile(and(q.clauses.map((c) => clauseExpr(c)))).match;
    // Outside quoted strings only our own syntax remains.
    const outside = m.replace(/"(?:[^"]|"")*"/g, '');
    expect(outside.replace(/\{title\}|\{abstract\}|AND|OR|NOT/g, '')).toMatch(/^[\s():*]*$/);
    for (const a of q.clauses.flatMap(atomsOf)) expect(m).toContain(`"${a.kind === 'term' ? a.word : a.words.join(' ')}"`);
  });
});

describe('facet tokens', () => {
  it('the index holds the tokens store/search/facets.ts queries for', async () => {
    const store = await fixtureStore();
    const rows = store.db.prepare('SELECT p.data, s.facets FROM papers p JOIN papers_search s ON s.pk = p.pk').all() as { data: string; facets: string }[];
    expect(rows.length).toBe(SEARCH_FIXTURE.length);
    for (const r of rows) {
      const paper = JSON.parse(r.data) as { listingDate?: string; categories: string[] };
      expect(r.facets.trim().split(/\s+/).filter(Boolean)).toEqual(facetText(paper.listingDate, paper.categories).split(' ').filter(Boolean));
    }
    await store.close();
  });
});

describe('without the native ranking functions', () => {
  const saved = process.env.RADAR_NO_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.RADAR_NO_NATIVE;
    else process.env.RADAR_NO_NATIVE = saved;
  });

  it('the native functions load here, built at install time into this checkout (native/build)', async () => {
    const store = await fixtureStore();
    expect(store.search.native, store.search.native.reason).toMatchObject({ loaded: true });
    expect(store.search.native.path).toBe(nativeLibraryPath(readFileSync(join(PROJECT_ROOT, 'native', 'radar_fts.c')), join(PROJECT_ROOT, 'native', 'build')));
    await store.close();
  });

  it('names the library as the install script does, so the one it built is the one loaded', () => {
    const script = execFileSync(process.execPath, ['-e', "import('./scripts/build-native.mjs').then((m) => console.log(m.libraryName()))"], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    expect(basename(nativeLibraryPath())).toBe(script);
  });

  it('falls back, saying why, when no library was built: nothing is compiled or looked for elsewhere', () => {
    const dir = tempDir();
    const db = new Database(':memory:');
    try {
      const status = loadRankFunctions(db, dir);
      expect(status.loaded).toBe(false);
      expect(status.reason).toMatch(/not built .*npm run build:native/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('falls back to FTS5 bm25 with the same matches and a title match still first', async () => {
    process.env.RADAR_NO_NATIVE = '1';
    const store = await fixtureStore();
    expect(store.search.native.loaded).toBe(false);
    const page = await store.search.searchKeyword({ query: parseQuery('neural collapse').query, sort: 'relevance', limit: 10, offset: 0 });
    const titles = (await store.papers.getPapersByPk(page.hits.map((h) => h.pk))).map((p) => p.title);
    expect(titles.indexOf('Neural Collapse under Weight Decay')).toBeLessThan(titles.indexOf('Representation Geometry of Classifiers'));
    expect(titles).toHaveLength(5);
    expect(page.hits.every((h) => Number.isFinite(h.score))).toBe(true);
    await store.close();
  });
});

describe('request numbers', () => {
  it('non-finite or out-of-range limit, offset and budget fall back to sane values', async () => {
    const store = await fixtureStore();
    const q = parseQuery('collapse').query;
    for (const [limit, offset, budget] of [
      [Number.NaN, 0, undefined],
      [10, Number.POSITIVE_INFINITY, undefined],
      [10, 0, Number.NaN],
      [-5, -5, -5],
    ]) {
      await expect(store.search.searchKeyword({ query: q, sort: 'relevance', limit: limit as number, offset: offset as number, budget })).resolves.toBeDefined();
    }
    await store.close();
  });
});
