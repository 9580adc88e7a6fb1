/**
 * Building and sending the digests that are due, at most once each.
 *
 * Crash analysis (why reserve-before-send, and why some failures are final):
 * the unique record (profile, channel, window) is written in state `sending`
 * in its own committed transaction *before* the message is handed to SMTP or
 * the webhook, and set to `sent` after. Two processes racing for the same
 * digest: only one reservation succeeds. The cases:
 *  - failure before delivery could have happened (connection refused, SMTP
 *    server answered with an error code, HTTP status): record → `failed`,
 *    the job fails and its retry reserves again and sends. Nothing was sent.
 *  - failure where the message may have gone out (connection lost after the
 *    body was handed over, webhook timeout): record → `unknown`; not retried.
 *  - the process dies between reserving and recording the outcome: the record
 *    stays `sending`; the job's lease lapses and another worker re-runs it,
 *    finds the stale reservation, marks it `unknown` and does not send.
 * So a digest goes out at most once; the rare ambiguous case is reported
 * (`radar digest NAME --status`, the job's result, the log) instead of
 * guessed, and `radar digest NAME --send --force` re-sends it deliberately.
 * A deterministic Message-ID lets mail clients fold a duplicate if one ever
 * slips through an SMTP server that accepted a message but lost our connection.
 *
 * The digest is composed (ranked) *before* the reservation: a window with no
 * papers leaves no record, so its days are not taken and the next digest
 * covers them (history.ts), e.g. when the morning's fetch failed or ran late.
 *
 * Failures stay with their profile and channel: each is caught and reported
 * in the outcomes, the others are still sent, and the run then throws a
 * DigestRunError so the job is retried (if retrying can help) — a retry finds
 * the digests that went out already taken and sends only the missing ones.
 */
import type { RadarConfig } from '../config/schema.ts';
import { ProfileNotFoundError } from '../profile/feed.ts';
import type { DigestChannel, DigestRecord, Store } from '../store/types.ts';
import { MaybeDeliveredError, NotDeliveredError, postWebhook, sendEmail, type Mailer } from './deliver.ts';
import { clearUnsent, dueWindow, noteUnsent } from './history.ts';
import { risingNear } from '../profile/topics.ts';
import { labBlock } from './lab.ts';
import { buildDigest, type Digest, type RankedPaper } from './model.ts';
import { renderEmail } from './render-email.ts';
import { renderWebhook } from './render-webhook.ts';
import { feedToken, resolveSecret } from './tokens.ts';
import { publicUrl } from './public-url.ts';
import { feedRanker } from './rank.ts';
import { channelsOf, digestSettings, localAdminId, scheduledDigestProfiles, type EffectiveDigestSettings } from './settings.ts';

export { channelsOf } from './settings.ts';
import { addDays } from '../paper/days.ts';
import { describeWindow, digestWindow, localDay, type DayWindow } from './window.ts';

/** Ranks a profile's papers listed in a window, best first (src/profile/feed.ts). */
export type RankFn = (profile: string, window: DayWindow, limit: number, now: Date) => Promise<RankedPaper[]>;

export interface DigestDeps {
  store: Store;
  config: RadarConfig;
  rank: RankFn;
  /** How a scheduled run ranks another account's profiles, through that account's view (default: its feed, rank.ts). */
  rankFor?: (view: Store) => RankFn;
  /** Needed when a profile has e-mail delivery. */
  mailer?: Mailer;
  /** Who reserves digests (the worker id). */
  by: string;
  log?: (line: string) => void;
  /** Where links point (default: src/digest/public-url.ts decides). */
  baseUrl?: string;
}

export interface ChannelOutcome {
  /** The account whose profile it is, when not the local admin's (a scheduled run sends every account's). */
  account?: string;
  profile: string;
  /** Absent when the profile failed before any channel (no digest settings). */
  channel?: DigestChannel;
  window?: DayWindow;
  status: 'sent' | 'empty' | 'already-sent' | 'unknown' | 'failed' | 'skipped';
  items?: number;
  detail?: string;
  /** On `failed`: retrying cannot help (the profile does not exist, has no settings). */
  permanent?: boolean;
}

