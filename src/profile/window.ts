/**
 * Feed windows: which listing days "new" means. One rule for the CLI
 * (`--since 7d`), the pages, the API, RSS and digests:
 *
 *   a window of N days is the N calendar days ending at the newest listing
 *   day that is not after today (the anchor).
 *
 * Anchoring on the newest listing day rather than on today keeps an archive
 * (or a quiet weekend, or a fetch that has not run yet) useful: "the last 7
 * days" of a corpus imported from the past shows its last week, not nothing.
 * A paper with no listing day is never in a window: it is not new, it is
 * undated (shown apart where it is shown at all).
 */
import { addDays, isoDay } from '../paper/days.ts';
import type { PaperStore } from '../store/types.ts';

export interface DayWindow {
  /** Inclusive first listing day. */
  from: string;
  /** Inclusive last listing day. */
  to: string;
}

/** A window together with how it was found, so every feed can say which days it covers and why. */
export interface ListingWindow extends DayWindow {
  /** Calendar days covered (to − from + 1). */
  days: number;
  /** The newest listing day not after today, or undefined when the store has no dated paper up to today. */
  newestDay?: string;
  /** Today, by the clock the window was computed with. */
  today: string;
}

function validDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDay(d) === s;
}

/** Calendar days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** `1d`, `7d`, `2w`, `3m` (90 days), `1y` (365) as a number of days; undefined for anything else. */
export function spanDays(since: string): number | undefined {
  const rel = /^(\d+)\s*([dwmy])$/i.exec(since.trim());
  if (!rel) return undefined;
  const n = Number(rel[1]);
  if (n < 1) throw new Error(`--since ${since}: the window must be at least one day`);
  return n * { d: 1, w: 7, m: 30, y: 365 }[rel[2].toLowerCase() as 'd' | 'w' | 'm' | 'y'];
}

/**
 * The window `since` names, ending at `anchor` (a day, or the UTC day of an
 * instant): `1d` is the anchor day, `7d` the seven days ending there, `2w`
 * fourteen, `3m` ninety, `1y` 365; a date `YYYY-MM-DD` means from that day on.
 * `today` bounds a date (default: the anchor).
 */
export function parseSince(since: string, anchor: Date | string, today?: string): DayWindow {
  const to = typeof anchor === 'string' ? anchor : isoDay(anchor);
  const last = today ?? to;
  const s = since.trim();
  const days = spanDays(s);
  if (days !== undefined) return { from: addDays(to, -(days - 1)), to };
  if (validDay(s)) {
    if (s > last) throw new Error(`--since ${since}: that day is after today (${last})`);
    return { from: s, to: s > to ? s : to };
  }
  throw new Error(`--since ${since}: expected a span like 1d, 7d, 2w, 3m, 1y or a day YYYY-MM-DD`);
}

/** The newest day with dated papers that is not after `today`. */
export async function newestListingDay(store: Pick<PaperStore, 'listingDays'>, today: string): Promise<string | undefined> {
  return (await store.listingDays({ to: today, limit: 1 }))[0]?.day;
}

/**
 * The window for `since` (a span such as `7d`, a number of days, or a day) by
 * the shared rule: ending at the newest listing day not after today (today
 * itself when the store has no dated paper yet).
 */
export async function listingWindow(store: Pick<PaperStore, 'listingDays'>, since: string | number, now: Date): Promise<ListingWindow> {
  const today = isoDay(now);
  const newestDay = await newestListingDay(store, today);
  const anchor = newestDay ?? today;
  const w = typeof since === 'number' ? { from: addDays(anchor, -(Math.max(1, since) - 1)), to: anchor } : parseSince(since, anchor, today);
  return { ...w, days: daysBetween(w.from, w.to), newestDay, today };
}

/** "2026-03-04 – 2026-03-10 (7 days, ending at the newest listing day)" */
export function describeListingWindow(w: ListingWindow): string {
  const range = w.from === w.to ? w.from : `${w.from} – ${w.to}`;
  const end = w.newestDay === undefined ? 'no dated papers yet' : w.to === w.today ? 'ending today' : `ending at the newest listing day, ${w.to}`;
  return `${range} (${w.days} day${w.days === 1 ? '' : 's'}, ${end})`;
}
