/**
 * The search expression tree (built from the parsed query by the same
 * functions SQLite uses, ../search/fts.ts, so both backends score the
 * same phrases with the same IDF keys, clause groups and boosts) serialised
 * as a PostgreSQL tsquery.
 *
 * Nothing the user typed reaches PostgreSQL as syntax: every lexeme is written
 * here between quotes, and operators come only from the tree. Words become
 * lexemes the way the index made them (the `radar_english` configuration, on
 * the server: `Lexicon`); prefixes stay unstemmed, as in FTS5.
 *
 * Fields are tsvector weights: title A, abstract B, authors C, facets D
 * (migration 3). A multi-word phrase is matched inside one field, like an
 * FTS5 phrase inside one column.
 */
import type { Pool } from 'pg';
import type { Column, Expr, PhraseMeta } from '../search/fts.ts';

export const COLUMN_WEIGHT: Record<Column, string> = { title: 'A', abstract: 'B', authors: 'C', facets: 'D' };
export const ALL_COLUMNS: Column[] = ['title', 'abstract', 'authors', 'facets'];
/** A lexeme no document has (lexemes never contain spaces): a word that yields no lexeme matches nothing. */
const NOTHING = "'no match'";

/** One token of a phrase: an exact lexeme, or (last token of a prefix phrase) a lexeme prefix. */
export interface Token {
  lexeme: string;
  prefix: boolean;
}

export interface PgPhrase {
  tokens: Token[];
  /** Fields (weight letters) its instances may be in. */
  weights: string[];
  meta: PhraseMeta;
  /** This phrase alone as a tsquery (for per-clause checks). */
  tsquery: string;
}

export interface PgCompiled {
  tsquery: string;
  /** Phrases in FTS5's numbering order. */
  phrases: PgPhrase[];
}

/** Folded word → its lexemes in the index, from the server's text-search configuration (cached). */
export class Lexicon {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly pool: Pool) {}

  /** Resolves every word of the trees not resolved yet, in one round trip. */
  async prepare(exprs: (Expr | undefined)[], facetExprs: Expr[] = []): Promise<void> {
    const facet = new Set<Expr>(facetExprs);
    const missing = new Set<string>();
    const visit = (e: Expr | undefined, inFacets: boolean) => {
      if (!e) return;
      const f = inFacets || facet.has(e);
      switch (e.t) {
        case 'phrase':
          if (!f) e.words.forEach((w, i) => !(e.prefix && i === e.words.length - 1) && !this.cache.has(w) && missing.add(w));
          return;
        case 'near':
          return e.phrases.forEach((p) => visit(p, f));
        case 'and':
        case 'or':
          return e.parts.forEach((p) => visit(p, f));
        case 'not':
          visit(e.positive, f);
          return visit(e.negative, f);
        case 'col':
          return visit(e.e, f);
      }
    };
    for (const e of exprs) visit(e, false);
    for (const e of facetExprs) visit(e, true);
    if (!missing.size) return;
    const words = [...missing];
    const r = await this.pool.query<{ w: string; lexemes: string[] }>(
      `SELECT w, array(SELECT u.lexeme FROM unnest(to_tsvector('radar_english', radar_fts_prep(w))) u ORDER BY u.positions[1]) AS lexemes
       FROM unnest($1::text[]) AS w`,
      [words],
    );
    if (this.cache.size > 100_000) this.cache.clear();
    for (const row of r.rows) this.cache.set(row.w, row.lexemes);
  }

  lexemes(word: string): string[] {
    const l = this.cache.get(word);
    if (!l) throw new Error(`lexicon: "${word}" was not prepared`);
    return l;
  }
}

export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function tokenText(t: Token, weight: string): string {
  return `${quoteLexeme(t.lexeme)}:${t.prefix ? '*' : ''}${weight}`;
}