export class DigestSettingsError extends Error {
  override name = 'DigestSettingsError';
}

/** Some digests of a run failed; `outcomes` has every channel's, sent ones included. */
export class DigestRunError extends Error {
  override name = 'DigestRunError';
  /** Whether a retry may send the failed ones (false: every failure is permanent). */
  readonly retryable: boolean;
  constructor(readonly outcomes: ChannelOutcome[]) {
    const failed = outcomes.filter((o) => o.status === 'failed');
    const retryable = failed.some((o) => !o.permanent);
    const done = outcomes.filter((o) => o.status !== 'failed').map((o) => `${label(o)} ${o.status}`);
    super(
      `${retryable ? 'digest delivery failed, will retry' : 'digests failed (retrying cannot help)'}: ${failed.map((o) => `${label(o)}: ${o.detail}`).join('; ')}` +
        (done.length ? ` — the others: ${done.join(', ')}` : ''),
    );
    this.retryable = retryable;
  }
}

const label = (o: Pick<ChannelOutcome, 'account' | 'profile' | 'channel'>) => `${o.account ? `${o.account}:` : ''}${o.profile}${o.channel ? `/${o.channel}` : ''}`;

/** Errors a retry cannot fix: the configuration or the database must change first. */
export function isPermanentDigestError(err: unknown): boolean {
  return err instanceof DigestSettingsError || err instanceof ProfileNotFoundError || (err as Error)?.name === 'ProfileNotFoundError';
}

/** The calendar's window for `at` (forced: as if `at` were a digest day), whatever was sent before; see history.ts for the one a send uses. */
export function windowFor(config: RadarConfig, settings: Pick<EffectiveDigestSettings, 'frequency' | 'weekday'>, at: Date, force = false): DayWindow | undefined {
  return digestWindow(localDay(at, config.timezone), settings, config.calendar, force);
}

export async function composeDigest(
  deps: Pick<DigestDeps, 'store' | 'config' | 'rank' | 'baseUrl'>,
  profile: string,
  window: DayWindow,
  at: Date,
  channel: DigestChannel | 'rss',
  settings?: Pick<EffectiveDigestSettings, 'limit'>,
): Promise<Digest> {
  const s = settings ?? (await digestSettings(deps.store, deps.config, profile));
  const secret = await resolveSecret(deps.config.secret, deps.store.jobs, at);
  const papers = await deps.rank(profile, window, s.limit, at);
  // Topics are a bonus: a digest goes out without them when they are missing or cannot be read.
  const rising = (await risingNear(deps.store, profile, at).catch(() => [])).map((t) => ({ label: t.label, growth: t.growth, recent: t.recent, before: t.before }));
  const baseUrl = deps.baseUrl ?? (await publicUrl(deps.config, deps.store.jobs)).url;
  const lab = await labBlock(deps.store, baseUrl, at);
  const digest = buildDigest({
    profile,
    window,
    papers,
    baseUrl,
    secret,
    feedToken: feedToken(secret, profile, deps.store.owner),
    now: at,
    channel,
    owner: deps.store.owner,
  });
  const tldrs = deps.config.tldr ? await cachedTldrs(deps.store, digest.items.map((it) => it.id)) : new Map<string, string>();
  const items = tldrs.size ? digest.items.map((it) => (tldrs.has(it.id) ? { ...it, tldr: tldrs.get(it.id) } : it)) : digest.items;
  return { ...digest, items, ...(rising.length ? { rising } : {}), ...(lab ? { lab } : {}) };
}

/** TL;DRs already in the store for these papers (generated in the background for the feed the digest is made of). */
async function cachedTldrs(store: DigestDeps['store'], ids: string[]): Promise<Map<string, string>> {
  const papers = (await Promise.all(ids.map((id) => store.papers.getPaper(id)))).filter((p) => p !== undefined);
  const t = await store.tldrs.getTldrs(papers.map((p) => p.pk));
  const out = new Map<string, string>();
  for (const p of papers) {
    const text = t.get(p.pk)?.text;
    if (text) out.set(p.id, text);
  }
  return out;
}

