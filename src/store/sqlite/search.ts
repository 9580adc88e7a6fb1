/**
 * Keyword search on SQLite FTS5 (the SearchStore contract in ../types.ts).
 *
 * Matching is FTS5's (Porter stems, phrases, prefixes, NOT, column filters;
 * filters as index terms, see ../search/facets.ts). Ranking is BM25F computed by
 * `radar_bm25f` (native/radar_fts.c) with IDFs from cached document
 * frequencies, because FTS5's bm25() re-reads every phrase's whole doclist on
 * each query. The cost of a query is bounded by a work budget:
 *
 * 1. Count matches newest-first up to the budget (search-stats.ts).
 * 2. Fewer: rank them all (exact). More (a broad query on a big corpus): rank
 *    the newest `budget` matches, plus the best title matches from the
 *    title-only index (so "bert" still finds the 2018 BERT paper among 20,000
 *    newer ones that mention it), verified against the full query.
 * 3. `auto` matching relaxes a multi-word query that matches fewer than
 *    `relaxBelow` papers: papers matching some clauses follow, more clauses
 *    first (`radar_coord`), selected by the rarer clauses only (a paper that
 *    shares just "neural" with "neural collapse" is not worth listing).
 * Date and upvote sorts walk the matches through the index when there are few,
 * or walk papers in date/upvote order checking each against the index when
 * matches are plentiful (cheaper of the two by a cost estimate).
 */
import type Database from 'better-sqlite3';
import type { Atom, Clause, ParsedQuery } from '../../query/ast.ts';
import type { FieldWeights, KeywordHit, KeywordPage, KeywordSearchRequest, SearchStore } from '../types.ts';
import { loadRankFunctions, type NativeStatus } from './native.ts';
import { compileFilters, filtersAsSql, type CompiledFilters } from '../search/filters.ts';
import { and, butNot, clauseExpr, compile, or, wordKey, type Compiled, type Expr } from '../search/fts.ts';
import { adjacentPairs, proximityRerank } from '../search/proximity.ts';
import { SearchStats } from './search-stats.ts';
import { ImpactLists, type BuildOptions } from './search-impacts.ts';
import { impactTopK, NEWER_MAX, STALE_MAX } from './search-topk.ts';
import { buildPostings, PostingLists } from './search-postings.ts';
import { postingsTopK, POSTINGS_NEWER_MAX, POSTINGS_STALE_MAX } from './search-postings-topk.ts';

export const DEFAULT_WEIGHTS: FieldWeights = { title: 5, abstract: 1, authors: 2 };
/** BM25 saturation and per-column length normalisation (title, abstract, authors). */
const K1 = 1.2;
const B = [0.5, 0.75, 0.3];
export const DEFAULT_BUDGET = 10_000;
export const DEFAULT_RELAX_BELOW = 10;
/** Queries matching at least this many papers (where the ranking used to be bounded) are ranked by block-max pruning when the maxima are built (search-topk.ts); below it ranking every match is cheaper. */
export const TOPK_FROM = DEFAULT_BUDGET;
/** Title-index candidates re-checked against the full query when a ranking is bounded (each costs one index lookup). */
const TITLE_CANDIDATES = 30;
/** Candidates re-ranked for word proximity (src/store/search/proximity.ts). */
const RERANK_DEPTH = 60;
/** Rough per-row costs (µs) for choosing how to sort a big result by date or upvotes. */
const COST_WALK_MATCH = 0.6;
const COST_CHECK_PAPER = 15;

interface Row {
  pk: number;
  s: number;
  c?: number;
}

export class SqliteSearch implements SearchStore {
  readonly native: NativeStatus;
  private readonly stats: SearchStats;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly impacts: ImpactLists;
  private readonly postings: PostingLists;
  /** Matches from which a relevance ranking tries block-max pruning (tests lower it). */
  topKFrom = TOPK_FROM;
  /** Whether plain word queries are ranked from the postings (search-postings-topk.ts); tests turn it off for the reference ranking. */
  usePostings = true;
  /** Whether the postings visit blocks best bound first (with the block maxima) rather than in pk order. */
  postingsBlocks = true;
  /** Queries the postings answered (benchmarks and tests read it). */
  postingsAnswered = 0;

