/**
 * The search page's request: the box's text plus the filter controls, composed
 * into one query in the search language (src/rank/query/parse.ts), so a
 * control and the same filter typed in the box mean exactly the same thing.
 * Search itself is src/rank/search.ts (issue 3a).
 */
import { searchPapers, type DenseRetriever, type SearchResult } from '../../rank/search.ts';
import type { AppContext } from '../app.ts';

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

/** Hybrid search's second list: nearest papers to the query in the dense index, when there is one. */
async function denseRetriever(ctx: AppContext): Promise<DenseRetriever | undefined> {
  if (!ctx.services.retrieval) return undefined;
  const r = await ctx.services.retrieval();
  await r.catchUp();
  if (!r.dense?.embedder) return undefined;
  return { name: 'dense', retrieve: (text, limit) => r.denseSearch(text, limit) };
}

export async function searchForPage(ctx: AppContext, p: SearchParams): Promise<{ text: string; result?: SearchResult; ms: number }> {
  const text = composeQuery(p);
  const started = performance.now();
  if (!text) return { text, ms: 0 };
  const dense = await denseRetriever(ctx).catch(() => undefined);
  const result = await searchPapers({ store: ctx.store, dense }, text, { limit: PAGE, offset: p.offset ?? 0, sort: p.sort });
  return { text, result, ms: performance.now() - started };
}
