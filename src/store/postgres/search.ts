/**
 * Keyword search on PostgreSQL (the SearchStore contract in ../types.ts), with
 * the behaviour of ../sqlite/search.ts step by step:
 *
 * - matching: the same expression tree (phrases, prefixes, NOT, field
 *   restrictions, facet tokens for categories and dates) as a tsquery over the
 *   weighted `fts` vector, answered by its GIN index (search-query.ts);
 * - ranking: the same BM25F with the same IDFs (cached document frequencies),
 *   computed from the positions the vector keeps (search-rank.ts);
 * - the same work budget: matches counted newest-first up to the budget, the
 *   total estimated past it, a bounded ranking of the newest matches plus the
 *   best title matches (`fts_title`); relaxation to most-clauses-first.
 *
 * One difference of cost, not of result: SQLite ranks every candidate inside
 * FTS5; here the candidates beyond `PRESELECT` are first narrowed by
 * PostgreSQL's own ts_rank (C, on the GIN matches) before the exact BM25F,
 * so a query matching thousands of papers does not ship all their positions.
 * Up to `PRESELECT` matches the ranking is exactly SQLite's.
 */
import type { Pool } from 'pg';
import { hasFilters, type Atom, type Clause, type ParsedQuery } from '../../query/ast.ts';
import { categoryExpr, dateTokens } from '../search/facets.ts';
import { compileFilters, filtersAsSql } from '../search/filters.ts';
import { adjacentPairs, proximityRerank } from '../search/proximity.ts';
import { and, atomExpr, authorExpr, clauseExpr, or, phrase, wordKey, type Expr } from '../search/fts.ts';
import type { FieldWeights, KeywordHit, KeywordPage, KeywordSearchRequest, SearchStore } from '../types.ts';
import { andAll, butNotAll, Lexicon, orAll, parseDfKey, toTsquery, type PgCompiled } from './search-query.ts';
import { PgSearchStats, scorePapers, type CountEstimate, type RankParams, type Scored } from './search-rank.ts';

export const DEFAULT_WEIGHTS: FieldWeights = { title: 5, abstract: 1, authors: 2 };
const K1 = 1.2;
const B = [0.5, 0.75, 0.3, 0];
export const DEFAULT_BUDGET = 10_000;
export const DEFAULT_RELAX_BELOW = 10;
/** Title-tier candidates re-checked against the full query when a ranking is bounded. */
const TITLE_CANDIDATES = 30;
/** Candidates re-ranked for word proximity (src/store/search/proximity.ts). */
const RERANK_DEPTH = 60;
/** Matches ranked exactly; more are narrowed to this many by ts_rank first. */
const PRESELECT = 1000;

/** Numbered parameters for one statement; `sql()` turns an SQLite fragment's `?`s into `$n`s. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  sql(fragment: string, params: unknown[]): string {
    let i = 0;
    return fragment.replace(/\?/g, () => this.add(params[i++]));
  }
}

interface PgFilters {
  /** Facet and author conditions every result matches (tsquery). */
  required: PgCompiled[];
  /** Excluded categories and words. */
  exclude: PgCompiled[];
  /** SQL on `papers p` with `?` placeholders (author names exactly, day bounds). */
  sql: string;
  params: unknown[];
  impossible: boolean;
}

interface Page {
  limit: number;
  offset: number;
}

type Sort = 'date' | 'upvotes';

export class PgSearch implements SearchStore {
  readonly stats: PgSearchStats;
  private readonly lexicon: Lexicon;

  constructor(private readonly pool: Pool) {
    this.stats = new PgSearchStats(pool);
    this.lexicon = new Lexicon(pool);
  }

  private rum?: Promise<boolean>;

  /** Whether migration 7 could build the RUM index (the extension is optional). */
  private hasRum(): Promise<boolean> {
    return (this.rum ??= this.pool.query("SELECT 1 FROM pg_indexes WHERE indexname = 'paper_fts_rum'").then((r) => r.rows.length > 0));
  }