  constructor(private readonly db: Database.Database) {
    this.native = loadRankFunctions(db);
    this.stats = new SearchStats(db);
    this.impacts = new ImpactLists(db);
    this.postings = new PostingLists(db);
  }

  /**
   * Rebuilds the block maxima of the common words (search-impacts.ts) when
   * there are none, or the papers added or changed since approach what the
   * ranking tolerates, or the field-length averages moved by more than 2%.
   * Nothing without the native ranking functions (they compute the impacts).
   */
  async refreshRankIndex(opts: { force?: boolean } & BuildOptions = {}): Promise<{ rebuilt: boolean; terms?: number }> {
    if (!this.native.loaded) return { rebuilt: false };
    const meta = this.impacts.meta();
    const lists = this.postings.meta();
    const maxPk = this.maxPk();
    const totals = this.stats.totalsRecord();
    const avg = [0, 1, 2].map((i) => (totals.rows ? (totals.columnTokens[i] ?? 0) / totals.rows : 1));
    const fresh =
      meta &&
      lists &&
      lists.builtAt === meta.builtAt &&
      maxPk - meta.maxPk < Math.min(NEWER_MAX, POSTINGS_NEWER_MAX) / 2 &&
      this.impacts.stale(Math.min(STALE_MAX, POSTINGS_STALE_MAX) / 2) !== undefined &&
      avg.every((a, i) => Math.abs(a / (meta.avg[i] || 1) - 1) <= 0.02);
    if (fresh && !opts.force) return { rebuilt: false };
    // The postings' pass over the index yields the block maxima too: one scan for both.
    const built = buildPostings(this.db, { k1: K1, weights: [DEFAULT_WEIGHTS.title, DEFAULT_WEIGHTS.abstract, DEFAULT_WEIGHTS.authors, 0], b: [...B, 0] }, opts);
    return { rebuilt: true, terms: built.terms };
  }

  close(): void {
    this.impacts.close();
    this.postings.close();
  }

