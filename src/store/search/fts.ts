/**
 * Compiles the backend-neutral query AST (src/query/ast.ts) into FTS5
 * MATCH expressions. Nothing the user typed reaches FTS5 as syntax: every
 * word is emitted inside double quotes (with `"` doubled, although folded
 * words cannot contain one), and all operators, column filters and NEAR
 * groups are written here. So `NEAR`, `title:`, `^`, `{a b}`, `*` or SQL in
 * the search box are plain words (or nothing) by the time they get here.
 *
 * Expressions are built as a small tree and serialised left to right, so the
 * list of phrases comes out in the order FTS5 numbers them: the ranking
 * functions (native/radar_fts.c) take one IDF and one clause group per phrase.
 */
import type { Atom, AuthorFilter, Clause } from '../../query/ast.ts';
import { stem } from '../../text/tokenize.ts';

export type Column = 'title' | 'abstract' | 'authors' | 'facets';

/** What a phrase is for: scored text, or only selecting rows (filters, exclusions, selection copies). */
export interface PhraseMeta {
  /** Key of the document-frequency estimate this phrase's IDF comes from; undefined = not scored. */
  dfKeys?: string[];
  /** Clause number for `radar_coord` (-1: not counted). */
  group: number;
  /** Multiplier of the IDF (proximity phrases count half). */
  boost?: number;
}

export type Expr =
  | { t: 'phrase'; words: string[]; prefix: boolean; meta: PhraseMeta }
  | { t: 'near'; phrases: Extract<Expr, { t: 'phrase' }>[]; distance: number }
  | { t: 'and' | 'or'; parts: Expr[] }
  | { t: 'not'; positive: Expr; negative: Expr }
  | { t: 'col'; columns: Column[]; e: Expr };

export interface Compiled {
  match: string;
  phrases: PhraseMeta[];
}

const SELECT_ONLY: PhraseMeta = { group: -1 };

export function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/**
 * The index holds Porter stems, so a typed prefix can be longer than the stem
 * of the words it starts (`optimiz*` vs the stem `optim` of "optimization",
 * `hallucinat*` vs `hallucin`). Besides the prefix itself, match the stems of
 * the prefix completed the way English words end. Stemming the bare prefix is
 * not used: it reads fragments as words (`embed` → `emb`).
 */
export function prefixForms(prefix: string): string[] {
  const forms = new Set([prefix]);
  for (const ending of ['ing', 'e', 'ation']) {
    const s = stem(prefix + ending);
    if (s.length >= 3 && s.slice(0, 3) === prefix.slice(0, 3) && s.length <= prefix.length) forms.add(s);
  }
  // Keep the shortest forms: `optim*` already covers `optimiz*`.
  const sorted = [...forms].sort((a, b) => a.length - b.length);
  return sorted.filter((f, i) => !sorted.slice(0, i).some((g) => f.startsWith(g)));
}

export const phrase = (words: string[], prefix: boolean, meta: PhraseMeta = SELECT_ONLY): Expr => ({ t: 'phrase', words, prefix, meta });
export const and = (parts: Expr[]): Expr => (parts.length === 1 ? parts[0] : { t: 'and', parts });
export const or = (parts: Expr[]): Expr => (parts.length === 1 ? parts[0] : { t: 'or', parts });
/** `positive NOT negative`; FTS5's NOT is binary and needs a positive side. */
export const butNot = (positive: Expr, negatives: Expr[]): Expr =>
  negatives.length ? { t: 'not', positive, negative: or(negatives) } : positive;
export const inColumns = (columns: Column[], e: Expr): Expr => ({ t: 'col', columns, e });

/** Document-frequency key of a single word or a prefix: the FTS5 text that counts it. */
export function wordKey(word: string): string {
  return quote(word);
}
export function prefixKey(word: string): string {
  return prefixForms(word)
    .map((f) => `${quote(f)} *`)
    .join(' OR ');
}

/** The df keys whose IDFs add up to an atom's IDF (a phrase scores as the sum of its words, as Lucene does). */
export function atomDfKeys(a: Atom): string[] {
  const words = a.kind === 'term' ? [a.word] : a.words;
  return words.map((w, i) => (a.prefix && i === words.length - 1 ? prefixKey(w) : wordKey(w)));
}

/** One atom; `scored` gives its phrases an IDF and a clause group. */
export function atomExpr(a: Atom, scored?: { group: number }): Expr {
  const words = a.kind === 'term' ? [a.word] : a.words;
  const meta: PhraseMeta = scored ? { dfKeys: atomDfKeys(a), group: scored.group } : SELECT_ONLY;
  const body = a.prefix
    ? or(prefixForms(words[words.length - 1]).map((f) => phrase([...words.slice(0, -1), f], true, meta)))
    : phrase(words, false, meta);
  return a.field ? inColumns([a.field], body) : body;
}

export function clauseExpr(c: Clause, scored?: { group: number }): Expr {
  if (c.kind !== 'any') return atomExpr(c, scored);
  return or(c.atoms.map((a) => atomExpr(a, scored)));
}

/** Words between an author's first and last name that NEAR allows (middle names, initials). */
const AUTHOR_NEAR = 2;

/**
 * Authors column: one word, or all the name's words close together in any
 * order. NEAR can reach across two neighbouring authors ("Ann Geoffrey; Hinton
 * B."), so multi-word names are also checked exactly in SQL (search.ts).
 */
export function authorExpr(a: AuthorFilter): Expr {
  const phrases = a.words.map((w, i) => phrase([w], a.prefix && i === a.words.length - 1) as Extract<Expr, { t: 'phrase' }>);
  const body: Expr = phrases.length === 1 ? phrases[0] : { t: 'near', phrases, distance: AUTHOR_NEAR + phrases.length - 2 };
  return inColumns(['authors'], body);
}

function phraseText(p: Extract<Expr, { t: 'phrase' }>): string {
  return `${quote(p.words.join(' '))}${p.prefix ? ' *' : ''}`;
}

/** Serialises an expression; phrases are listed in FTS5's numbering order. */
export function compile(e: Expr): Compiled {
  const phrases: PhraseMeta[] = [];
  const out = (x: Expr): string => {
    switch (x.t) {
      case 'phrase':
        phrases.push(x.meta);
        return phraseText(x);
      case 'near':
        return `NEAR(${x.phrases.map((p) => out(p)).join(' ')}, ${x.distance})`;
      case 'and':
      case 'or':
        return x.parts.map((p) => `(${out(p)})`).join(x.t === 'and' ? ' AND ' : ' OR ');
      case 'not':
        return `(${out(x.positive)}) NOT (${out(x.negative)})`;
      case 'col':
        return `{${x.columns.join(' ')}} : (${out(x.e)})`;
    }
  };
  const match = out(e);
  return { match, phrases };
}