  private async filters(q: ParsedQuery): Promise<PgFilters> {
    const f = q.filters;
    const base = compileFilters(q);
    const facetRequired: Expr[] = [];
    if (f.categories.length) facetRequired.push(or(f.categories.map(categoryExpr)));
    const tokens = dateTokens(f.from, f.to);
    if (tokens) facetRequired.push(or(tokens.map((t) => phrase([t], false))));
    const authors = f.authors.map(authorExpr);
    const facetExclude = f.notCategories.map(categoryExpr);
    const textExclude = q.exclude.map((a) => atomExpr(a));
    await this.lexicon.prepare([...authors, ...textExclude]);
    return {
      required: [
        ...authors.map((e) => toTsquery(e, this.lexicon)),
        ...facetRequired.map((e) => toTsquery(e, this.lexicon, { facets: true })),
      ],
      exclude: [...facetExclude.map((e) => toTsquery(e, this.lexicon, { facets: true })), ...textExclude.map((e) => toTsquery(e, this.lexicon))],
      sql: base.sql,
      params: base.params,
      impossible: base.impossible,
    };
  }

  async searchKeyword(req: KeywordSearchRequest): Promise<KeywordPage> {
    const q = req.query;
    const k = q.clauses.length;
    const int = (v: number | undefined, lo: number, hi: number, dflt: number) => (v === undefined || !Number.isFinite(v) ? dflt : Math.min(hi, Math.max(lo, Math.floor(v))));
    const budget = int(req.budget, 100, 1_000_000, DEFAULT_BUDGET);
    const page = { limit: int(req.limit, 0, 10_000, 20), offset: int(req.offset, 0, 1_000_000, 0) };
    const empty: KeywordPage = { hits: [], total: 0, totalExact: true, clauses: k, relaxed: false, bounded: false };
    const f = await this.filters(q);
    if (f.impossible) return empty;
    const w = { ...DEFAULT_WEIGHTS, ...req.weights };
    const match = req.match ?? 'auto';
    if (k === 0) return this.filterOnly(f, req.sort, page, budget, empty);

    const text = q.clauses.map((c, i) => clauseExpr(c, { group: i }));
    await this.lexicon.prepare(text);
    const scored = (mode: 'all' | 'any'): PgCompiled => {
      const t = toTsquery(mode === 'all' ? and(text) : or(text), this.lexicon);
      return butNotAll(andAll([t, ...f.required]), f.exclude);
    };
    if (match === 'any') {
      const c = scored('any');
      const count = await this.count(c, budget, f);
      const rows = await this.rank(c, w, f, count, page, false);
      return { hits: rows.map((r) => this.hit(r, q)), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded: !count.exact };
    }
    const all = scored('all');
    const count = await this.count(all, budget, f);
    if (match === 'auto' && req.sort === 'relevance' && k >= 2 && count.total < (req.relaxBelow ?? DEFAULT_RELAX_BELOW)) {
      return this.relaxed(q, f, w, page, budget, count.total);
    }
    if (req.sort !== 'relevance') {
      const rows = await this.sorted(all, w, f, req.sort, count, page);
      return { hits: rows.map((r) => ({ pk: r.pk, score: r.s, matched: k })), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded: false };
    }
    // The top RERANK_DEPTH are re-ranked for proximity whatever the page, so pages stay consistent.
    const want = Math.max(page.offset + page.limit, RERANK_DEPTH);
    let rows = await this.rank(all, w, f, count, { limit: want, offset: 0 }, false);
    if (!count.exact) rows = await this.mergeTitleTier(rows, q, f, all, w, count.threshold!, want, budget);
    rows = [...(await this.proximity(q, rows.slice(0, RERANK_DEPTH), w)), ...rows.slice(RERANK_DEPTH)].slice(page.offset, page.offset + page.limit);
    return { hits: rows.map((r) => ({ pk: r.pk, score: r.s, matched: k })), total: count.total, totalExact: count.exact, clauses: k, relaxed: false, bounded: !count.exact };
  }

