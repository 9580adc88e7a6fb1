/**
 * Calendar days as `YYYY-MM-DD` strings, the unit listings, feeds, digests
 * and harvests are counted in. Arithmetic is done at UTC midnight, so adding
 * days never trips over a daylight-saving change (a day string names a
 * calendar day, not an instant). For the day an instant falls on in a given
 * time zone, see `localDay` in src/digest/window.ts.
 */

/** The UTC calendar day of an instant. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `day` moved by `n` calendar days (negative: back). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}
