/**
 * The search page's request: the box's text plus the filter controls, composed
 * into one query in the search language (src/query/parse.ts), so a
 * control and the same filter typed in the box mean exactly the same thing.
 * Search itself is src/rank/search.ts.
 */
import { searchPapers, type SearchResult } from '../rank/search.ts';
import type { AppContext } from './context.ts';

export interface SearchParams {
  q?: string;
  sort?: 'relevance' | 'date' | 'upvotes';
  cat?: string;
  author?: string;
  /** `2024`, `2024-03` or `2024-03-15`. */
  from?: string;
  to?: string;
  offset?: number;
}

export const PAGE = 20;

/** The query text the controls stand for: `neural collapse cat:cs.LG author:"Ada Lovelace" date:2024..2025-06`. */
export function composeQuery(p: SearchParams): string {
  const parts: string[] = [];
  if (p.q?.trim()) parts.push(p.q.trim());
  for (const c of (p.cat ?? '').split(/[\s,]+/).filter(Boolean)) parts.push(`cat:${c}`);
  const author = (p.author ?? '').replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
  if (author) parts.push(author.includes(' ') ? `author:"${author}"` : `author:${author}`);
  const from = (p.from ?? '').trim();
  const to = (p.to ?? '').trim();
  if (from || to) parts.push(`date:${from}..${to}`);
  return parts.join(' ');
}


/**
 * The search box's text for a suggestion on the composed query: the controls'
 * filters follow the box's words and a suggestion only changes plain words,
 * so the tail after the box's words is the same in both.
 */
export function suggestedBoxText(p: SearchParams, text: string, suggestion: string | undefined): string | undefined {
  const box = p.q?.trim();
  if (!suggestion || !box) return undefined;
  const tail = text.slice(box.length);
  if (!suggestion.endsWith(tail)) return undefined;
  const q = suggestion.slice(0, suggestion.length - tail.length);
  return q && q !== box ? q : undefined;
}

export async function searchForPage(ctx: AppContext, p: SearchParams): Promise<{ text: string; result?: SearchResult; ms: number; suggestion?: string }> {
  const text = composeQuery(p);
  const started = performance.now();
  if (!text) return { text, ms: 0 };
  // The same search the API runs (hybrid when a dense index exists: src/rank/search-deps.ts).
  const deps = ctx.services.search ? await ctx.services.search() : { store: ctx.store };
  const result = await searchPapers(deps, text, { limit: PAGE, offset: p.offset ?? 0, sort: p.sort });
  return { text, result, ms: performance.now() - started, suggestion: suggestedBoxText(p, text, result.suggestion) };
}