  /** Re-ranks rows by word proximity (the shared JavaScript re-ranker, as SQLite); unchanged without adjacent plain words. */
  private async proximity(q: ParsedQuery, rows: Scored[], w: FieldWeights): Promise<Scored[]> {
    const pairs = adjacentPairs(q.clauses);
    if (!pairs.length || rows.length < 2) return rows;
    const texts = new Map(
      (
        await this.pool.query<{ pk: number; title: string; abstract: string }>('SELECT pk, title, abstract FROM papers WHERE pk = ANY($1::int[])', [
          rows.map((r) => r.pk),
        ])
      ).rows.map((t) => [t.pk, t]),
    );
    const totals = await this.stats.totals();
    const idf = async (word: string) => {
      const e = phrase([word], false);
      await this.lexicon.prepare([e]);
      return this.stats.idf(await this.stats.df(wordKey(word), toTsquery(e, this.lexicon).tsquery), totals.rows);
    };
    const weighted = [];
    for (const p of pairs) weighted.push({ a: p.a, b: p.b, idf: 0.5 * ((await idf(p.words[0])) + (await idf(p.words[1]))) });
    const ranked = proximityRerank(
      rows.map((r) => ({ pk: r.pk, score: r.s, title: texts.get(r.pk)?.title ?? '', abstract: texts.get(r.pk)?.abstract ?? '' })),
      weighted,
      { k1: K1, title: { weight: w.title, b: B[0], avgLen: totals.avg[0] }, abstract: { weight: w.abstract, b: B[1], avgLen: totals.avg[1] } },
    );
    const coord = new Map(rows.map((r) => [r.pk, r.c]));
    return ranked.map((r) => ({ pk: r.pk, s: r.score, c: coord.get(r.pk) ?? 0 }));
  }

  private hit(r: Scored, q: ParsedQuery): KeywordHit {
    return { pk: r.pk, score: r.s, matched: r.c ?? q.clauses.length };
  }

  private count(c: PgCompiled, cap: number, f: PgFilters): Promise<CountEstimate> {
    return this.stats.count(c.tsquery, cap, f.sql, f.params);
  }

  /** IDF of each phrase (0 for phrases that only select), as SQLite's scoreSql computes them. */
  private async rankParams(c: PgCompiled, w: FieldWeights, title = false): Promise<{ params: RankParams; avg: number[] }> {
    const totals = await this.stats.totals();
    const idfs: number[] = [];
    for (const ph of c.phrases) {
      if (!ph.meta.dfKeys) {
        idfs.push(0);
        continue;
      }
      let sum = 0;
      for (const key of ph.meta.dfKeys) {
        const words = parseDfKey(key);
        const exprs = words.map((x) => phrase([x.word], x.prefix));
        await this.lexicon.prepare(exprs);
        const tsq = toTsquery(or(exprs), this.lexicon).tsquery;
        sum += this.stats.idf(await this.stats.df(key, tsq), totals.rows);
      }
      idfs.push(sum);
    }
    const weights = title ? [w.title, 0, 0, 0] : [w.title, w.abstract, w.authors, 0];
    return { params: { k1: K1, weights, b: B, idfs }, avg: [...totals.avg, 1] };
  }

  /** ts_rank's weights are {D, C, B, A} in [0, 1]. */
  private tsRankWeights(w: FieldWeights): string {
    const max = Math.max(w.title, w.abstract, w.authors, 1e-9);
    return `{0,${w.authors / max},${w.abstract / max},${w.title / max}}`;
  }

