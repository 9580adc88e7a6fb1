/**
 * The digest's "Popular in your lab" block: what members of a shared instance
 * liked and saved over the last days, with counts and the names of those who
 * chose to be named. Absent on a single-user instance.
 */
import { popularInLab } from '../profile/lab.ts';
import { LAB_WINDOW_DAYS } from '../rank/lab.ts';
import type { Store } from '../store/types.ts';
import { paperUrl, type LabBlock } from './model.ts';

export async function labBlock(store: Pick<Store, 'accounts' | 'papers'>, baseUrl: string, at: Date, limit = 5): Promise<LabBlock | undefined> {
  const ranked = await popularInLab(store, at, { days: LAB_WINDOW_DAYS, limit });
  if (!ranked.length) return undefined;
  const byPk = new Map((await store.papers.getPapersByPk(ranked.map((r) => r.pk))).map((p) => [p.pk, p]));
  const papers = ranked.flatMap(({ pk, likes, saves, members, names }) => {
    const p = byPk.get(pk);
    return p ? [{ id: p.id, title: p.title || '(untitled)', url: paperUrl(baseUrl, { id: p.id, links: p.links }), likes, saves, members, names }] : [];
  });
  return papers.length ? { days: LAB_WINDOW_DAYS, papers } : undefined;
}