/** An account a scheduled run sends for, with the view of the store it acts through. */
export interface DigestAccount {
  store: Store;
  /** Its name, for every account but the local admin. */
  account?: string;
}

/**
 * Whose digests a scheduled run sends: the local admin's through the store as
 * opened (its links and feed URLs keep the plain form made before accounts),
 * then every other account's through its own view, by account id. A store that
 * is already one account's view sends that account's only.
 */
export async function digestAccounts(store: Store): Promise<DigestAccount[]> {
  if (store.owner !== undefined) return [{ store }];
  const local = await localAdminId(store);
  const others = (await store.accounts.listUsers()).filter((u) => u.userId !== local).sort((a, b) => a.userId - b.userId);
  return [{ store }, ...others.map((u) => ({ store: store.forOwner(u.userId), account: u.name }))];
}

/**
 * Sends every due digest of the given profiles for the schedule slot `at`:
 * named profiles are the store's account's (the CLI's: the local admin's);
 * without names, every account's profiles with delivery settings, each through
 * its account's view, so its settings, sent-state, unsubscribes and links are
 * its own. Every account, profile and channel is tried; if any failed, throws
 * a DigestRunError after the others were sent.
 */
export async function runDigests(deps: DigestDeps, opts: { at: Date; profiles?: string[]; force?: boolean }): Promise<ChannelOutcome[]> {
  const log = deps.log ?? (() => {});
  const outcomes: ChannelOutcome[] = [];
  const report = (out: ChannelOutcome) => {
    outcomes.push(out);
    const window = out.window ? ` ${describeWindow(out.window)}` : '';
    log(`digest ${label(out)}${window}: ${out.status}${out.items !== undefined ? ` (${out.items} papers)` : ''}${out.detail ? ` — ${out.detail}` : ''}`);
  };
  const accounts = opts.profiles ? [{ store: deps.store }] : await digestAccounts(deps.store);
  for (const { store, account } of accounts) {
    const own = account ? { account } : {};
    const accountDeps = store === deps.store ? deps : { ...deps, store, rank: deps.rankFor?.(store) ?? feedRanker(store) };
    let names: string[];
    try {
      names = opts.profiles ?? (await scheduledDigestProfiles(store, deps.config));
    } catch (err) {
      report(failure({ ...own, profile: '(every profile)' }, err));
      continue;
    }
    for (const profile of names) await runProfile(accountDeps, profile, opts, (out) => report({ ...own, ...out }));
  }
  if (outcomes.some((o) => o.status === 'failed')) throw new DigestRunError(outcomes);
  return outcomes;
}

async function runProfile(deps: DigestDeps, profile: string, opts: { at: Date; force?: boolean }, report: (out: ChannelOutcome) => void): Promise<void> {
  let settings: EffectiveDigestSettings;
  try {
    settings = await digestSettings(deps.store, deps.config, profile);
  } catch (err) {
    report(failure({ profile }, err));
    return;
  }
  // A forced run (radar digest --send) sends whatever the cadence; a scheduled one skips a profile whose cadence is off.
  if (settings.cadence === 'off' && !opts.force) {
    report({ profile, status: 'skipped', detail: 'delivery is off' });
    return;
  }
  const channels = channelsOf(settings);
  if (!channels.length) report({ profile, status: 'skipped', detail: 'no e-mail address or webhook set' });
  // Rank once per window; both channels usually share it (each gets its own links: its unsubscribe link names the channel).
  const ranked = new Map<string, Promise<RankedPaper[]>>();
  const rank: RankFn = (p, w, limit, now) => {
    const key = `${w.from}..${w.to}`;
    if (!ranked.has(key)) ranked.set(key, deps.rank(p, w, limit, now));
    return ranked.get(key)!;
  };
  for (const channel of channels) {
    try {
      report(await sendChannel({ ...deps, rank }, profile, channel, settings, opts.at, !!opts.force));
    } catch (err) {
      report(failure({ profile, channel }, err));
    }
  }
}