  /** Ranked matches (pk ≥ threshold when bounded), best first. */
  private async rank(c: PgCompiled, w: FieldWeights, f: PgFilters, count: CountEstimate, page: Page, byCoord: boolean, column: 'fts' | 'fts_title' = 'fts', rankW = w): Promise<Scored[]> {
    if (page.limit <= 0) return [];
    const want = page.offset + page.limit;
    const n = Math.max(PRESELECT, want);
    const P = new Params();
    const tsq = P.add(c.tsquery);
    const threshold = count.threshold !== undefined ? `AND p.pk >= ${P.add(count.threshold)}` : '';
    const filt = P.sql(f.sql, f.params);
    let order = '';
    let pks: number[];
    if (count.counted > n && column === 'fts' && !f.sql && !byCoord && (await this.hasRum())) {
      // RUM orders by its rank from the positions in the index: no vector is detoasted to preselect.
      pks = (await this.pool.query<{ pk: number }>(`SELECT f.pk FROM paper_fts f WHERE f.fts @@ ${tsq}::tsquery ${threshold.replace('p.pk', 'f.pk')} ORDER BY f.fts <=> ${tsq}::tsquery LIMIT ${n}`, P.values)).rows.map((r) => r.pk);
    } else {
      if (count.counted > n) {
        const coord = byCoord ? `${this.coordSql(c, column, P)} DESC, ` : '';
        order = `ORDER BY ${coord}ts_rank(${P.add(this.tsRankWeights(rankW))}::float4[], p.${column}, ${tsq}::tsquery, 1) DESC, p.pk DESC LIMIT ${n}`;
      }
      // Without conditions on the papers' own columns the narrow table holds all this reads (pk and vector).
      const from = column === 'fts' && !f.sql ? 'paper_fts p' : 'papers p';
      pks = (await this.pool.query<{ pk: number }>(`SELECT p.pk FROM ${from} WHERE p.${column} @@ ${tsq}::tsquery ${threshold} ${filt} ${order}`, P.values)).rows.map((r) => r.pk);
    }
    const { params, avg } = await this.rankParams(c, rankW, column === 'fts_title');
    const scores = [...(await scorePapers(this.pool, c, pks, params, avg, column)).values()];
    scores.sort((a, b) => (byCoord ? b.c - a.c : 0) || b.s - a.s || b.pk - a.pk);
    // Coordination is reported only where it ranks (SQLite selects 0 otherwise).
    return scores.slice(page.offset, want).map((r) => (byCoord ? r : { ...r, c: 0 }));
  }

  /** Number of clause groups matched, in SQL (for narrowing candidates). */
  private coordSql(c: PgCompiled, column: string, P: Params): string {
    const groups = new Map<number, string[]>();
    for (const ph of c.phrases) {
      if (ph.meta.group < 0 || ph.meta.group > 63) continue;
      groups.set(ph.meta.group, [...(groups.get(ph.meta.group) ?? []), ph.tsquery]);
    }
    if (!groups.size) return '0';
    return [...groups.values()].map((qs) => `(p.${column} @@ ${P.add(`(${qs.join(' | ')})`)}::tsquery)::int`).join(' + ');
  }

  /** Scores of given papers that match `c` (and the filters); papers that do not match are left out. */
  private async scoreOne(c: PgCompiled, w: FieldWeights, f: PgFilters | undefined, pks: number[]): Promise<Scored[]> {
    if (!pks.length) return [];
    const P = new Params();
    const sql = `SELECT p.pk FROM papers p WHERE p.pk = ANY(${P.add(pks)}::int[]) AND p.fts @@ ${P.add(c.tsquery)}::tsquery ${f ? P.sql(f.sql, f.params) : ''}`;
    const ok = (await this.pool.query<{ pk: number }>(sql, P.values)).rows.map((r) => r.pk);
    const { params, avg } = await this.rankParams(c, w);
    const scores = await scorePapers(this.pool, c, ok, params, avg);
    return pks.filter((pk) => scores.has(pk)).map((pk) => scores.get(pk)!);
  }

