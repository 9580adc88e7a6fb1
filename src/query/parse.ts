/**
 * `parseQuery`: search-box text → ParsedQuery + warnings. Total: any string
 * (unbalanced quotes, lone operators, FTS5 or SQL syntax, 10 kB of text,
 * emoji, control characters) gives a query and, where something was ignored
 * or read differently from how it was written, a warning that says so.
 *
 * The language (see also docs in src/rank/search.ts):
 *   neural collapse          all words (stemmed: `collapse` finds `collapsed`)
 *   "neural collapse"        the phrase; stop words inside a phrase count
 *   -dropout  -"weight decay"  NOT dropout, NOT that phrase (also `NOT word`)
 *   grok*                    prefix (at least 3 letters)
 *   lora OR adapters         either (binds the words next to it)
 *   title:collapse  title:"neural collapse"   in the title (also `abstract:`)
 *   author:hinton  au:"Geoffrey Hinton"  -author:smith
 *   cat:cs.LG cat:stat.ML    any of these categories (`cat:cs` = all of cs.*); -cat:cs.CV
 *   year:2024  year:2020..2023  date:2024-01..2024-06  after:2024-01-01  before:2025  since:… until:…
 *   sort:date | sort:upvotes | sort:relevance
 */
import {
  emptyFilters,
  type Atom,
  type AuthorFilter,
  type Clause,
  type ParsedQuery,
  type ParseResult,
  type QueryWarning,
  type SearchSort,
  type TextField,
} from './ast.ts';
import { intersect, parsePeriod, parseRange, shiftDay, type DateRange } from './dates.ts';
import { foldWords, isQueryStopWord } from './fold.ts';
import { cleanQueryText, lex, type Token } from './lex.ts';

/** Longer text is cut (at a space where possible): no one types more, and pasted pages should not cost the engine. */
export const MAX_QUERY_CHARS = 1000;
/** Positive clauses kept; more are ignored with a warning. */
export const MAX_CLAUSES = 24;
export const MAX_PHRASE_WORDS = 16;
/** Shorter prefixes (`a*`) would match a large part of the vocabulary. */
export const MIN_PREFIX_CHARS = 3;

const FIELD_ALIASES: Record<string, string> = {
  author: 'author', au: 'author', authors: 'author', by: 'author',
  title: 'title', ti: 'title', intitle: 'title',
  abstract: 'abstract', abs: 'abstract',
  cat: 'cat', category: 'cat', categories: 'cat', in: 'cat',
  year: 'year', yr: 'year',
  date: 'date', on: 'date',
  after: 'after', before: 'before', since: 'since', until: 'until', from: 'since', to: 'until',
  sort: 'sort', order: 'sort',
};

const SORTS: Record<string, SearchSort> = {
  relevance: 'relevance', best: 'relevance', rank: 'relevance', score: 'relevance',
  date: 'date', new: 'date', newest: 'date', recent: 'date', latest: 'date',
  upvotes: 'upvotes', votes: 'upvotes', popular: 'upvotes', top: 'upvotes', likes: 'upvotes',
};

const OPERATORS = new Set(['AND', '&&', '&', 'OR', '||', '|', 'NOT', '!']);

interface State {
  clauses: Clause[];
  exclude: Atom[];
  ignored: string[];
  warnings: QueryWarning[];
  authors: AuthorFilter[];
  notAuthors: AuthorFilter[];
  categories: string[];
  notCategories: string[];
  dates: DateRange;
  sort?: SearchSort;
  /** The next positive clause joins the previous one as an alternative. */
  pendingOr: boolean;
  /** The next clause is negated (`NOT x`). */
  pendingNot: boolean;
  dropped: number;
}

function warn(s: State, code: string, message: string): void {
  if (!s.warnings.some((w) => w.code === code && w.message === message)) s.warnings.push({ code, message });
}

const show = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Text → atoms. One word is a term; a token the tokenizer splits (`GPT-4`) or a
 * quoted phrase is a phrase. Stop words are dropped from bare terms only.
 */
