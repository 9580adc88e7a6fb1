/**
 * Where the next digest of a profile's channel starts: after the last one
 * that went out. The delivery records (the `digests` table) are the history;
 * a record in state `sent`, `sending` or `unknown` has taken its days (it went
 * out, is going out, or may have), a `failed` one has not (nothing left, its
 * days are still owed). See window.ts for why windows follow the history and
 * not the calendar alone.
 */
import type { DigestSettings, RadarConfig } from '../config/schema.ts';
import { addDays, isoDay } from '../paper/days.ts';
import { newestListingDay } from '../profile/window.ts';
import type { DigestChannel, DigestRecord, DigestStore, JobStore, PaperStore } from '../store/types.ts';
import { describeWindow, localDay, nextWindow, type DayWindow } from './window.ts';

/** The two store parts the history reads: delivery records and the owed-days notes; and whose they are (Store.owner). */
type HistoryStore = { digests: Pick<DigestStore, 'listDigests'>; jobs: Pick<JobStore, 'getState' | 'putState'>; readonly owner?: number };

/** Enough records to reach back well past MAX_WINDOW_DAYS for both channels. */
const HISTORY_LIMIT = 200;

/** The taken record reaching furthest (by its last listing day) on this channel, if any. */
export async function lastTaken(store: Pick<DigestStore, 'listDigests'>, profile: string, channel: DigestChannel): Promise<DigestRecord | undefined> {
  let last: DigestRecord | undefined;
  for (const r of await store.listDigests({ profile, limit: HISTORY_LIMIT })) {
    if (r.channel !== channel || r.state === 'failed') continue;
    if (!last || r.windowTo > last.windowTo) last = r;
  }
  return last;
}

/**
 * Before a channel's first digest went out there is no record to start after;
 * an empty first window (the fetch had failed) leaves this note instead, so
 * the next digest still starts at its first day. Cleared once one is sent.
 */
const owedKey = (store: HistoryStore, profile: string, channel: DigestChannel) =>
  // The note lives in the shared key/value state: another account's profile of the same name has its own.
  store.owner === undefined ? `digest:owed:${profile}/${channel}` : `digest:owed:u${store.owner}:${profile}/${channel}`;

/** A window that went out empty: when the history has nothing yet, remember where the owed days begin (the earliest note wins). */
export async function noteUnsent(store: HistoryStore, profile: string, channel: DigestChannel, window: DayWindow, now: Date): Promise<void> {
  if (await lastTaken(store.digests, profile, channel)) return; // the history already says where the next one starts
  const current = (await store.jobs.getState(owedKey(store, profile, channel))) as { from?: string } | null | undefined;
  if (current?.from && current.from <= window.from) return;
  await store.jobs.putState(owedKey(store, profile, channel), { from: window.from }, now.toISOString());
}

/** A digest went out: from now on the history decides. */
export async function clearUnsent(store: HistoryStore, profile: string, channel: DigestChannel, now: Date): Promise<void> {
  if ((await store.jobs.getState(owedKey(store, profile, channel))) != null) await store.jobs.putState(owedKey(store, profile, channel), null, now.toISOString());
}

export type DueWindow =
  | { window: DayWindow; covered?: undefined }
  /** Already covered by this record (the digest itself on a retry, or a later one); its window is shown. */
  | { window: DayWindow; covered: DigestRecord };

/**
 * The window of the channel's digest due at `at` (forced: as if `at` were a
 * digest day), or undefined when `at` is not a digest day.
 */
export async function dueWindow(
  store: HistoryStore,
  config: RadarConfig,
  profile: string,
  channel: DigestChannel,
  settings: Pick<DigestSettings, 'frequency' | 'weekday'>,
  at: Date,
  force = false,
): Promise<DueWindow | undefined> {
  const last = await lastTaken(store.digests, profile, channel);
  const owed = last ? undefined : ((await store.jobs.getState(owedKey(store, profile, channel))) as { from?: string } | null | undefined)?.from;
  const next = nextWindow(localDay(at, config.timezone), settings, config.calendar, last?.windowTo ?? (owed ? addDays(owed, -1) : undefined), force);
  if (!next) return undefined;
  if (next.kind === 'covered') return { window: { from: last!.windowFrom, to: last!.windowTo }, covered: last! };
  return { window: next.window };
}

export interface PreviewWindow {
  window: DayWindow;
  /** `since-last`: the listing days after the last digest that went out; `latest`: the last 7 listing days. */
  basis: 'since-last' | 'latest';
  /** The last digest's last day, with `since-last`. */
  lastTo?: string;
  /** No listing day after the last digest yet. */
  empty?: boolean;
}

/** Days the "what would my digest say now" preview covers when no day is named. */
export const PREVIEW_DAYS = 7;

/**
 * The window a preview (`radar digest NAME --dry-run`, the API) shows with no
 * date given: the listing days since the last digest that went out on the
 * channel, else the last 7 listing days ending at the newest listing day not
 * after today (the feeds' rule, src/profile/window.ts) — so a profile nobody
 * configured, or an archive, previews real papers.
 */
export async function previewWindow(
  store: { digests: Pick<DigestStore, 'listDigests'>; papers: Pick<PaperStore, 'listingDays'> },
  profile: string,
  channel: DigestChannel,
  now: Date,
): Promise<PreviewWindow> {
  const today = isoDay(now);
  const newest = (await newestListingDay(store.papers, today)) ?? today;
  const last = await lastTaken(store.digests, profile, channel);
  if (last) {
    const from = addDays(last.windowTo, 1);
    if (from > newest) return { window: { from, to: from }, basis: 'since-last', lastTo: last.windowTo, empty: true };
    return { window: { from, to: newest }, basis: 'since-last', lastTo: last.windowTo };
  }
  return { window: { from: addDays(newest, -(PREVIEW_DAYS - 1)), to: newest }, basis: 'latest' };
}

export function describePreview(p: PreviewWindow): string {
  if (p.empty) return `no listing day after the last digest (it covered up to ${p.lastTo}) yet`;
  const days = describeWindow(p.window);
  return p.basis === 'since-last' ? `listing days since the last digest: ${days}` : `the last ${PREVIEW_DAYS} days ending at the newest listing day: ${days}`;
}
