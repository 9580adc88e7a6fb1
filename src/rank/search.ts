/**
 * Search: what `radar search`, `GET /api/search` and the web search page call.
 *
 *   const result = await searchPapers({ store }, 'neural collapse -dropout year:2024', { limit: 20 });
 *
 * The text goes through `parseQuery` (never throws; see src/query/parse.ts
 * for the language), retrieval runs in one of these modes, and each hit comes
 * back with the fields a results list shows plus a highlighted snippet.
 *
 * - `bm25`: keyword search in the store (BM25F over title > abstract >
 *   authors; see SearchStore in src/store/types.ts).
 * - `dense`: the `deps.dense` retriever alone (nearest papers to the query's
 *   words), with the query's filters and exclusions applied to its candidates.
 * - `hybrid`: both lists fused (`deps.fuse`, default reciprocal-rank fusion).
 * - `auto` (default): `hybrid` when a dense retriever is provided, else `bm25`.
 * Sorting by date or upvotes, and filter-only queries, always use the keyword
 * path (the order is then not a relevance order to fuse).
 *
 * For evaluation harnesses, `keywordRetrieve` runs BM25 alone on a parsed
 * query or on free text (`bagOfWords`), without snippets or paper loading.
 */
import { suggestionFor, type VocabularyLoader } from './suggestion.ts';
import type { KeywordHit, KeywordMatch, KeywordPage, FieldWeights, PaperStore, SearchStore, StoredPaper } from '../store/types.ts';
import { words as tokenWords } from '../text/tokenize.ts';
import type { Hit } from '../vectors/types.ts';
import { Highlighter } from '../text/highlight.ts';
import { highlightText, makeSnippet, type Snippet } from '../text/snippet.ts';
import { emptyFilters, hasFilters, type ParsedQuery, type QueryWarning, type SearchFilters, type SearchSort } from '../query/ast.ts';
import { describeQuery } from '../query/describe.ts';
import { isQueryStopWord } from '../query/fold.ts';
import { parseQuery } from '../query/parse.ts';
import { exactFormsFirst, typedForms } from './exact-forms.ts';
import { highlightTerms, queryText } from '../query/terms.ts';

export type SearchMode = 'bm25' | 'dense' | 'hybrid' | 'auto';

/** A ranked paper from any retriever (same shape as src/vectors/types.ts `Hit`). */
export type ScoredPk = Hit;

/** A second retriever for hybrid search (e.g. nearest neighbours of the query's embedding). */
export interface DenseRetriever {
  readonly name: string;
  /** Papers nearest to the query text, best first. Filters are applied by the search afterwards. */
  retrieve(text: string, limit: number): Promise<ScoredPk[]>;
}

/** Fuses ranked lists (keyword first) into one, best first. */
export type Fuse = (lists: { name: string; hits: ScoredPk[] }[], limit: number) => ScoredPk[];

export interface SearchDeps {
  store: { search: SearchStore; papers: Pick<PaperStore, 'getPapersByPk'> };
  dense?: DenseRetriever;
  fuse?: Fuse;
  /** Candidates taken from each list before fusion (default 100). */
  fusionDepth?: number;
  /** The papers' surface words, for "did you mean" (src/rank/suggestion.ts); without it no suggestion is made. */
  vocabulary?: VocabularyLoader;
}

export interface SearchOptions {
  /** Results per page (1–200, default 20). */
  limit?: number;
  offset?: number;
  /** Default: the query's own `sort:`, else relevance (date for filter-only queries). */
  sort?: SearchSort;
  mode?: SearchMode;
  match?: KeywordMatch;
  weights?: Partial<FieldWeights>;
  budget?: number;
  /** Snippet length in characters (default 260). */
  snippetChars?: number;
  /** False: no "did you mean" (default: looked for on a weak first page when the deps carry a vocabulary). */
  suggest?: boolean;
}