function failure(base: Pick<ChannelOutcome, 'account' | 'profile' | 'channel' | 'window'>, err: unknown): ChannelOutcome {
  return { ...base, status: 'failed', detail: err instanceof Error ? err.message : String(err), permanent: isPermanentDigestError(err) };
}

async function sendChannel(deps: DigestDeps, profile: string, channel: DigestChannel, s: EffectiveDigestSettings, at: Date, force: boolean): Promise<ChannelOutcome> {
  const { store, config } = deps;
  if (await store.digests.isUnsubscribed(profile, channel)) return { profile, channel, status: 'skipped', detail: 'unsubscribed' };
  const due = await dueWindow(store, config, profile, channel, s, at, force);
  if (!due) return { profile, channel, status: 'skipped', detail: `${localDay(at, config.timezone)} is not a digest day` };
  const base = { profile, channel, window: due.window };
  if (due.covered) {
    const own = due.covered.windowTo === addDays(localDay(at, config.timezone), -1);
    return taken(deps, base, due.covered, own ? '' : ` (its days are in the digest for ${describeWindow(due.window)})`);
  }

  let digest: Digest;
  try {
    digest = await composeDigest(deps, profile, due.window, at, channel, s);
  } catch (err) {
    return failure(base, err);
  }
  if (!digest.items.length) {
    await noteUnsent(store, profile, channel, due.window, at);
    return { ...base, status: 'empty', items: 0, detail: 'no papers passed the cut-off; nothing sent, these days go into the next digest' };
  }

  const now = () => new Date().toISOString();
  const r = await store.digests.reserveDigest({ profile, channel, windowFrom: due.window.from, windowTo: due.window.to, by: deps.by }, now());
  if (!r.reserved) return taken(deps, base, r.record, '');
  const id = r.record.id;
  try {
    let messageId: string | undefined;
    if (channel === 'email') {
      if (!deps.mailer) throw new NotDeliveredError('no SMTP settings (smtp.url or env RADAR_SMTP_URL)');
      const sent = await sendEmail(deps.mailer, { from: config.smtp.from, to: s.email!.to, email: renderEmail(digest, { subject: s.email!.subject }), digest });
      messageId = sent.messageId;
    } else {
      await postWebhook(s.webhook!.url, renderWebhook(digest), { userAgent: 'PaperRadar/0.1 (digest webhook)', timeoutMs: config.http.timeoutMs });
    }
    await store.digests.finishDigest(id, { state: 'sent', items: digest.items.length, messageId }, now());
    await clearUnsent(store, profile, channel, at);
    return { ...base, status: 'sent', items: digest.items.length };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof MaybeDeliveredError) {
      await store.digests.finishDigest(id, { state: 'unknown', error: msg }, now());
      return { ...base, status: 'unknown', detail: msg };
    }
    // NotDeliveredError, or a failure while rendering: nothing left this process, the retry sends it.
    await store.digests.finishDigest(id, { state: 'failed', error: msg }, now());
    return failure(base, err);
  }
}

/** A digest whose days another record holds: sent, being sent, or (a sender that died mid-way) perhaps sent. */
async function taken(deps: DigestDeps, base: Omit<ChannelOutcome, 'status'>, rec: DigestRecord, which: string): Promise<ChannelOutcome> {
  const now = () => new Date().toISOString();
  if (rec.state === 'sent') return { ...base, status: 'already-sent', items: rec.items, detail: `sent ${rec.sentAt} by ${rec.reservedBy}${which}` };
  if (rec.state === 'sending' && Date.now() - Date.parse(rec.reservedAt) > deps.config.worker.leaseMs) {
    const detail = `${rec.reservedBy} reserved it at ${rec.reservedAt} and stopped before recording the outcome; not re-sent (it may have gone out)`;
    await deps.store.digests.finishDigest(rec.id, { state: 'unknown', error: detail }, now());
    return { ...base, status: 'unknown', detail };
  }
  return { ...base, status: 'unknown', detail: rec.state === 'sending' ? `being sent by ${rec.reservedBy}${which}` : (rec.error ?? rec.state) };
}
