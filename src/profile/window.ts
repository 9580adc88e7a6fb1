/**
 * Feed windows: `--since 1d|7d|2w|DATE` relative to a clock, as inclusive
 * listing-day ranges (YYYY-MM-DD), the unit the store lists papers by.
 */
import { isoDay } from '../paper/days.ts';

const DAY_MS = 86_400_000;

export interface DayWindow {
  /** Inclusive first listing day. */
  from: string;
  /** Inclusive last listing day. */
  to: string;
}

function validDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDay(d) === s;
}

/**
 * `1d` is today's listing, `7d` the last seven listing days including today,
 * `2w` fourteen, `3m` ninety, `1y` 365; a date `YYYY-MM-DD` means from that day on.
 */
export function parseSince(since: string, now: Date): DayWindow {
  const to = isoDay(now);
  const s = since.trim();
  const rel = /^(\d+)\s*([dwmy])$/i.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    if (n < 1) throw new Error(`--since ${since}: the window must be at least one day`);
    const days = n * { d: 1, w: 7, m: 30, y: 365 }[rel[2].toLowerCase() as 'd' | 'w' | 'm' | 'y'];
    return { from: isoDay(new Date(now.getTime() - (days - 1) * DAY_MS)), to };
  }
  if (validDay(s)) {
    if (s > to) throw new Error(`--since ${since}: that day is after today (${to})`);
    return { from: s, to };
  }
  throw new Error(`--since ${since}: expected a span like 1d, 7d, 2w, 3m, 1y or a day YYYY-MM-DD`);
}