export interface SearchHit {
  id: string;
  title: string;
  /** Relevance score (higher is better; 0 for filter-only listings). */
  score: number;
  /** The abstract window around the matched words. */
  snippet: Snippet;
  /** The title with matched words marked. */
  titleHighlight: Snippet;
  /** Whether the paper matches every word of the query (false only in a relaxed search). */
  matchedAll: boolean;
  authors: string[];
  /** Number of authors (known even when the list is not). */
  authorCount: number;
  authorsComplete: boolean;
  /** Listing date (YYYY-MM-DD). */
  date?: string;
  categories: string[];
  upvotes?: number;
  organization?: string;
}

export interface SearchSummary {
  /** What was typed. */
  text: string;
  /** What the engine understood, as query text (`"neural collapse" -dropout date:2024-01-01..2024-12-31`). */
  understood: string;
  /** Words left out as too common. */
  ignored: string[];
  filters: SearchFilters;
  sort: SearchSort;
  mode: Exclude<SearchMode, 'auto'>;
  /** Papers matching only some words were added after those matching all. */
  relaxed: boolean;
  /** The query matched more papers than one query ranks; the ranking covers the newest and the best title matches. */
  bounded: boolean;
}

export interface SearchResult {
  query: SearchSummary;
  hits: SearchHit[];
  total: number;
  /** False when `total` is an estimate ("about"). */
  totalExact: boolean;
  offset: number;
  limit: number;
  warnings: QueryWarning[];
  /** "Did you mean": the query with misspelt words corrected, only when that finds papers. */
  suggestion?: string;
}

export const MAX_LIMIT = 200;
export const MAX_OFFSET = 10_000;
/** Results re-ordered by exact word forms: the first pages, where the order is read. */
export const EXACT_FORMS_DEPTH = 100;
/** At least this many candidates are re-ordered, so a short first page is drawn from enough of them. */
const EXACT_FORMS_MIN = 50;

const clamp = (v: number | undefined, lo: number, hi: number, dflt: number) =>
  v === undefined || !Number.isFinite(v) ? dflt : Math.min(hi, Math.max(lo, Math.floor(v)));

/** Reciprocal-rank fusion (k = 60): the default `Fuse`. */
export const reciprocalRankFusion: Fuse = (lists, limit) => {
  const score = new Map<number, number>();
  for (const list of lists) list.hits.forEach((h, i) => score.set(h.pk, (score.get(h.pk) ?? 0) + 1 / (60 + i + 1)));
  return [...score.entries()]
    .map(([pk, s]) => ({ pk, score: s }))
    .sort((a, b) => b.score - a.score || a.pk - b.pk)
    .slice(0, limit);
};

/**
 * A query of the distinct content words of a text (stop words out), for
 * query-by-example and evaluation: run it with `match: 'any'`.
 */
export function bagOfWords(text: string, maxTerms = 64): ParsedQuery {
  const seen = new Set<string>();
  const clauses: ParsedQuery['clauses'] = [];
  for (const w of tokenWords(text)) {
    if (clauses.length >= maxTerms) break;
    if (isQueryStopWord(w) || seen.has(w)) continue;
    seen.add(w);
    clauses.push({ kind: 'term', word: w, prefix: false });
  }
  return { clauses, exclude: [], filters: emptyFilters(), ignored: [] };
}

/**
 * BM25 keyword retrieval alone: pks and scores, best first. `query` is
 * search-box text (parsed), a ParsedQuery, or use `bagOfWords(text)` for long
 * free text. Defaults: `match: 'any'` for ParsedQuery input from bagOfWords is
 * up to the caller; search-box text uses `auto`.
 */
export async function keywordRetrieve(
  search: SearchStore,
  query: string | ParsedQuery,
  opts: { limit: number; offset?: number; match?: KeywordMatch; weights?: Partial<FieldWeights>; budget?: number; sort?: SearchSort },
): Promise<KeywordPage> {
  const parsed = typeof query === 'string' ? parseQuery(query).query : query;
  return search.searchKeyword({
    query: parsed,
    sort: opts.sort ?? 'relevance',
    limit: opts.limit,
    offset: opts.offset ?? 0,
    match: opts.match,
    weights: opts.weights,
    budget: opts.budget,
  });
}