function phraseQuery(tokens: Token[], weights: string[]): string {
  if (tokens.length === 0 || weights.length === 0) return NOTHING;
  // Any field: no weight label, so the GIN index answers without re-reading each paper's vector.
  if (tokens.length === 1) return tokenText(tokens[0], weights.length === 4 ? '' : weights.join(''));
  const perField = weights.map((w) => `(${tokens.map((t) => tokenText(t, w)).join(' <-> ')})`);
  return perField.length === 1 ? perField[0] : `(${perField.join(' | ')})`;
}

/**
 * Serialises a tree. `facets`: trees of filter tokens (categories, dates),
 * which live in the facets field and are not stemmed.
 */
export function toTsquery(e: Expr, lexicon: Lexicon, opts: { facets?: boolean; columns?: Column[] } = {}): PgCompiled {
  const phrases: PgPhrase[] = [];
  const out = (x: Expr, columns: Column[], facets: boolean): string => {
    switch (x.t) {
      case 'phrase': {
        const cols = facets ? columns.filter((c) => c === 'facets') : columns;
        const tokens: Token[] = [];
        x.words.forEach((w, i) => {
          const last = i === x.words.length - 1;
          if ((x.prefix && last) || facets) tokens.push({ lexeme: w, prefix: x.prefix && last });
          else for (const lexeme of lexicon.lexemes(w)) tokens.push({ lexeme, prefix: false });
        });
        // A word with no lexeme leaves the phrase unmatchable, as FTS5 finds no token for it either.
        const unmatchable = !facets && x.words.some((w, i) => !(x.prefix && i === x.words.length - 1) && lexicon.lexemes(w).length === 0);
        const weights = cols.map((c) => COLUMN_WEIGHT[c]);
        const tsquery = unmatchable ? NOTHING : phraseQuery(tokens, weights);
        phrases.push({ tokens: unmatchable ? [] : tokens, weights, meta: x.meta, tsquery });
        return tsquery;
      }
      case 'near':
        // Words of one author's name close together: here all in the field (the SQL check makes names exact).
        return `(${x.phrases.map((p) => out(p, columns, facets)).join(' & ')})`;
      case 'and':
      case 'or':
        return `(${x.parts.map((p) => out(p, columns, facets)).join(x.t === 'and' ? ' & ' : ' | ')})`;
      case 'not':
        return `(${out(x.positive, columns, facets)} & !${out(x.negative, columns, facets)})`;
      case 'col':
        return out(
          x.e,
          columns.filter((c) => x.columns.includes(c)),
          facets,
        );
    }
  };
  const tsquery = out(e, opts.columns ?? ALL_COLUMNS, !!opts.facets);
  return { tsquery, phrases };
}

/** `a & b` of compiled parts (the phrase lists concatenated in order). */
export function andAll(parts: PgCompiled[]): PgCompiled {
  const live = parts.filter((p) => p.tsquery);
  if (live.length === 1) return live[0];
  return { tsquery: `(${live.map((p) => p.tsquery).join(' & ')})`, phrases: live.flatMap((p) => p.phrases) };
}

export function orAll(parts: PgCompiled[]): PgCompiled {
  if (parts.length === 1) return parts[0];
  return { tsquery: `(${parts.map((p) => p.tsquery).join(' | ')})`, phrases: parts.flatMap((p) => p.phrases) };
}

/** `positive & !(n1 | n2 …)`; the negatives' phrases are never scored. */
export function butNotAll(positive: PgCompiled, negatives: PgCompiled[]): PgCompiled {
  if (!negatives.length) return positive;
  return { tsquery: `(${positive.tsquery} & !${orAll(negatives).tsquery})`, phrases: [...positive.phrases, ...negatives.flatMap((n) => n.phrases)] };
}

/**
 * The words of an FTS5 document-frequency key (`"word"`, or prefix forms
 * `"optim" * OR "optimiz" *`), so the same key counts the same papers here.
 */
export function parseDfKey(key: string): { word: string; prefix: boolean }[] {
  const out: { word: string; prefix: boolean }[] = [];
  for (const m of key.matchAll(/"((?:[^"]|"")*)"( \*)?/g)) out.push({ word: m[1].replace(/""/g, '"'), prefix: !!m[2] });
  return out;
}
