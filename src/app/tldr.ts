/**
 * TL;DRs for what a page shows: the cached ones at once, and the missing ones
 * handed to the background queue (ServerServices.tldr) for a later visit.
 * Nothing when no endpoint is configured.
 */
import type { AppContext } from './context.ts';

export async function tldrsFor(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = ctx.services.tldr;
  if (!queue || ids.length === 0) return out;
  const papers = (await Promise.all(ids.map((id) => ctx.store.papers.getPaper(id)))).filter((p) => p !== undefined);
  const cached = await ctx.store.tldrs.getTldrs(papers.map((p) => p.pk));
  const missing: number[] = [];
  for (const p of papers) {
    const t = cached.get(p.pk)?.text;
    if (t) out.set(p.id, t);
    else missing.push(p.pk);
  }
  queue.request(missing);
  return out;
}
