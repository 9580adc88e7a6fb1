/**
 * Which listing days a digest covers.
 *
 * A digest sent on day D covers listing days up to D−1: complete days only, so
 * a paper dated D that arrives later on D is not missed, it goes into the next
 * digest. Where the window starts depends on what was actually sent:
 *
 *  - normally the calendar decides (`digestWindow`): from the previous digest
 *    day. With the default calendar (digests Monday–Friday, the mornings after
 *    arXiv's Sunday–Thursday evening announcements) Monday's digest covers
 *    Friday, Saturday and Sunday, and Tuesday's covers Monday. A holiday has no
 *    digest; the next digest day covers it. Weekly digests go out on a chosen
 *    weekday (or the first non-holiday day after it).
 *  - but a digest that did not go out (the machine was off, the job's retries
 *    ran out, the window was empty) must not lose its days, so the window
 *    starts the day after the last window that went out on that channel
 *    (`nextWindow`), reaching back at most MAX_WINDOW_DAYS.
 *
 * So consecutive digests never overlap and leave no gap: every listing day
 * lands in exactly one digest (or, after more than two weeks without one, the
 * oldest days are deliberately left out).
 */
import { WEEKDAYS, type Weekday } from '../config/schema.ts';
import { addDays } from '../paper/days.ts';

export interface DigestCalendar {
  digestDays: Weekday[];
  holidays: string[];
}

export interface DigestSchedule {
  frequency: 'daily' | 'weekly';
  weekday: Weekday;
}

export interface DayWindow {
  /** Inclusive listing days, YYYY-MM-DD. */
  from: string;
  to: string;
}

/** The calendar day of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
}

export function isDigestDay(day: string, sched: DigestSchedule, cal: DigestCalendar): boolean {
  const holidays = new Set(cal.holidays);
  if (holidays.has(day)) return false;
  if (sched.frequency === 'daily') return cal.digestDays.includes(weekdayOf(day));
  // Weekly: the chosen weekday, or the first day after it when it and the days between were holidays.
  for (let k = 0; k < 7; k++) {
    const e = addDays(day, -k);
    if (weekdayOf(e) === sched.weekday) {
      for (let j = 0; j < k; j++) if (!holidays.has(addDays(e, j))) return false;
      return true;
    }
  }
  return false;
}

/** The latest digest day strictly before `day` (a year back at most; a calendar with no digest days gives day − 7). */
export function previousDigestDay(day: string, sched: DigestSchedule, cal: DigestCalendar): string {
  for (let k = 1; k <= 366; k++) {
    const e = addDays(day, -k);
    if (isDigestDay(e, sched, cal)) return e;
  }
  return addDays(day, -7);
}

/**
 * The window of the digest due on `day`, or undefined when `day` is not a
 * digest day. With `force` (a manual run, a dry run) the window is computed as
 * if it were one.
 */
export function digestWindow(day: string, sched: DigestSchedule, cal: DigestCalendar, force = false): DayWindow | undefined {
  if (!force && !isDigestDay(day, sched, cal)) return undefined;
  return { from: previousDigestDay(day, sched, cal), to: addDays(day, -1) };
}

/**
 * A catch-up digest reaches back at most this many listing days: after a month
 * offline the first digest brings the last two weeks, not a month of papers
 * nobody will read through.
 */
export const MAX_WINDOW_DAYS = 14;

export type NextWindow =
  /** The days this digest should cover. */
  | { kind: 'due'; window: DayWindow }
  /** Every day up to D−1 is already in a digest that went out (this one, on a retry, or a later one). */
  | { kind: 'covered' };

/**
 * The window of the digest due on `day` when the last digest that went out on
 * the channel covered listing days up to `lastTo` (undefined: none yet, the
 * calendar window applies). Undefined when `day` is not a digest day (unless
 * `force`).
 */
export function nextWindow(day: string, sched: DigestSchedule, cal: DigestCalendar, lastTo: string | undefined, force = false): NextWindow | undefined {
  const scheduled = digestWindow(day, sched, cal, force);
  if (!scheduled) return undefined;
  if (lastTo === undefined) return { kind: 'due', window: scheduled };
  if (lastTo >= scheduled.to) return { kind: 'covered' };
  // The calendar's own window may be longer than the bound (a weekly digest after holidays): never cut it.
  const earliest = minDay(addDays(scheduled.to, -(MAX_WINDOW_DAYS - 1)), scheduled.from);
  return { kind: 'due', window: { from: maxDay(addDays(lastTo, 1), earliest), to: scheduled.to } };
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);

export function describeWindow(w: DayWindow): string {
  return w.from === w.to ? w.from : `${w.from} – ${w.to}`;
}
