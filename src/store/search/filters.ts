/**
 * Filters and exclusions of a parsed query, for SQLite: the selective parts
 * become FTS5 terms (categories, author names, narrow date ranges: see
 * facets.ts), and what the index cannot decide exactly becomes SQL on
 * `papers p` (day bounds, multi-word author names, excluded authors).
 */
import type { AuthorFilter, ParsedQuery } from '../../query/ast.ts';
import { categoryExpr, dateTokens } from './facets.ts';
import { atomExpr, authorExpr, or, phrase, type Expr } from './fts.ts';

export interface CompiledFilters {
  /** Index expressions every result must match (ANDed with the text). */
  fts: Expr[];
  /** Index expressions no result may match (text exclusions, excluded categories). */
  exclude: Expr[];
  /** SQL conditions on `papers p`, each starting with ` AND `. */
  sql: string;
  params: unknown[];
  /** The filters contradict themselves (e.g. from after to): nothing can match. */
  impossible: boolean;
}

/** `name_key` holds the folded name; each word must be a whole word of one author's name. */
function authorSql(a: AuthorFilter): { sql: string; params: string[] } {
  const likes = a.words.map((w, i) => (a.prefix && i === a.words.length - 1 ? `% ${w}%` : `% ${w} %`));
  return {
    sql: `SELECT 1 FROM paper_authors pa WHERE pa.pk = p.pk AND ${likes.map(() => `(' ' || pa.name_key || ' ') LIKE ?`).join(' AND ')}`,
    params: likes,
  };
}

export function compileFilters(q: ParsedQuery): CompiledFilters {
  const f = q.filters;
  const fts: Expr[] = [];
  const exclude: Expr[] = [];
  let sql = '';
  const params: unknown[] = [];
  for (const a of f.authors) {
    fts.push(authorExpr(a));
    if (a.words.length > 1) {
      const s = authorSql(a);
      sql += ` AND EXISTS (${s.sql})`;
      params.push(...s.params);
    }
  }
  for (const a of f.notAuthors) {
    const s = authorSql(a);
    sql += ` AND NOT EXISTS (${s.sql})`;
    params.push(...s.params);
  }
  if (f.categories.length) fts.push(or(f.categories.map(categoryExpr)));
  exclude.push(...f.notCategories.map(categoryExpr));
  exclude.push(...q.exclude.map((a) => atomExpr(a)));
  if (f.from) {
    sql += ' AND p.listing_date >= ?';
    params.push(f.from);
  }
  if (f.to) {
    sql += ' AND p.listing_date <= ?';
    params.push(f.to);
  }
  const tokens = dateTokens(f.from, f.to);
  if (tokens) fts.push(or(tokens.map((t) => phrase([t], false))));
  return { fts, exclude, sql, params, impossible: !!(f.from && f.to && f.from > f.to) };
}

/**
 * The same filters as plain SQL on `papers p` (no index expressions except
 * text exclusions), for checking a given list of papers: dense-retrieval
 * candidates go through this.
 */
export function filtersAsSql(q: ParsedQuery): { sql: string; params: unknown[]; exclude: Expr[] } {
  const f = q.filters;
  let sql = '';
  const params: unknown[] = [];
  const catCond = (c: string) => {
    if (c.includes('.')) {
      params.push(c);
      return 'pc.category = ?';
    }
    params.push(c, `${c}.`, `${c}/`);
    return '(pc.category = ? OR (pc.category >= ? AND pc.category < ?))';
  };
  for (const a of [...f.authors]) {
    const s = authorSql(a);
    sql += ` AND EXISTS (${s.sql})`;
    params.push(...s.params);
  }
  for (const a of f.notAuthors) {
    const s = authorSql(a);
    sql += ` AND NOT EXISTS (${s.sql})`;
    params.push(...s.params);
  }
  if (f.categories.length) sql += ` AND EXISTS (SELECT 1 FROM paper_categories pc WHERE pc.pk = p.pk AND (${f.categories.map(catCond).join(' OR ')}))`;
  if (f.notCategories.length) sql += ` AND NOT EXISTS (SELECT 1 FROM paper_categories pc WHERE pc.pk = p.pk AND (${f.notCategories.map(catCond).join(' OR ')}))`;
  if (f.from) {
    sql += ' AND p.listing_date >= ?';
    params.push(f.from);
  }
  if (f.to) {
    sql += ' AND p.listing_date <= ?';
    params.push(f.to);
  }
  return { sql, params, exclude: q.exclude.map((a) => atomExpr(a)) };
}
