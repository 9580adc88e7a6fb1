/**
 * Dates and years in queries: `year:2024`, `year:2020..2023`, `date:2024-01..2024-06`,
 * `after:2024-01-01`, `before:2025`, `since:2024-03`, `until:2024-06-30`.
 *
 * A written date is a period (a year, a month or a day) with a first and a
 * last day. Ranges are inclusive of both ends; `after:P` starts the day after
 * P ends and `before:P` stops the day before P starts (the English words are
 * strict), while `since:P` / `until:P` include P.
 */

export interface Period {
  first: string;
  last: string;
}

export interface DateRange {
  from?: string;
  to?: string;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `2024`, `2024-03`, `2024-03-15` (also with `/` or `.`) as the period it names; undefined when it is not a real date. */
export function parsePeriod(text: string): Period | undefined {
  const m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  if (y < MIN_YEAR || y > MAX_YEAR) return undefined;
  if (m[2] === undefined) return { first: `${y}-01-01`, last: `${y}-12-31` };
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  const ym = `${y}-${pad(mo)}`;
  if (m[3] === undefined) return { first: `${ym}-01`, last: `${ym}-${pad(daysInMonth(y, mo))}` };
  const d = Number(m[3]);
  if (d < 1 || d > daysInMonth(y, mo)) return undefined;
  return { first: `${ym}-${pad(d)}`, last: `${ym}-${pad(d)}` };
}

/** The day after / before a `YYYY-MM-DD` day. */
export function shiftDay(day: string, by: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + by * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * `A..B`, `A..`, `..B`, `A` (and `A-B` for plain years, `>=A`, `>A`, `<=B`, `<B`).
 * Returns undefined when an end is not a date, so the caller can warn.
 */
export function parseRange(text: string, kind: 'year' | 'date'): DateRange | undefined {
  const t = text.trim();
  const period = (s: string) => (kind === 'year' ? (/^\d{4}$/.test(s) ? parsePeriod(s) : undefined) : parsePeriod(s));
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(t);
  if (cmp) {
    const p = period(cmp[2]);
    if (!p) return undefined;
    if (cmp[1] === '>=') return { from: p.first };
    if (cmp[1] === '>') return { from: shiftDay(p.last, 1) };
    if (cmp[1] === '<=') return { to: p.last };
    return { to: shiftDay(p.first, -1) };
  }
  let parts: string[] | undefined;
  if (t.includes('..')) parts = t.split('..');
  else if (kind === 'year' && /^\d{4}-\d{4}$/.test(t)) parts = t.split('-');
  if (!parts) {
    const p = period(t);
    return p ? { from: p.first, to: p.last } : undefined;
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts.map((s) => s.trim());
  if (!a && !b) return undefined;
  const pa = a ? period(a) : undefined;
  const pb = b ? period(b) : undefined;
  if ((a && !pa) || (b && !pb)) return undefined;
  // A range written backwards (2023..2020) means the same days.
  if (pa && pb && pa.first > pb.last) return { from: pb.first, to: pa.last };
  return { ...(pa ? { from: pa.first } : {}), ...(pb ? { to: pb.last } : {}) };
}

/** Narrows `into` by `r` (both must hold). */
export function intersect(into: DateRange, r: DateRange): DateRange {
  const from = into.from && r.from ? (into.from > r.from ? into.from : r.from) : (into.from ?? r.from);
  const to = into.to && r.to ? (into.to < r.to ? into.to : r.to) : (into.to ?? r.to);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