  /** The newest paper's pk (0 when there are none): how far the prebuilt ranking indexes are behind. */
  private maxPk(): number {
    return (this.stmt('SELECT coalesce(max(pk), 0) AS m FROM papers').get() as { m: number }).m;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      if (this.stmts.size > 300) this.stmts.clear();
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  async searchKeyword(req: KeywordSearchRequest): Promise<KeywordPage> {
    const q = req.query;
    const k = q.clauses.length;
    const int = (v: number | undefined, lo: number, hi: number, dflt: number) => (v === undefined || !Number.isFinite(v) ? dflt : Math.min(hi, Math.max(lo, Math.floor(v))));
    const budget = int(req.budget, 100, 1_000_000, DEFAULT_BUDGET);
    const page = { limit: int(req.limit, 0, 10_000, 20), offset: int(req.offset, 0, 1_000_000, 0) };
    const empty: KeywordPage = { hits: [], total: 0, totalExact: true, clauses: k, relaxed: false, bounded: false };
    const filters = compileFilters(q);
    if (filters.impossible) return empty;
    const w = { ...DEFAULT_WEIGHTS, ...req.weights };
    const match = req.match ?? 'auto';

    if (k === 0) return this.filterOnly(q, filters, req.sort, page, budget, empty);

    const scored = (mode: 'all' | 'any') => {
      const text = q.clauses.map((c, i) => clauseExpr(c, { group: i }));
      return compile(butNot(and([mode === 'all' ? and(text) : or(text), ...filters.fts]), filters.exclude));
    };
    const want = Math.max(page.offset + page.limit, RERANK_DEPTH);
    if (match === 'any') {
      const c = scored('any');
      const quick = this.stats.count(c.match, Math.min(budget, this.topKFrom), filters.sql, filters.params);
      const top = quick.exact || req.sort !== 'relevance' ? undefined : this.topK(c, w, filters, page.offset + page.limit);
      if (top) return { hits: top.slice(page.offset).map((r) => this.hit(r, q)), total: quick.total, totalExact: false, clauses: k, relaxed: false, bounded: false };
      const count = quick.exact ? quick : this.stats.count(c.match, budget, filters.sql, filters.params);
      const hits = this.rank(c, w, filters, count.threshold, page, false);
      return { hits: hits.map((r) => this.hit(r, q)), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded: !count.exact };
    }

    const all = scored('all');
    const fast = req.sort === 'relevance' ? this.fromPostings(q, all, filters, w, want) : undefined;
    if (fast && !(match === 'auto' && k >= 2 && fast.total < (req.relaxBelow ?? DEFAULT_RELAX_BELOW))) {
      const rows = [...this.proximity(q, fast.rows.slice(0, RERANK_DEPTH), w), ...fast.rows.slice(RERANK_DEPTH)].slice(page.offset, page.offset + page.limit);
      return { hits: rows.map((r) => ({ pk: r.pk, score: r.s, matched: k })), total: fast.total, totalExact: true, clauses: k, relaxed: false, bounded: false };
    }
    // Broad queries: the exact top `want` from the block maxima, the total estimated from the newest matches.
    let count = this.stats.count(all.match, Math.min(budget, this.topKFrom), filters.sql, filters.params);
    const top = count.exact || req.sort !== 'relevance' ? undefined : this.topK(all, w, filters, want);
    if (!top && !count.exact) count = this.stats.count(all.match, budget, filters.sql, filters.params);
    if (match === 'auto' && req.sort === 'relevance' && k >= 2 && count.total < (req.relaxBelow ?? DEFAULT_RELAX_BELOW)) {
      return this.relaxed(q, filters, w, page, budget, count.total);
    }
    if (req.sort !== 'relevance') {
      const rows = this.sorted(all, w, filters, req.sort, count, page);
      return { hits: rows.map((r) => ({ pk: r.pk, score: r.s, matched: k })), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded: false };
    }
    // The top RERANK_DEPTH are re-ranked for proximity whatever the page, so pages stay consistent.
    let rows = top ?? this.rank(all, w, filters, count.threshold, { limit: want, offset: 0 }, false);
    const bounded = !top && !count.exact;
    if (bounded) rows = this.mergeTitleTier(rows, q, filters, all, w, count.threshold!, want, budget);
    rows = [...this.proximity(q, rows.slice(0, RERANK_DEPTH), w), ...rows.slice(RERANK_DEPTH)].slice(page.offset, page.offset + page.limit);
    return { hits: rows.map((r) => ({ pk: r.pk, score: r.s, matched: k })), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded };
  }

  /**
   * The exact top `want` and total of a query of plain words without filters,
   * from the postings (search-postings-topk.ts), or undefined when they cannot
   * answer it.
   */
  private fromPostings(q: ParsedQuery, c: Compiled, f: CompiledFilters, w: FieldWeights, want: number): { rows: Row[]; total: number } | undefined {
    if (!this.usePostings || !this.native.loaded || want <= 0) return undefined;
    if (f.sql || f.fts.length || f.exclude.length) return undefined;
    if (!q.clauses.every((cl) => cl.kind === 'term' && !cl.prefix && !cl.field)) return undefined;
    const totals = this.stats.totalsRecord();
    const avg = (i: number) => {
      const t = totals.columnTokens[i] ?? 0;
      return totals.rows > 0 && t > 0 ? t / totals.rows : 1;
    };
    const score = this.scoreSql(c, w);
    const range = this.stmt(`SELECT papers_fts.rowid AS pk, ${score.sql} AS s FROM papers_fts
      WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ? ORDER BY s DESC, papers_fts.rowid DESC`);
    const res = postingsTopK(want, {
      lists: this.postings,
      impacts: this.postingsBlocks ? this.impacts : undefined,
      weights: w,
      stale: (cap) => this.impacts.stale(cap),
      phrases: c.words,
      idfs: this.idfs(c),
      params: { k1: K1, weights: [w.title, w.abstract, w.authors], b: [B[0], B[1], B[2]], avg: [avg(0), avg(1), avg(2)] },
      maxPkNow: this.maxPk(),
      rankRange: (lo, hi, n) => {
        const all = range.all(...score.params, c.match, BigInt(lo), BigInt(hi)) as Row[];
        return { rows: all.slice(0, n), count: all.length };
      },
      scorePks: (pks) => this.scoreOne(c, w, f, pks),
    });
    if (!res) return undefined;
    this.postingsAnswered++;
    return { rows: res.rows.map((r) => ({ pk: r.pk, s: r.s, c: 0 })), total: res.total };
  }

  /** The exact top `want` by block-max pruning, or undefined when it does not apply (search-topk.ts). */
  private topK(c: Compiled, w: FieldWeights, f: CompiledFilters, want: number): Row[] | undefined {
    if (!this.native.loaded || want <= 0) return undefined;
    const totals = this.stats.totalsRecord();
    const score = this.scoreSql(c, w);
    const join = f.sql ? 'JOIN papers p ON p.pk = papers_fts.rowid' : '';
    const stmt = this.stmt(`SELECT papers_fts.rowid AS pk, ${score.sql} AS s FROM papers_fts ${join}
      WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN ? AND ? ${f.sql} ORDER BY s DESC, papers_fts.rowid DESC LIMIT ?`);
    const res = impactTopK(c, w, want, {
      lists: this.impacts,
      idfs: this.idfs(c),
      avgNow: [0, 1, 2].map((i) => (totals.rows ? (totals.columnTokens[i] ?? 0) / totals.rows : 1)),
      maxPkNow: this.maxPk(),
      rankRange: (lo, hi, n) => (lo > hi ? [] : (stmt.all(...score.params, c.match, BigInt(lo), BigInt(hi), ...f.params, n) as Row[])),
    });
    // Coordination is not ranked here (as `rank` without it: 0).
    return res?.rows.map((r) => ({ pk: r.pk, s: r.s, c: 0 }));
  }

  /** Re-ranks rows by word proximity (JS-side, on their texts); unchanged when the query has no adjacent plain words. */
  private proximity(q: ParsedQuery, rows: Row[], w: FieldWeights): Row[] {
    const pairs = adjacentPairs(q.clauses);
    if (!pairs.length || rows.length < 2) return rows;
    const texts = new Map(
      (this.stmt(`SELECT pk, title, abstract FROM papers WHERE pk IN (${rows.map(() => '?').join(',')})`).all(...rows.map((r) => r.pk)) as { pk: number; title: string; abstract: string }[]).map(
        (t) => [t.pk, t],
      ),
    );
    const totals = this.stats.totalsRecord();
    const avg = (c: number) => (totals.rows ? (totals.columnTokens[c] ?? 0) / totals.rows : 1);
    const ranked = proximityRerank(
      rows.map((r) => ({ pk: r.pk, score: r.s, title: texts.get(r.pk)?.title ?? '', abstract: texts.get(r.pk)?.abstract ?? '' })),
      pairs.map((p) => ({ a: p.a, b: p.b, idf: 0.5 * (this.stats.idf(this.docFreq(wordKey(p.words[0]))) + this.stats.idf(this.docFreq(wordKey(p.words[1])))) })),
      { k1: K1, title: { weight: w.title, b: B[0], avgLen: avg(0) }, abstract: { weight: w.abstract, b: B[1], avgLen: avg(1) } },
    );
    const coord = new Map(rows.map((r) => [r.pk, r.c]));
    return ranked.map((r) => ({ pk: r.pk, s: r.score, c: coord.get(r.pk) }));
  }

  private hit(r: Row, q: ParsedQuery): KeywordHit {
    return { pk: r.pk, score: r.s, matched: r.c ?? q.clauses.length };
  }

  /** Score expression (and its parameters) for the phrases of a compiled query on `table`. */
  private idfs(c: Compiled): number[] {
    return c.phrases.map((p) => (p.dfKeys ? p.dfKeys.reduce((sum, key) => sum + this.stats.idf(this.docFreq(key)), 0) : 0));
  }

  /**
   * Document frequency of a df key: a listed word's from its postings while
   * they cover every paper as it is (none added, changed or deleted since the
   * build): exact, and without walking 20,000 matches to estimate it; else
   * SearchStats' count.
   */
  private docFreq(key: string, cap?: number): number {
    const word = /^"((?:[^"]|"")+)"$/.exec(key)?.[1]?.replace(/""/g, '"');
    const meta = word !== undefined ? this.postings.meta() : undefined;
    if (word !== undefined && meta) {
      const term = this.postings.term(word);
      const df = term !== undefined ? this.postings.df(term) : undefined;
      if (df !== undefined && this.postingsCurrent(meta.maxPk)) return df;
    }
    return cap === undefined ? this.stats.df(key) : this.stats.count(key, cap).total;
  }

  private postingsCurrent(maxPk: number): boolean {
    const now = this.maxPk();
    return now === maxPk && this.impacts.stale(0)?.length === 0;
  }

  private scoreSql(c: Compiled, w: FieldWeights, table = 'papers_fts'): { sql: string; params: number[] } {
    const idfs = this.idfs(c);
    if (!this.native.loaded) {
      // FTS5's bm25 is lower-is-better; negate so every score is higher-is-better.
      const cols = table === 'papers_fts' ? [w.title, w.abstract, w.authors, 0] : [w.title, 0];
      return { sql: `-bm25(${table}, ${cols.join(', ')})`, params: [] };
    }
    const weights = table === 'papers_fts' ? [w.title, w.abstract, w.authors, 0] : [w.title, 0];
    const bs = table === 'papers_fts' ? [...B, 0] : [B[0], 0];
    return {
      sql: `radar_bm25f(${table}, ?, ${weights.map(() => '?').join(', ')}, ${bs.map(() => '?').join(', ')}${idfs.map(() => ', ?').join('')})`,
      params: [K1, ...weights, ...bs, ...idfs],
    };
  }

  private coordSql(c: Compiled, table = 'papers_fts'): string {
    if (!this.native.loaded || c.phrases.length === 0) return '0';
    return `radar_coord(${table}, ${c.phrases.map((p) => Math.trunc(p.group)).join(', ')})`;
  }

  /** Ranked rows of a compiled query (optionally only rowids >= threshold), best first. */
  private rank(c: Compiled, w: FieldWeights, f: CompiledFilters, threshold: number | undefined, page: { limit: number; offset: number }, byCoord: boolean): Row[] {
    if (page.limit <= 0) return [];
    const score = this.scoreSql(c, w);
    const join = f.sql ? 'JOIN papers p ON p.pk = papers_fts.rowid' : '';
    const coord = byCoord ? this.coordSql(c) : '0';
    const sql = `SELECT papers_fts.rowid AS pk, ${score.sql} AS s, ${coord} AS c FROM papers_fts ${join}
      WHERE papers_fts MATCH ? ${threshold !== undefined ? 'AND papers_fts.rowid >= ?' : ''} ${f.sql}
      ORDER BY ${byCoord ? 'c DESC, ' : ''}s DESC, papers_fts.rowid DESC LIMIT ? OFFSET ?`;
    const params = [...score.params, c.match, ...(threshold !== undefined ? [threshold] : []), ...f.params, page.limit, page.offset];
    return this.stmt(sql).all(...params) as Row[];
  }

  /** Score (and coordination) of single papers against a compiled query; absent when the paper does not match. */
  private scoreOne(c: Compiled, w: FieldWeights, f: CompiledFilters, pks: number[], byCoord = false): Row[] {
    if (!pks.length) return [];
    const score = this.scoreSql(c, w);
    const join = f.sql ? 'JOIN papers p ON p.pk = papers_fts.rowid' : '';
    const stmt = this.stmt(`SELECT papers_fts.rowid AS pk, ${score.sql} AS s, ${byCoord ? this.coordSql(c) : '0'} AS c FROM papers_fts ${join}
      WHERE papers_fts MATCH ? AND papers_fts.rowid = ? ${f.sql}`);
    const out: Row[] = [];
    for (const pk of pks) {
      // A BigInt: FTS5 ignores `rowid = ?` bound as a float (every JS number), returning the first match instead.
      const r = stmt.get(...score.params, c.match, BigInt(pk), ...f.params) as Row | undefined;
      if (r) out.push(r);
    }
    return out;
  }

  /**
   * Bounded ranking's second source: the best title matches (title-only index,
   * which is small), re-scored and verified against the full query, merged
   * with the newest matches by score.
   */
  private mergeTitleTier(rows: Row[], q: ParsedQuery, f: CompiledFilters, full: Compiled, w: FieldWeights, threshold: number, want: number, budget: number): Row[] {
    const titleOk = (a: Atom) => !a.field || a.field === 'title';
    const clauseOk = (c: Clause) => (c.kind === 'any' ? c.atoms.every(titleOk) : titleOk(c));
    if (q.filters.authors.length || !q.clauses.every(clauseOk)) return rows;
    const strip = (a: Atom): Atom => ({ ...a, field: undefined });
    const text = q.clauses.map((c, i) => clauseExpr(c.kind === 'any' ? { kind: 'any', atoms: c.atoms.map(strip) } : strip(c), { group: i }));
    const facets = f.fts; // categories and date tokens; author filters excluded above
    const tc = compile(and([...text, ...facets]));
    const titleCount = this.countTitle(tc.match, budget);
    const score = this.scoreSql(tc, w, 'papers_title_fts');
    const join = f.sql ? 'JOIN papers p ON p.pk = papers_title_fts.rowid' : '';
    const sql = `SELECT papers_title_fts.rowid AS pk, ${score.sql} AS s FROM papers_title_fts ${join}
      WHERE papers_title_fts MATCH ? ${titleCount.threshold !== undefined ? 'AND papers_title_fts.rowid >= ?' : ''} ${f.sql}
      ORDER BY s DESC LIMIT ?`;
    const cands = this.stmt(sql).all(...score.params, tc.match, ...(titleCount.threshold !== undefined ? [titleCount.threshold] : []), ...f.params, Math.min(want, TITLE_CANDIDATES)) as Row[];
    const seen = new Set(rows.map((r) => r.pk));
    const older = cands.map((r) => r.pk).filter((pk) => pk < threshold && !seen.has(pk));
    const extra = this.scoreOne(full, w, f, older);
    return [...rows, ...extra].sort((a, b) => b.s - a.s || b.pk - a.pk).slice(0, want);
  }

  private countTitle(match: string, cap: number): { threshold?: number } {
    const r = this.stmt(`SELECT count(*) AS n, min(pk) AS lo FROM (SELECT rowid AS pk FROM papers_title_fts WHERE papers_title_fts MATCH ? ORDER BY rowid DESC LIMIT ${cap})`).get(match) as { n: number; lo: number | null };
    return r.n >= cap && r.lo !== null ? { threshold: r.lo } : {};
  }

  /**
   * Fewer than `relaxBelow` papers match every clause: list papers matching
   * any of the selective clauses, those matching more clauses first. Common
   * clauses still count towards coordination and score (they are in the
   * scored copy) but do not select papers on their own.
   */
  private relaxed(q: ParsedQuery, f: CompiledFilters, w: FieldWeights, page: { limit: number; offset: number }, budget: number, allCount: number): KeywordPage {
    const k = q.clauses.length;
    // A plain listed word's count is its list's length while the postings are current (docFreq), else counted up to the budget.
    const dfs = q.clauses.map((c) => (c.kind === 'term' && !c.prefix && !c.field ? this.docFreq(wordKey(c.word), budget) : this.stats.count(compile(clauseExpr(c)).match, budget).total));
    let selective = q.clauses.filter((_, i) => dfs[i] < budget);
    if (!selective.length) selective = [q.clauses[dfs.indexOf(Math.min(...dfs))]];
    const select = or(selective.map((c) => clauseExpr(c)));
    const scoredAll = or(q.clauses.map((c, i) => clauseExpr(c, { group: i })));
    const c = compile(butNot(and([select, scoredAll, ...f.fts]), f.exclude));
    const count = this.stats.count(c.match, budget, f.sql, f.params);
    const rows = this.rank(c, w, f, count.threshold, page, true);
    return {
      hits: rows.map((r) => this.hit(r, q)),
      total: Math.max(count.total, allCount),
      totalExact: count.exact,
      clauses: k,
      relaxed: true,
      bounded: !count.exact,
    };
  }

  /** Results sorted by date or upvotes (relevance breaks ties where it is computed). */
  private sorted(c: Compiled, w: FieldWeights, f: CompiledFilters, sort: 'date' | 'upvotes', count: { total: number; exact: boolean }, page: { limit: number; offset: number }): Row[] {
    if (page.limit <= 0) return [];
    const order = sort === 'date' ? 'p.listing_date IS NULL, p.listing_date DESC' : 'COALESCE(p.upvotes, 0) DESC, p.listing_date IS NULL, p.listing_date DESC';
    const viaIndex = () => {
      const score = this.scoreSql(c, w);
      const sql = `SELECT papers_fts.rowid AS pk, ${score.sql} AS s FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
        WHERE papers_fts MATCH ? ${f.sql} ORDER BY ${order}, s DESC, papers_fts.rowid DESC LIMIT ? OFFSET ?`;
      return this.stmt(sql).all(...score.params, c.match, ...f.params, page.limit, page.offset) as Row[];
    };
    if (count.exact) return viaIndex();
    const rows = this.stats.rows() || 1;
    const selectivity = Math.min(1, count.total / rows);
    const walkCost = count.total * COST_WALK_MATCH;
    const checkCost = ((page.offset + page.limit) / selectivity) * COST_CHECK_PAPER;
    if (walkCost < checkCost) {
      // Walk all matches but score only the page.
      const sql = `SELECT papers_fts.rowid AS pk FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
        WHERE papers_fts MATCH ? ${f.sql} ORDER BY ${order}, papers_fts.rowid DESC LIMIT ? OFFSET ?`;
      const pks = (this.stmt(sql).all(c.match, ...f.params, page.limit, page.offset) as { pk: number }[]).map((r) => r.pk);
      return this.withScores(c, w, f, pks);
    }
    return this.withScores(c, w, f, this.walkPapers(c, f, sort, page));
  }

  /** Papers in date (or upvote) order, each checked against the index, until the page is full. */
  private walkPapers(c: Compiled | undefined, f: CompiledFilters | { sql: string; params: unknown[] }, sort: 'date' | 'upvotes', page: { limit: number; offset: number }, exclude?: Compiled): number[] {
    const has = c ? 'AND EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.pk)' : '';
    const hasNot = exclude ? 'AND NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.pk)' : '';
    const m = [...(c ? [c.match] : []), ...(exclude ? [exclude.match] : [])];
    const parts =
      sort === 'upvotes'
        ? [
            `SELECT p.pk FROM papers p WHERE p.upvotes IS NOT NULL ${has} ${hasNot} ${f.sql} ORDER BY p.upvotes DESC, p.pk DESC LIMIT ?`,
            `SELECT p.pk FROM papers p WHERE p.upvotes IS NULL AND p.listing_date IS NOT NULL ${has} ${hasNot} ${f.sql} ORDER BY p.listing_date DESC, p.pk DESC LIMIT ?`,
            `SELECT p.pk FROM papers p WHERE p.upvotes IS NULL AND p.listing_date IS NULL ${has} ${hasNot} ${f.sql} ORDER BY p.pk DESC LIMIT ?`,
          ]
        : [
            `SELECT p.pk FROM papers p WHERE p.listing_date IS NOT NULL ${has} ${hasNot} ${f.sql} ORDER BY p.listing_date DESC, p.pk DESC LIMIT ?`,
            `SELECT p.pk FROM papers p WHERE p.listing_date IS NULL ${has} ${hasNot} ${f.sql} ORDER BY p.pk DESC LIMIT ?`,
          ];
    const want = page.offset + page.limit;
    const out: number[] = [];
    for (const sql of parts) {
      if (out.length >= want) break;
      const got = (this.stmt(sql).all(...m, ...f.params, want - out.length) as { pk: number }[]).map((r) => r.pk);
      out.push(...got);
    }
    return out.slice(page.offset, want);
  }

  private withScores(c: Compiled, w: FieldWeights, f: CompiledFilters, pks: number[]): Row[] {
    const scores = new Map(this.scoreOne(c, w, { ...f, sql: '', params: [] }, pks).map((r) => [r.pk, r.s]));
    return pks.map((pk) => ({ pk, s: scores.get(pk) ?? 0 }));
  }

  /** No text: list the papers the filters allow, newest (or most upvoted) first. */
  private filterOnly(q: ParsedQuery, f: CompiledFilters, sort: KeywordSearchRequest['sort'], page: { limit: number; offset: number }, budget: number, empty: KeywordPage): KeywordPage {
    const by = sort === 'upvotes' ? 'upvotes' : 'date';
    if (f.fts.length) {
      const c = compile(butNot(and(f.fts), f.exclude));
      const count = this.stats.count(c.match, budget, f.sql, f.params);
      const rows = this.sorted(c, DEFAULT_WEIGHTS, f, by, count, page);
      return { ...empty, hits: rows.map((r) => ({ pk: r.pk, score: 0, matched: 0 })), total: count.total, totalExact: count.exact };
    }
    if (!f.sql && !f.exclude.length) return empty;
    const exclude = f.exclude.length ? compile(or(f.exclude)) : undefined;
    const notSql = exclude ? ' AND NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.pk)' : '';
    const cnt = this.stmt(`SELECT count(*) AS n, min(pk) AS lo FROM (SELECT p.pk FROM papers p WHERE 1 ${notSql} ${f.sql} ORDER BY p.pk DESC LIMIT ${budget})`).get(
      ...(exclude ? [exclude.match] : []),
      ...f.params,
    ) as { n: number; lo: number | null };
    let total = cnt.n;
    let exact = true;
    if (cnt.n >= budget && cnt.lo !== null) {
      const span = this.stmt('SELECT min(pk) AS lo, max(pk) AS hi FROM papers').get() as { lo: number; hi: number };
      total = Math.round(cnt.n / ((span.hi - cnt.lo + 1) / Math.max(1, span.hi - span.lo + 1)));
      exact = false;
    }
    const pks = this.walkPapers(undefined, f, by, page, exclude);
    return { ...empty, hits: pks.map((pk) => ({ pk, score: 0, matched: 0 })), total, totalExact: exact };
  }

  async filterPapers(q: ParsedQuery, pks: number[]): Promise<number[]> {
    if (!pks.length) return [];
    const f = filtersAsSql(q);
    const exclude = f.exclude.length ? compile(or(f.exclude as Expr[])) : undefined;
    const notSql = exclude ? ' AND NOT EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.pk)' : '';
    const keep = new Set<number>();
    for (let i = 0; i < pks.length; i += 500) {
      const part = pks.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT p.pk FROM papers p WHERE p.pk IN (${part.map(() => '?').join(',')}) ${notSql} ${f.sql}`)
        .all(...part, ...(exclude ? [exclude.match] : []), ...f.params) as { pk: number }[];
      for (const r of rows) keep.add(r.pk);
    }
    return pks.filter((pk) => keep.has(pk));
  }
}