  /** Bounded ranking's second source: the best title matches, verified against the full query (as SQLite). */
  private async mergeTitleTier(rows: Scored[], q: ParsedQuery, f: PgFilters, full: PgCompiled, w: FieldWeights, threshold: number, want: number, budget: number): Promise<Scored[]> {
    const titleOk = (a: Atom) => !a.field || a.field === 'title';
    const clauseOk = (c: Clause) => (c.kind === 'any' ? c.atoms.every(titleOk) : titleOk(c));
    if (q.filters.authors.length || !q.clauses.every(clauseOk)) return rows;
    const strip = (a: Atom): Atom => ({ ...a, field: undefined });
    const stripped = q.clauses.map((c) => (c.kind === 'any' ? { kind: 'any' as const, atoms: c.atoms.map(strip) } : strip(c)));
    const text = stripped.map((c, i) => clauseExpr(c, { group: i }));
    await this.lexicon.prepare(text);
    const facets = f.required.filter((r) => r.phrases.every((p) => p.weights.every((x) => x === 'D')));
    const tc = andAll([toTsquery(and(text), this.lexicon, { columns: ['title', 'facets'] }), ...facets]);
    const titleCount = await this.stats.count(tc.tsquery, budget, '', [], 'fts_title');
    const cands = await this.rank(tc, w, f, titleCount, { limit: Math.min(want, TITLE_CANDIDATES), offset: 0 }, false, 'fts_title');
    const seen = new Set(rows.map((r) => r.pk));
    const older = cands.map((r) => r.pk).filter((pk) => pk < threshold && !seen.has(pk));
    const extra = await this.scoreOne(full, w, f, older);
    return [...rows, ...extra].sort((a, b) => b.s - a.s || b.pk - a.pk).slice(0, want);
  }

  /** Fewer than `relaxBelow` papers match every clause: papers matching the selective clauses, more clauses first. */
  private async relaxed(q: ParsedQuery, f: PgFilters, w: FieldWeights, page: Page, budget: number, allCount: number): Promise<KeywordPage> {
    const k = q.clauses.length;
    const plain = q.clauses.map((c) => clauseExpr(c));
    const scoredExprs = q.clauses.map((c, i) => clauseExpr(c, { group: i }));
    await this.lexicon.prepare([...plain, ...scoredExprs]);
    const dfs: number[] = [];
    for (const e of plain) dfs.push((await this.stats.count(toTsquery(e, this.lexicon).tsquery, budget)).total);
    let selective = plain.filter((_, i) => dfs[i] < budget);
    if (!selective.length) selective = [plain[dfs.indexOf(Math.min(...dfs))]];
    const c = butNotAll(andAll([toTsquery(or(selective), this.lexicon), toTsquery(or(scoredExprs), this.lexicon), ...f.required]), f.exclude);
    const count = await this.count(c, budget, f);
    const rows = await this.rank(c, w, f, count, page, true);
    return { hits: rows.map((r) => this.hit(r, q)), total: Math.max(count.total, allCount), totalExact: count.exact, clauses: k, relaxed: true, bounded: !count.exact };
  }

  private orderSql(sort: Sort): string {
    return sort === 'date' ? 'p.listing_date DESC NULLS LAST' : 'COALESCE(p.upvotes, 0) DESC, p.listing_date DESC NULLS LAST';
  }

  /** Results by date or upvotes; relevance breaks ties where every match is ranked (as SQLite's exact path). */
  private async sorted(c: PgCompiled, w: FieldWeights, f: PgFilters, sort: Sort, count: CountEstimate, page: Page, scored = true): Promise<Scored[]> {
    if (page.limit <= 0) return [];
    const P = new Params();
    const base = `FROM papers p WHERE p.fts @@ ${P.add(c.tsquery)}::tsquery ${P.sql(f.sql, f.params)}`;
    if (scored && count.exact && count.total <= PRESELECT) {
      const all = (await this.pool.query<{ pk: number; d: string | null; u: number }>(`SELECT p.pk, p.listing_date AS d, COALESCE(p.upvotes, 0) AS u ${base}`, P.values)).rows;
      const { params, avg } = await this.rankParams(c, w);
      const scores = await scorePapers(this.pool, c, all.map((r) => r.pk), params, avg);
      const byDate = (a: { d: string | null }, b: { d: string | null }) => (a.d === b.d ? 0 : a.d === null ? 1 : b.d === null ? -1 : a.d < b.d ? 1 : -1);
      const rows = all.map((r) => ({ ...r, s: scores.get(r.pk)?.s ?? 0 }));
      rows.sort((a, b) => (sort === 'upvotes' ? b.u - a.u : 0) || byDate(a, b) || b.s - a.s || b.pk - a.pk);
      return rows.slice(page.offset, page.offset + page.limit).map((r) => ({ pk: r.pk, s: r.s, c: 0 }));
    }
    const pks = (
      await this.pool.query<{ pk: number }>(`SELECT p.pk ${base} ORDER BY ${this.orderSql(sort)}, p.pk DESC LIMIT ${P.add(page.limit)} OFFSET ${P.add(page.offset)}`, P.values)
    ).rows.map((r) => r.pk);
    if (!scored) return pks.map((pk) => ({ pk, s: 0, c: 0 }));
    const scores = new Map((await this.scoreOne(c, w, undefined, pks)).map((r) => [r.pk, r.s]));
    return pks.map((pk) => ({ pk, s: scores.get(pk) ?? 0, c: 0 }));
  }

