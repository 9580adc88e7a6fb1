/**
 * The daily listing: papers of one day, week or month with previous/next
 * periods that have papers. The JSON API (`GET /api/papers`) and the home page
 * both call `dailyListing`, so they always agree.
 */
import { addDays, isoDay } from '../paper/days.ts';
import type { ListSort, Store, StoredPaper } from '../store/types.ts';

export type ListingView = 'day' | 'week' | 'month';

export interface ListingQuery {
  /** Any day inside the period; default: the newest day with papers that is not after `today`. */
  day?: string;
  /** Today, by the app's clock: a paper dated in the future does not make its day the default. */
  today?: string;
  view?: ListingView;
  sort?: ListSort;
  categories?: string[];
  limit?: number;
  offset?: number;
}

export interface Period {
  from: string;
  to: string;
}

export interface Listing {
  view: ListingView;
  /** The day asked for (or the latest day with papers). Absent when the store has no dated papers. */
  day?: string;
  from?: string;
  to?: string;
  /** Nearest periods before/after that have papers. */
  prev?: Period;
  next?: Period;
  sort: ListSort;
  papers: StoredPaper[];
  total: number;
  /** Days inside the period with their paper counts, newest first. */
  days: { day: string; count: number }[];
}

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** The period of `view` containing `day`: the day itself, its Monday–Sunday week, or its calendar month. */
export function periodOf(day: string, view: ListingView): Period {
  if (view === 'day') return { from: day, to: day };
  if (view === 'week') {
    const dow = (utc(day).getUTCDay() + 6) % 7; // Monday = 0
    const from = addDays(day, -dow);
    return { from, to: addDays(from, 6) };
  }
  const d = utc(day);
  const from = isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
  const to = isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
  return { from, to };
}

export async function dailyListing(store: Store, q: ListingQuery): Promise<Listing> {
  const view = q.view ?? 'day';
  const sort = q.sort ?? 'trending';
  const day = q.day ?? (await store.papers.listingDays({ to: q.today, limit: 1 }))[0]?.day ?? (await store.papers.listingDays({ limit: 1 }))[0]?.day;
  if (!day) return { view, sort, papers: [], total: 0, days: [] };
  const { from, to } = periodOf(day, view);
  const [page, days, before, after] = await Promise.all([
    store.papers.listPapers({ from, to, sort, asOf: to, categories: q.categories, limit: q.limit ?? 30, offset: q.offset ?? 0 }),
    store.papers.listingDays({ from, to }),
    store.papers.listingDays({ to: addDays(from, -1), limit: 1 }),
    nextDayAfter(store, to),
  ]);
  return {
    view,
    day,
    from,
    to,
    sort,
    prev: before[0] ? periodOf(before[0].day, view) : undefined,
    next: after ? periodOf(after, view) : undefined,
    papers: page.papers,
    total: page.total,
    days,
  };
}

/** The first day after `to` with papers. listingDays is newest-first, so widen a forward window until it finds one. */
async function nextDayAfter(store: Store, to: string): Promise<string | undefined> {
  for (const span of [7, 62, 400, 40_000]) {
    const days = await store.papers.listingDays({ from: addDays(to, 1), to: addDays(to, span) });
    if (days.length) return days[days.length - 1].day;
  }
  return undefined;
}
