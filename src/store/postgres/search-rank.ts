/**
 * Ranking for PostgreSQL keyword search: the same BM25F and clause
 * coordination as SQLite's native FTS5 functions (native/radar_fts.c),
 * computed here from the positions the tsvector keeps for the query's
 * lexemes, and the same corpus statistics as ../sqlite/search-stats.ts
 * (match counts up to a cap, estimated beyond it; cached document
 * frequencies; average field lengths).
 *
 *   per phrase: tf' = Σ_fields w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
 *   score = Σ_phrases idf_p · tf' (k1 + 1) / (tf' + k1)
 */
import type { Pool } from 'pg';
import { escapeLike } from '../paper-queries.ts';
import type { PgCompiled, PgPhrase, Token } from './search-query.ts';

export interface CountEstimate {
  counted: number;
  exact: boolean;
  total: number;
  /** When not exact: the smallest pk among the counted (newest) matches. */
  threshold?: number;
}

interface Totals {
  rows: number;
  /** Average tokens of title, abstract, authors. */
  avg: [number, number, number];
  at: number;
}

/** Corpus totals are re-read at most this often when another process writes (this one invalidates on its own writes). */
const TOTALS_TTL_MS = 30_000;

export class PgSearchStats {
  private totalsCache?: Totals;
  private readonly dfCache = new Map<string, number>();
  private dfRows = -1;

  constructor(private readonly pool: Pool) {}

  /** Called after this process changed papers. */
  invalidate(): void {
    this.totalsCache = undefined;
  }

  async totals(): Promise<Totals> {
    if (this.totalsCache && Date.now() - this.totalsCache.at < TOTALS_TTL_MS) return this.totalsCache;
    const r = (
      await this.pool.query<{ n: number; t: number | null; a: number | null; au: number | null }>(
        'SELECT count(*) AS n, sum(len_title)::float8 AS t, sum(len_abstract)::float8 AS a, sum(len_authors)::float8 AS au FROM papers',
      )
    ).rows[0];
    const avg = (total: number | null) => (r.n > 0 && total ? total / r.n : 1);
    this.totalsCache = { rows: r.n, avg: [avg(r.t), avg(r.a), avg(r.au)], at: Date.now() };
    return this.totalsCache;
  }

  /**
   * Counts papers matching `tsquery` (and SQL conditions on `papers p`, with
   * `?` placeholders) up to `cap`, newest first; estimates the rest from the
   * pk range the counted ones span.
   */
  async count(tsquery: string | undefined, cap: number, sql = '', params: unknown[] = [], column = 'fts'): Promise<CountEstimate> {
    const match = tsquery ? `p.${column} @@ $1::tsquery` : 'true';
    let n = 2;
    const conditions = sql.replace(/\?/g, () => `$${n++}`);
    // Text alone: bitmap scans of the narrow table (migration 7), never a detoasting pass over the papers.
    const narrow = tsquery && column === 'fts' && !sql;
    const r = (
      narrow
        ? await this.pool.query<{ n: number; lo: number | null }>('SELECT n, lo FROM radar_fts_count($1::tsquery, $2)', [tsquery, Math.floor(cap)])
        : await this.pool.query<{ n: number; lo: number | null }>(
            `SELECT count(*) AS n, min(pk) AS lo FROM (SELECT p.pk FROM papers p WHERE ${match} ${conditions} ORDER BY p.pk DESC LIMIT ${Math.floor(cap)}) s`,
            [tsquery ?? '', ...params],
          )
    ).rows[0];
    if (r.n < cap || r.lo === null) return { counted: r.n, exact: true, total: r.n };
    const span = (await this.pool.query<{ lo: number; hi: number }>('SELECT min(pk) AS lo, max(pk) AS hi FROM papers')).rows[0];
    const fraction = (span.hi - r.lo + 1) / Math.max(1, span.hi - span.lo + 1);
    return { counted: r.n, exact: false, total: Math.round(r.n / Math.max(fraction, 1e-9)), threshold: r.lo };
  }

  /** Estimated document frequency of a tsquery (cached until the corpus grows or shrinks by more than 1%). */
  async df(key: string, tsquery: string, cap = 20_000): Promise<number> {
    const { rows } = await this.totals();
    if (this.dfRows < 0 || Math.abs(rows - this.dfRows) > this.dfRows * 0.01) {
      this.dfCache.clear();
      this.dfRows = rows;
    }
    let df = this.dfCache.get(key);
    if (df === undefined) {
      df = (await this.count(tsquery, cap)).total;
      if (this.dfCache.size > 50_000) this.dfCache.clear();
      this.dfCache.set(key, df);
    }
    return df;
  }

  /** BM25 IDF, Lucene's form (never negative). */
  idf(df: number, rows: number): number {
    return Math.log(1 + (rows - df + 0.5) / (df + 0.5));
  }
}

/** Field index of a tsvector weight letter: title, abstract, authors, facets. */
const FIELD: Record<string, number> = { A: 0, B: 1, C: 2, D: 3 };

export interface RankParams {
  k1: number;
  /** Per field (title, abstract, authors, facets). */
  weights: number[];
  b: number[];
  /** Per phrase of the compiled query (0: not scored). */
  idfs: number[];
}

interface DocRow {
  pk: number;
  lens: number[];
  hits: [lexeme: string, positions: number[], weights: string[]][];
}
export type { DocRow };

export interface Scored {
  pk: number;
  s: number;
  c: number;
}

/**
 * BM25F score and coordination of each paper against the compiled query's
 * phrases. `column`: `fts` (all fields) or `fts_title` (title and facets).
 */