  /** No text: the papers the filters allow, newest (or most upvoted) first. */
  private async filterOnly(f: PgFilters, sort: KeywordSearchRequest['sort'], page: Page, budget: number, empty: KeywordPage): Promise<KeywordPage> {
    const by: Sort = sort === 'upvotes' ? 'upvotes' : 'date';
    if (f.required.length) {
      const c = butNotAll(andAll(f.required), f.exclude);
      const count = await this.count(c, budget, f);
      const rows = await this.sorted(c, DEFAULT_WEIGHTS, f, by, count, page, false);
      return { ...empty, hits: rows.map((r) => ({ pk: r.pk, score: 0, matched: 0 })), total: count.total, totalExact: count.exact };
    }
    if (!f.sql && !f.exclude.length) return empty;
    const exclude = f.exclude.length ? orAll(f.exclude).tsquery : undefined;
    const P = new Params();
    const cond = `${exclude ? `AND NOT p.fts @@ ${P.add(exclude)}::tsquery` : ''} ${P.sql(f.sql, f.params)}`;
    const cnt = (
      await this.pool.query<{ n: number; lo: number | null }>(
        `SELECT count(*) AS n, min(pk) AS lo FROM (SELECT p.pk FROM papers p WHERE true ${cond} ORDER BY p.pk DESC LIMIT ${budget}) s`,
        P.values,
      )
    ).rows[0];
    let total = cnt.n;
    let exact = true;
    if (cnt.n >= budget && cnt.lo !== null) {
      const span = (await this.pool.query<{ lo: number; hi: number }>('SELECT min(pk) AS lo, max(pk) AS hi FROM papers')).rows[0];
      total = Math.round(cnt.n / ((span.hi - cnt.lo + 1) / Math.max(1, span.hi - span.lo + 1)));
      exact = false;
    }
    const pks = (
      await this.pool.query<{ pk: number }>(
        `SELECT p.pk FROM papers p WHERE true ${cond} ORDER BY ${this.orderSql(by)}, p.pk DESC LIMIT ${P.add(page.limit)} OFFSET ${P.add(page.offset)}`,
        P.values,
      )
    ).rows.map((r) => r.pk);
    return { ...empty, hits: pks.map((pk) => ({ pk, score: 0, matched: 0 })), total, totalExact: exact };
  }

  async filterPapers(q: ParsedQuery, pks: number[]): Promise<number[]> {
    if (!pks.length) return [];
    // Nothing to filter by: the dense index's papers stand (a deleted one is dropped when the page is loaded).
    if (!hasFilters(q.filters) && !q.exclude.length) return pks;
    // Categories as SQL on paper_categories, as the SQLite version does for a given list.
    const base = filtersAsSql(q);
    const textExclude = q.exclude.map((a) => atomExpr(a));
    await this.lexicon.prepare(textExclude);
    const exclude = textExclude.length ? orAll(textExclude.map((e) => toTsquery(e, this.lexicon))).tsquery : undefined;
    const P = new Params();
    const sql = `SELECT p.pk FROM papers p WHERE p.pk = ANY(${P.add(pks)}::int[]) ${exclude ? `AND NOT p.fts @@ ${P.add(exclude)}::tsquery` : ''} ${P.sql(base.sql, base.params)}`;
    const keep = new Set((await this.pool.query<{ pk: number }>(sql, P.values)).rows.map((r) => r.pk));
    return pks.filter((pk) => keep.has(pk));
  }
}
