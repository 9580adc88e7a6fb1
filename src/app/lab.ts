/**
 * "Popular in your lab" as the pages and the API show it: the papers members
 * liked and saved lately with their counts, and each member's choice to be
 * named there (off by default). Hidden (undefined) on an instance with fewer
 * than two accounts, or when nobody liked or saved anything in the window.
 */
import type { StoredPaper } from '../store/types.ts';
import { popularInLab, type LabOptions } from '../profile/lab.ts';
import { LAB_WINDOW_DAYS } from '../rank/lab.ts';
import type { AppContext } from './context.ts';
import { badRequest, HttpError } from './errors.ts';

export interface LabEntry {
  paper: StoredPaper;
  likes: number;
  saves: number;
  members: number;
  /** Members who chose to be named; the others are only counted. */
  names: string[];
}

export interface LabView {
  days: number;
  entries: LabEntry[];
}

export async function labView(ctx: AppContext, opts: LabOptions = {}): Promise<LabView | undefined> {
  const days = opts.days ?? LAB_WINDOW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 365) throw badRequest('days: expected a whole number of days from 1 to 365', 'days');
  const ranked = await popularInLab(ctx.store, ctx.now(), { days, limit: opts.limit ?? 5 });
  if (!ranked.length) return undefined;
  const byPk = new Map((await ctx.store.papers.getPapersByPk(ranked.map((r) => r.pk))).map((p) => [p.pk, p]));
  const entries = ranked.flatMap(({ pk, likes, saves, members, names }) => {
    const paper = byPk.get(pk);
    return paper ? [{ paper, likes, saves, members, names }] : [];
  });
  return entries.length ? { days, entries } : undefined;
}

/** The signed-in member's choice to be named in "Popular in your lab". */
export async function setShowInLab(ctx: AppContext, show: boolean): Promise<{ showInLab: boolean }> {
  const user = ctx.actor.user;
  if (!user) throw new HttpError(403, 'only a signed-in account has a name to show');
  await ctx.store.accounts.setShowInLab(user.userId, show);
  return { showInLab: show };
}
