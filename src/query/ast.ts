/**
 * The parsed search query: what `parseQuery` produces from anything a person
 * types, and what every search backend consumes. It is backend-neutral (no
 * FTS5 or tsquery syntax): SQLite compiles it to an FTS5 expression with every
 * token quoted (src/store/search/fts.ts), PostgreSQL to a tsquery.
 *
 * Words are already folded the way the shared tokenizer folds them
 * (NFKD, accents removed, lower case, letters and digits only), so a backend
 * never sees punctuation, operators or quotes from the user's text.
 */

/** Text fields a term can be restricted to; absent means title, abstract and authors. */
export type TextField = 'title' | 'abstract' | 'authors';

/** One word, optionally a prefix (`grok*`). */
export interface TermNode {
  kind: 'term';
  /** Folded word (letters/digits only, never empty). */
  word: string;
  prefix: boolean;
  field?: TextField;
}

/**
 * Words that must appear together, in order: a quoted phrase, or a token the
 * tokenizer splits (`GPT-4`, `k-means`, `state-of-the-art`). Stop words inside
 * stay: "theory of mind" means exactly that.
 */
export interface PhraseNode {
  kind: 'phrase';
  /** Folded words, at least one. */
  words: string[];
  /** The last word is a prefix (`"neural coll*"`). */
  prefix: boolean;
  field?: TextField;
  /** The person quoted it (not a token the tokenizer split): they asked for these words exactly. */
  quoted?: true;
}

export type Atom = TermNode | PhraseNode;

/** `a OR b OR "c d"`: any one of them. */
export interface AnyOfNode {
  kind: 'any';
  atoms: Atom[];
}

export type Clause = Atom | AnyOfNode;

/** An author the paper must (or must not) have: all words occur in one author's name, any order. */
export interface AuthorFilter {
  words: string[];
  /** The last word is a prefix (`author:hint*`). */
  prefix: boolean;
}

export interface SearchFilters {
  /** Every one of these authors (co-authored papers). */
  authors: AuthorFilter[];
  /** None of these authors. */
  notAuthors: AuthorFilter[];
  /**
   * Any of these categories. `cs.LG` is one category; an entry without a dot
   * (`cs`, `hep-th`) means the archive and everything in it (`cs.*`).
   * Canonical arXiv casing (`cs.LG`, `stat.ML`, `physics.comp-ph`).
   */
  categories: string[];
  /** None of these categories (same forms as `categories`). */
  notCategories: string[];
  /** Inclusive listing-date range, `YYYY-MM-DD`. Papers without a date never pass a date filter. */
  from?: string;
  to?: string;
}

export type SearchSort = 'relevance' | 'date' | 'upvotes';

export interface ParsedQuery {
  /** Positive clauses: a paper should match all of them (the engine may relax to "most of them"). */
  clauses: Clause[];
  /** Words and phrases a paper must not contain. */
  exclude: Atom[];
  filters: SearchFilters;
  /** A `sort:` written in the query text (an explicit sort option wins over it). */
  sort?: SearchSort;
  /** Words left out of the query because they are too common to mean anything (`the`, `of`). */
  ignored: string[];
}

export interface QueryWarning {
  /** Stable code for programs: `unbalanced-quote`, `empty-filter`, `bad-year`, … */
  code: string;
  /** One sentence a person can act on. */
  message: string;
}

export interface ParseResult {
  query: ParsedQuery;
  warnings: QueryWarning[];
}

export function emptyFilters(): SearchFilters {
  return { authors: [], notAuthors: [], categories: [], notCategories: [] };
}

/** True when the query asks for text matches (not only filters). */
export function hasText(q: ParsedQuery): boolean {
  return q.clauses.length > 0;
}

/** True when some filter narrows the result (authors, categories or dates). */
export function hasFilters(f: SearchFilters): boolean {
  return f.authors.length + f.notAuthors.length + f.categories.length + f.notCategories.length > 0 || !!f.from || !!f.to;
}

/** Every atom of a clause. */
export function atomsOf(c: Clause): Atom[] {
  return c.kind === 'any' ? c.atoms : [c];
}