function toHit(p: StoredPaper, k: KeywordHit | ScoredPk, clauses: number, h: Highlighter, snippetChars?: number): SearchHit {
  const matched = 'matched' in k ? k.matched : clauses;
  return {
    id: p.id,
    title: p.title,
    score: Math.round(k.score * 1e4) / 1e4,
    snippet: makeSnippet(p.abstract, h, { maxChars: snippetChars }),
    titleHighlight: highlightText(p.title, h),
    matchedAll: matched >= clauses,
    authors: p.authors,
    authorCount: p.authorCount ?? p.authors.length,
    authorsComplete: p.authorsComplete,
    ...(p.listingDate ? { date: p.listingDate } : {}),
    categories: p.categories,
    ...(p.signals.upvotes !== undefined ? { upvotes: p.signals.upvotes } : {}),
    ...(p.signals.organization ? { organization: p.signals.organization } : {}),
  };
}

function asksForLiteralMatch(q: ParsedQuery): boolean {
  const atoms = q.clauses.flatMap((c) => (c.kind === 'any' ? c.atoms : [c]));
  return atoms.some((a) => a.field !== undefined || (a.kind === 'phrase' && a.quoted === true));
}

export async function searchPapers(deps: SearchDeps, rawQuery: unknown, opts: SearchOptions = {}): Promise<SearchResult> {
  const { query, warnings } = parseQuery(rawQuery);
  const limit = clamp(opts.limit, 1, MAX_LIMIT, 20);
  const offset = clamp(opts.offset, 0, MAX_OFFSET, 0);
  const k = query.clauses.length;
  let sort: SearchSort = opts.sort ?? query.sort ?? 'relevance';
  if (k === 0 && sort === 'relevance') sort = 'date';
  let mode: Exclude<SearchMode, 'auto'> = opts.mode === 'auto' || !opts.mode ? (deps.dense ? 'hybrid' : 'bm25') : opts.mode;
  if (mode !== 'bm25' && !deps.dense) {
    warnings.push({ code: 'no-dense', message: `${mode} search needs a dense index, which is not available: showing keyword results` });
    mode = 'bm25';
  }
  if (k === 0 || sort !== 'relevance') mode = 'bm25';
  const summary: SearchSummary = {
    text: typeof rawQuery === 'string' ? rawQuery.slice(0, 2000) : '',
    understood: describeQuery(query),
    ignored: query.ignored,
    filters: query.filters,
    sort,
    mode,
    relaxed: false,
    bounded: false,
  };
  const result: SearchResult = { query: summary, hits: [], total: 0, totalExact: true, offset, limit, warnings };
  if (k === 0 && !hasFilters(query.filters) && !query.exclude.length) {
    if (!warnings.some((w) => w.code === 'only-stop-words')) warnings.push({ code: 'empty-query', message: 'type some words to search for (or a filter such as cat:cs.LG or author:hinton)' });
    return result;
  }
  if (k === 0 && !hasFilters(query.filters)) {
    warnings.push({ code: 'only-exclusions', message: 'the query only excludes words: add a word or a filter to search for' });
    return result;
  }

  let ranked: (KeywordHit | ScoredPk)[];
  // Relevance pages within the first EXACT_FORMS_DEPTH results are re-ordered so the typed word forms come first (exact-forms.ts).
  const forms = sort === 'relevance' ? typedForms(query) : [];
  const rerank = forms.length > 0 && offset + limit <= EXACT_FORMS_DEPTH;
  let loaded: Map<number, StoredPaper> | undefined;
  const exactFirst = async <T extends { pk: number }>(hits: T[]): Promise<T[]> => {
    loaded = new Map((await deps.store.papers.getPapersByPk(hits.map((h) => h.pk))).map((p) => [p.pk, p]));
    return exactFormsFirst(hits, forms, (h) => {
      const p = loaded!.get(h.pk);
      return p && `${p.title} ${p.abstract}`;
    });
  };
  if (mode === 'bm25') {
    const window = rerank ? { limit: Math.max(offset + limit, EXACT_FORMS_MIN), offset: 0 } : { limit, offset };
    const page = await deps.store.search.searchKeyword({ query, sort, ...window, match: opts.match, weights: opts.weights, budget: opts.budget });
    ranked = rerank ? (await exactFirst(page.hits)).slice(offset, offset + limit) : page.hits;
    result.total = page.total;
    result.totalExact = page.totalExact;
    summary.relaxed = page.relaxed;
    summary.bounded = page.bounded;
  } else {
    const depth = Math.max(deps.fusionDepth ?? 100, offset + limit);
    const [kw, dense] = await Promise.all([
      mode === 'hybrid' ? deps.store.search.searchKeyword({ query, sort, limit: depth, offset: 0, match: opts.match, weights: opts.weights, budget: opts.budget }) : undefined,
      deps.dense!.retrieve(queryText(query), depth),
    ]);
    const allowed = new Set(await deps.store.search.filterPapers(query, dense.map((d) => d.pk)));
    // A quoted phrase or a field restriction asks for those words exactly: the
    // semantic list may then only re-order papers that match the keywords.
    const literal = kw && asksForLiteralMatch(query) ? new Set(kw.hits.filter((h) => h.matched >= k).map((h) => h.pk)) : undefined;
    const denseHits = dense.filter((d) => allowed.has(d.pk) && (!literal || literal.has(d.pk)));
    const lists = [...(kw ? [{ name: 'bm25', hits: kw.hits }] : []), { name: deps.dense!.name, hits: denseHits }];
    const fusedRaw = mode === 'dense' ? denseHits.slice(0, depth) : (deps.fuse ?? reciprocalRankFusion)(lists, depth);
    const fused = rerank ? [...(await exactFirst(fusedRaw.slice(0, EXACT_FORMS_DEPTH))), ...fusedRaw.slice(EXACT_FORMS_DEPTH)] : fusedRaw;
    const kwMatched = new Map(kw?.hits.map((h) => [h.pk, h.matched]) ?? []);
    ranked = fused.slice(offset, offset + limit).map((h) => ({ ...h, matched: kwMatched.get(h.pk) ?? (mode === 'dense' ? k : 0) }));
    const union = new Set([...fused.map((h) => h.pk)]);
    result.total = Math.max(kw?.total ?? 0, union.size);
    result.totalExact = false;
    summary.relaxed = kw?.relaxed ?? false;
    summary.bounded = kw?.bounded ?? false;
  }

  if (summary.relaxed) {
    // Said only when such papers exist: "some of them follow" and then nothing would be a broken promise.
    if (ranked.length > 0 || result.total > 0)
      warnings.push({ code: 'relaxed', message: `few papers match every word of "${summary.understood}": papers matching some of them follow, most words first` });
    else warnings.push({ code: 'no-match', message: `no paper matches "${summary.understood}", not even some of its words` });
  }
  if (summary.bounded) {
    warnings.push({ code: 'broad-query', message: `about ${result.total.toLocaleString('en')} papers match: ranked the newest and the best title matches; add words or filters to narrow` });
  }
  const papers = loaded ?? new Map((await deps.store.papers.getPapersByPk(ranked.map((h) => h.pk))).map((p) => [p.pk, p]));
  const h = new Highlighter(highlightTerms(query));
  for (const r of ranked) {
    const p = papers.get(r.pk);
    if (p) result.hits.push(toHit(p, r, k, h, opts.snippetChars));
  }
  if (deps.vocabulary && opts.suggest !== false && offset === 0 && k > 0 && typeof rawQuery === 'string') {
    const matchingAll = (r: SearchResult) => r.hits.filter((h) => h.matchedAll).length;
    result.suggestion = await suggestionFor(rawQuery, matchingAll(result), deps.vocabulary, async (q, limit) =>
      matchingAll(await searchPapers(deps, q, { limit, sort, mode: 'bm25', suggest: false })),
    );
  }
  return result;
}