function atomFrom(
  s: State,
  text: string,
  opts: { phrase: boolean; prefix: boolean; field?: TextField; neg: boolean },
): Atom | undefined {
  let raw = text;
  let prefix = opts.prefix;
  if (!opts.phrase) {
    if (/\*+$/.test(raw)) {
      prefix = true;
      raw = raw.replace(/\*+$/, '');
    }
    if (/^\*/.test(raw)) warn(s, 'leading-wildcard', `a leading * is not supported (in ${show(text)}): matching the word as written`);
  }
  let words = foldWords(raw);
  if (!words.length) {
    if (/[^\s*\-+!&|^~:;,.'"`()[\]{}<>=]/u.test(raw)) warn(s, 'no-words', `${show(text)} has no letters or digits to search for: ignored`);
    return undefined;
  }
  if (words.length > MAX_PHRASE_WORDS) {
    warn(s, 'long-phrase', `a phrase was cut to its first ${MAX_PHRASE_WORDS} words`);
    words = words.slice(0, MAX_PHRASE_WORDS);
    prefix = false;
  }
  const last = words[words.length - 1];
  if (prefix && last.length < MIN_PREFIX_CHARS) {
    warn(s, 'short-prefix', `prefix ${show(`${last}*`)} is too short (at least ${MIN_PREFIX_CHARS} letters): matching the whole word`);
    prefix = false;
  }
  const field = opts.field;
  if (words.length === 1 && !opts.phrase) {
    const word = words[0];
    if (!prefix && !field && isQueryStopWord(word)) {
      if (!opts.neg) s.ignored.push(word);
      return undefined;
    }
    return { kind: 'term', word, prefix, ...(field ? { field } : {}) };
  }
  return { kind: 'phrase', words, prefix, ...(field ? { field } : {}), ...(opts.phrase ? { quoted: true as const } : {}) };
}

function addClause(s: State, atom: Atom | undefined, neg: boolean): void {
  const negate = neg !== s.pendingNot; // `NOT -x` reads as x
  s.pendingNot = false;
  if (!atom) {
    if (!negate) s.pendingOr = false;
    return;
  }
  if (negate) {
    if (s.pendingOr) warn(s, 'or-not', 'OR before an excluded word is not supported: the word is excluded');
    s.pendingOr = false;
    s.exclude.push(atom);
    return;
  }
  const prev = s.clauses[s.clauses.length - 1];
  if (s.pendingOr && prev) {
    s.pendingOr = false;
    const atoms = prev.kind === 'any' ? prev.atoms : [prev];
    s.clauses[s.clauses.length - 1] = { kind: 'any', atoms: [...atoms, atom] };
    return;
  }
  s.pendingOr = false;
  if (s.clauses.length >= MAX_CLAUSES) {
    s.dropped++;
    return;
  }
  s.clauses.push(atom);
}

function normaliseCategory(raw: string): string | undefined {
  const t = raw.trim();
  const m = /^([A-Za-z][A-Za-z-]*)(?:\.([A-Za-z][A-Za-z-]*))?$/.exec(t);
  if (!m) return undefined;
  const archive = m[1].toLowerCase();
  if (m[2] === undefined) return archive;
  const subject = m[2].length === 2 ? m[2].toUpperCase() : m[2].toLowerCase();
  return `${archive}.${subject}`;
}

function authorFrom(s: State, value: string): AuthorFilter | undefined {
  let v = value.trim();
  let prefix = false;
  if (v.endsWith('*')) {
    prefix = true;
    v = v.replace(/\*+$/, '');
  }
  const words = foldWords(v).slice(0, 8);
  if (!words.length) return undefined;
  if (prefix && words[words.length - 1].length < 2) prefix = false;
  return { words, prefix };
}

function fieldToken(s: State, t: Extract<Token, { kind: 'field' }>): void {
  const name = FIELD_ALIASES[t.name];
  const value = t.value;
  if (!name) {
    // Not a field we know (`arxiv:2510.05069`, `http://…`, `C++:`): search the text as written.
    const atom = atomFrom(s, t.quoted ? `${t.name} ${value}` : `${t.name}:${value}`, { phrase: true, prefix: false, neg: t.neg });
    addClause(s, atom, t.neg);
    return;
  }
  if (!t.closed) warn(s, 'unbalanced-quote', `the quote after ${t.name}: is not closed: it runs to the end of the query`);
  if (!value.trim()) {
    warn(s, 'empty-filter', `${t.name}: needs a value (e.g. ${example(name)}): ignored`);
    s.pendingNot = false;
    return;
  }
  const neg = t.neg !== s.pendingNot;
  if (name === 'title' || name === 'abstract') {
    const quotedPrefix = t.quoted && value.endsWith('*');
    const text = quotedPrefix ? value.replace(/\*+$/, '') : value;
    const atom = atomFrom(s, text, { phrase: t.quoted, prefix: quotedPrefix, field: name, neg });
    s.pendingNot = false;
    addClause(s, atom, neg);
    return;
  }
  if (name !== 'author' && name !== 'cat') {
    // Dates and sort restrict or order; they cannot be OR-ed or negated.
    if (s.pendingOr) warn(s, 'lone-operator', `OR before ${t.name}: is ignored (filters always apply)`);
    s.pendingOr = false;
  }
  s.pendingNot = false;
  switch (name) {
    case 'author': {
      const a = authorFrom(s, value);
      if (!a) warn(s, 'empty-filter', `author: ${show(value)} has no letters: ignored`);
      else (neg ? s.notAuthors : s.authors).push(a);
      s.pendingOr = false;
      return;
    }
    case 'cat': {
      for (const part of value.split(/[,|]/)) {
        if (!part.trim()) continue;
        const c = normaliseCategory(part);
        if (!c) warn(s, 'bad-category', `${show(part)} is not an arXiv category (like cs.LG or stat.ML): ignored`);
        else if (!(neg ? s.notCategories : s.categories).includes(c)) (neg ? s.notCategories : s.categories).push(c);
      }
      s.pendingOr = false;
      return;
    }
    case 'sort': {
      const sort = SORTS[value.trim().toLowerCase()];
      if (!sort || neg) warn(s, 'bad-sort', `sort:${value} is not a sort (use sort:relevance, sort:date or sort:upvotes): ignored`);
      else s.sort = sort;
      return;
    }
  }
  if (neg) {
    warn(s, 'negated-date', `-${t.name}: cannot be negated: use before:/after: instead; ignored`);
    return;
  }
  let range: DateRange | undefined;
  if (name === 'year') range = parseRange(value, 'year');
  else if (name === 'date') range = parseRange(value, 'date');
  else {
    const p = parsePeriod(value);
    if (p) {
      if (name === 'after') range = { from: shiftDay(p.last, 1) };
      else if (name === 'before') range = { to: shiftDay(p.first, -1) };
      else if (name === 'since') range = { from: p.first };
      else range = { to: p.last };
    }
  }
  if (!range) {
    warn(s, name === 'year' ? 'bad-year' : 'bad-date', `${t.name}:${value} is not a ${name === 'year' ? 'year or year range' : 'date'} (e.g. ${example(name)}): ignored`);
    return;
  }
  s.dates = intersect(s.dates, range);
}

function example(name: string): string {
  switch (name) {
    case 'author':
      return 'author:hinton or au:"Geoffrey Hinton"';
    case 'cat':
      return 'cat:cs.LG';
    case 'year':
      return 'year:2024 or year:2020..2023';
    case 'date':
      return 'date:2024-01..2024-06';
    case 'sort':
      return 'sort:date';
    case 'title':
    case 'abstract':
      return `${name}:collapse or ${name}:"neural collapse"`;
    default:
      return `${name}:2024-01-01`;
  }
}

function cut(text: string, s: State): string {
  if (text.length <= MAX_QUERY_CHARS) return text;
  let end = text.lastIndexOf(' ', MAX_QUERY_CHARS);
  if (end < MAX_QUERY_CHARS / 2) end = MAX_QUERY_CHARS;
  // Do not split a surrogate pair.
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  warn(s, 'too-long', `the query is ${text.length.toLocaleString('en')} characters; only the first ${end.toLocaleString('en')} were used`);
  return text.slice(0, end);
}

export function parseQuery(raw: unknown): ParseResult {
  const s: State = {
    clauses: [],
    exclude: [],
    ignored: [],
    warnings: [],
    authors: [],
    notAuthors: [],
    categories: [],
    notCategories: [],
    dates: {},
    pendingOr: false,
    pendingNot: false,
    dropped: 0,
  };
  const text = cut(cleanQueryText(typeof raw === 'string' ? raw : raw == null ? '' : String(raw)), s);
  const tokens = lex(text);
  let parens = /[()]/.test(text);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'word' && !t.neg && OPERATORS.has(t.text)) {
      const op = t.text;
      if (op === 'OR' || op === '||' || op === '|') {
        const hasLeft = s.clauses.length > 0 && !s.pendingNot;
        const next = tokens[k + 1];
        const hasRight = !!next && !(next.kind === 'word' && OPERATORS.has(next.text));
        if (!hasLeft || !hasRight) warn(s, 'lone-operator', `OR needs a word on each side: ignored`);
        else s.pendingOr = true;
      } else if (op === 'NOT' || op === '!') {
        if (k === tokens.length - 1) warn(s, 'lone-operator', 'NOT at the end of the query has nothing to exclude: ignored');
        else s.pendingNot = !s.pendingNot;
      } else if (s.clauses.length === 0 || k === tokens.length - 1) {
        // AND is what a space already means; alone at an end it joins nothing.
        warn(s, 'lone-operator', `${op} needs a word on each side: ignored`);
      }
      continue;
    }
    if (t.kind === 'word' && /^NEAR(\/\d+)?$/.test(t.text)) {
      warn(s, 'near', 'NEAR is not supported: the words are matched anywhere in the paper');
      continue;
    }
    if (t.kind === 'field') {
      fieldToken(s, t);
      continue;
    }
    if (t.kind === 'phrase') {
      if (!t.closed) warn(s, 'unbalanced-quote', 'a quote is not closed: the phrase runs to the end of the query');
      const neg = t.neg;
      addClause(s, atomFrom(s, t.text, { phrase: true, prefix: t.prefix, neg: neg !== s.pendingNot }), neg);
      continue;
    }
    const neg = t.neg;
    const atom = atomFrom(s, t.text, { phrase: false, prefix: false, neg: neg !== s.pendingNot });
    if (!atom && /^[-+*^~:]+$/.test(t.text)) warn(s, 'lone-operator', `a lone ${show(t.text)} is ignored`);
    addClause(s, atom, neg);
  }
  if (s.pendingNot) warn(s, 'lone-operator', 'NOT at the end of the query has nothing to exclude: ignored');
  if (parens && s.clauses.some((c) => c.kind === 'any')) {
    warn(s, 'parentheses', 'parentheses are ignored: OR joins the two words (or phrases) next to it');
    parens = false;
  }
  if (s.dropped) warn(s, 'too-many-terms', `only the first ${MAX_CLAUSES} words and phrases were used (${s.dropped} more ignored)`);
  const ignored = [...new Set(s.ignored)];
  if (!s.clauses.length && ignored.length) {
    warn(s, 'only-stop-words', `${ignored.slice(0, 5).map((w) => `"${w}"`).join(', ')} ${ignored.length === 1 ? 'is' : 'are'} too common to search for: add a more specific word`);
  }
  if (s.dates.from && s.dates.to && s.dates.from > s.dates.to) {
    warn(s, 'empty-dates', `the date filters leave no days (from ${s.dates.from} to ${s.dates.to}): nothing can match`);
  }
  const filters = emptyFilters();
  filters.authors = s.authors;
  filters.notAuthors = s.notAuthors;
  filters.categories = s.categories;
  filters.notCategories = s.notCategories;
  if (s.dates.from) filters.from = s.dates.from;
  if (s.dates.to) filters.to = s.dates.to;
  const query: ParsedQuery = { clauses: s.clauses, exclude: s.exclude, filters, ignored };
  if (s.sort) query.sort = s.sort;
  return { query, warnings: s.warnings };
}
