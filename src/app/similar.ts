/**
 * Similar papers for the paper page: the retrieval service's nearest papers
 * (src/rank/similar.ts), optionally re-ordered by recency or popularity among
 * the closest ones — "what is new near this paper" rather than a different
 * neighbourhood.
 */
import { similarToPaper } from '../rank/similar.ts';
import type { StoredPaper } from '../store/types.ts';
import type { AppContext } from './context.ts';

export type SimilarSort = 'similarity' | 'recent' | 'popular';

/** `none`: the paper is indexed and nothing is near it; `indexes`: the server cannot answer yet (or at all). */
export type SimilarResult = { items: { paper: StoredPaper; score: number }[]; sort: SimilarSort } | { unavailable: string; reason: 'none' | 'indexes' };

/** Neighbours considered before re-ordering by recency or popularity. */
const POOL = 30;

export async function similarForPage(ctx: AppContext, paper: StoredPaper, sort: SimilarSort, limit = 10): Promise<SimilarResult> {
  if (!ctx.services.retrieval) return { unavailable: 'Similar papers are not available in this server.', reason: 'indexes' };
  const r = await ctx.services.retrieval();
  // Follows index changes (throttled); with no index yet, look again every time: a refresh may just have built it.
  await r.catchUp(!r.papers);
  if (!r.papers) {
    return { unavailable: 'Similar papers appear once the search indexes are built: they are refreshed after imports and by the refresh-indexes job.', reason: 'indexes' };
  }
  const hits = await similarToPaper(r, paper.pk, { limit: sort === 'similarity' ? limit : POOL });
  if (!hits.length) {
    const indexed = (await r.sparseVectors([paper.pk])).size > 0;
    return indexed
      ? { unavailable: 'No similar papers found.', reason: 'none' }
      : { unavailable: 'This paper is not in the indexes yet: they are refreshed after imports and by the refresh-indexes job.', reason: 'indexes' };
  }
  const byPk = new Map((await ctx.store.papers.getPapersByPk(hits.map((h) => h.pk))).map((p) => [p.pk, p]));
  let items = hits.flatMap((h) => {
    const p = byPk.get(h.pk);
    return p ? [{ paper: p, score: h.score }] : [];
  });
  if (sort === 'recent') items = [...items].sort((a, b) => (b.paper.listingDate ?? '').localeCompare(a.paper.listingDate ?? '') || b.score - a.score);
  if (sort === 'popular') items = [...items].sort((a, b) => (b.paper.signals.upvotes ?? -1) - (a.paper.signals.upvotes ?? -1) || b.score - a.score);
  return { items: items.slice(0, limit), sort };
}