export async function scorePapers(
  pool: Pool,
  compiled: PgCompiled,
  pks: number[],
  p: RankParams,
  avg: number[],
  column: 'fts' | 'fts_title' = 'fts',
): Promise<Map<number, Scored>> {
  const out = new Map<number, Scored>();
  if (!pks.length) return out;
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  compiled.phrases.forEach((ph, i) => {
    if (!p.idfs[i] && ph.meta.group < 0) return;
    for (const t of ph.tokens) (t.prefix ? prefixes : exact).add(t.lexeme);
  });
  let rows: DocRow[];
  if (prefixes.size === 0) {
    // Per field: keep the field's positions, mark the query's lexemes with another weight, keep those.
    // Three C-level passes over each vector; about 3x cheaper than unnesting it.
    const part = (field: string, mark: string) => `ts_filter(setweight(ts_filter(p.${column}, '{${field}}'), '${mark}', $2::text[]), '{${mark.toLowerCase()}}')::text`;
    const fields = column === 'fts' ? [part('a', 'B'), part('b', 'A'), part('c', 'A')] : [part('a', 'B')];
    const r = await pool.query<{ pk: number; lens: number[]; parts: string[] }>(
      `SELECT p.pk, ARRAY[p.len_title, p.len_abstract, p.len_authors, 0] AS lens, ARRAY[${fields.join(', ')}] AS parts
       FROM papers p WHERE p.pk = ANY($1::int[])`,
      [pks, [...exact]],
    );
    rows = r.rows.map((x) => ({ pk: x.pk, lens: x.lens, hits: x.parts.flatMap((text, f) => parseVector(text, 'ABC'[f])) }));
  } else {
    const likes = [...prefixes].map((x) => `${escapeLike(x)}%`);
    rows = (
      await pool.query<DocRow>(
        `SELECT p.pk, ARRAY[p.len_title, p.len_abstract, p.len_authors, 0] AS lens,
           (SELECT coalesce(json_agg(json_build_array(u.lexeme, u.positions, u.weights)), '[]'::json)
              FROM unnest(p.${column}) u WHERE u.lexeme = ANY($2::text[]) OR u.lexeme LIKE ANY($3::text[])) AS hits
         FROM papers p WHERE p.pk = ANY($1::int[])`,
        [pks, [...exact], likes],
      )
    ).rows;
  }
  for (const row of rows) out.set(row.pk, scoreRow(row, compiled.phrases, p, avg));
  return out;
}

/**
 * Reads tsvector text (`'neural':1,4 'it''s':7`) as hits of one field; weight
 * labels are ignored (the caller's filtering used them as markers).
 */
export function parseVector(text: string, field: string): DocRow['hits'] {
  const out: DocRow['hits'] = [];
  const re = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  for (const m of text.matchAll(re)) {
    const lexeme = m[1].replace(/''/g, "'").replace(/\\(.)/g, '$1');
    const positions = (m[2] ?? '').split(',').filter(Boolean).map((x) => parseInt(x, 10));
    out.push([lexeme, positions, positions.map(() => field)]);
  }
  return out;
}

function scoreRow(row: DocRow, phrases: PgPhrase[], p: RankParams, avg: number[]): Scored {
  const byLexeme = new Map<string, Map<number, number[]>>();
  for (const [lexeme, positions, weights] of row.hits) {
    // A lexeme comes once per field part (ts_filter path) or once in all (unnest path).
    const fields = byLexeme.get(lexeme) ?? new Map<number, number[]>();
    positions.forEach((pos, i) => {
      const f = FIELD[weights[i]] ?? 3;
      const list = fields.get(f);
      if (list) list.push(pos);
      else fields.set(f, [pos]);
    });
    byLexeme.set(lexeme, fields);
  }
  const postings = (t: Token): Map<number, Set<number>> => {
    const out = new Map<number, Set<number>>();
    const add = (fields: Map<number, number[]>) => {
      for (const [f, list] of fields) {
        const set = out.get(f) ?? new Set<number>();
        for (const pos of list) set.add(pos);
        out.set(f, set);
      }
    };
    if (!t.prefix) {
      const fields = byLexeme.get(t.lexeme);
      if (fields) add(fields);
    } else for (const [lexeme, fields] of byLexeme) if (lexeme.startsWith(t.lexeme)) add(fields);
    return out;
  };
  const norm = [0, 1, 2, 3].map((f) => {
    const w = p.weights[f] ?? 0;
    return w === 0 ? 0 : w / (1 - p.b[f] + (p.b[f] * (row.lens[f] ?? 0)) / (avg[f] || 1));
  });
  let score = 0;
  const groups = new Set<number>();
  phrases.forEach((ph, i) => {
    const scored = !!p.idfs[i];
    const counted = ph.meta.group >= 0 && ph.meta.group <= 63;
    if ((!scored && !counted) || ph.tokens.length === 0) return;
    const per = ph.tokens.map(postings);
    let tf = 0;
    let any = false;
    for (const w of ph.weights) {
      const f = FIELD[w];
      const first = per[0].get(f);
      if (!first) continue;
      let n = 0;
      for (const start of first) if (per.every((m, k) => k === 0 || m.get(f)?.has(start + k))) n++;
      if (n) {
        any = true;
        tf += n * norm[f];
      }
    }
    if (any && counted) groups.add(ph.meta.group);
    if (scored && tf > 0) score += (p.idfs[i] * tf * (p.k1 + 1)) / (tf + p.k1);
  });
  return { pk: row.pk, s: score, c: groups.size };
}
