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
 */
import type { RadarConfig } from '../config/schema.ts';
import type { DigestChannel, Store } from '../store/types.ts';
import { MaybeDeliveredError, NotDeliveredError, postWebhook, sendEmail, type Mailer } from './deliver.ts';
import { buildDigest, type Digest, type RankedPaper } from './model.ts';
import { renderEmail } from './render-email.ts';
import { renderWebhook } from './render-webhook.ts';
import { feedToken, resolveSecret } from './tokens.ts';
import { describeWindow, digestWindow, localDay, type DayWindow } from './window.ts';

/** Ranks a profile's papers listed in a window, best first (src/profile/feed.ts). */
export type RankFn = (profile: string, window: DayWindow, limit: number, now: Date) => Promise<RankedPaper[]>;

export interface DigestDeps {
  store: Store;
  config: RadarConfig;
  rank: RankFn;
  /** Needed when a profile has e-mail delivery. */
  mailer?: Mailer;
  /** Who reserves digests (the worker id). */
  by: string;
  log?: (line: string) => void;
}

export interface ChannelOutcome {
  profile: string;
  channel: DigestChannel;
  window?: DayWindow;
  status: 'sent' | 'empty' | 'already-sent' | 'unknown' | 'failed' | 'skipped';
  items?: number;
  detail?: string;
}

export class DigestSettingsError extends Error {
  override name = 'DigestSettingsError';
}

export function profileDigestSettings(config: RadarConfig, profile: string) {
  const p = config.profiles[profile];
  if (!p) {
    const known = Object.keys(config.profiles);
    throw new DigestSettingsError(
      `profile "${profile}" has no digest settings in the configuration (profiles.${profile}.digest)${known.length ? `; configured: ${known.join(', ')}` : ''}`,
    );
  }
  return p.digest;
}

/** The window of the digest due at `at` for a profile (forced: as if `at` were a digest day). */
export function windowFor(config: RadarConfig, profile: string, at: Date, force = false): DayWindow | undefined {
  const s = profileDigestSettings(config, profile);
  return digestWindow(localDay(at, config.timezone), s, config.calendar, force);
}

export async function composeDigest(
  deps: Pick<DigestDeps, 'store' | 'config' | 'rank'>,
  profile: string,
  window: DayWindow,
  at: Date,
  channel: DigestChannel | 'rss',
): Promise<Digest> {
  const s = profileDigestSettings(deps.config, profile);
  const secret = await resolveSecret(deps.config.secret, deps.store, at);
  const papers = await deps.rank(profile, window, s.limit, at);
  return buildDigest({
    profile,
    window,
    papers,
    baseUrl: deps.config.baseUrl,
    secret,
    feedToken: feedToken(secret, profile),
    now: at,
    channel,
  });
}

/**
 * Sends every due digest of the given profiles (default: all configured) for
 * the schedule slot `at`. Throws after trying every channel if any failed in a
 * way a retry can fix, so the job is retried; channels already sent are
 * skipped on the retry.
 */
export async function runDigests(deps: DigestDeps, opts: { at: Date; profiles?: string[]; force?: boolean }): Promise<ChannelOutcome[]> {
  const log = deps.log ?? (() => {});
  const names = opts.profiles ?? Object.keys(deps.config.profiles);
  const outcomes: ChannelOutcome[] = [];
  const retryable: string[] = [];
  for (const profile of names) {
    const s = profileDigestSettings(deps.config, profile);
    const window = windowFor(deps.config, profile, opts.at, opts.force);
    const channels: DigestChannel[] = [];
    if (s.email) channels.push('email');
    if (s.webhook) channels.push('webhook');
    if (!window) {
      for (const channel of channels) outcomes.push({ profile, channel, status: 'skipped', detail: `${localDay(opts.at, deps.config.timezone)} is not a digest day` });
      continue;
    }
    // Rank once per profile; each channel gets its own links (its unsubscribe link names the channel).
    let ranked: Promise<RankedPaper[]> | undefined;
    const rank: RankFn = (...args) => (ranked ??= deps.rank(...args));
    for (const channel of channels) {
      const out = await sendChannel(deps, profile, channel, window, opts.at, () => composeDigest({ ...deps, rank }, profile, window, opts.at, channel));
      outcomes.push(out);
      log(`digest ${profile}/${channel} ${describeWindow(window)}: ${out.status}${out.items !== undefined ? ` (${out.items} papers)` : ''}${out.detail ? ` — ${out.detail}` : ''}`);
      if (out.status === 'failed') retryable.push(`${profile}/${channel}: ${out.detail}`);
    }
  }
  if (retryable.length) throw new Error(`digest delivery failed, will retry: ${retryable.join('; ')}`);
  return outcomes;
}

async function sendChannel(
  deps: DigestDeps,
  profile: string,
  channel: DigestChannel,
  window: DayWindow,
  at: Date,
  compose: () => Promise<Digest>,
): Promise<ChannelOutcome> {
  const { store, config } = deps;
  const base = { profile, channel, window };
  if (await store.isUnsubscribed(profile, channel)) return { ...base, status: 'skipped', detail: 'unsubscribed' };
  const now = () => new Date().toISOString();
  const r = await store.reserveDigest({ profile, channel, windowFrom: window.from, windowTo: window.to, by: deps.by }, now());
  if (!r.reserved) {
    const rec = r.record;
    if (rec.state === 'sent') return { ...base, status: 'already-sent', items: rec.items, detail: `sent ${rec.sentAt} by ${rec.reservedBy}` };
    if (rec.state === 'sending' && Date.now() - Date.parse(rec.reservedAt) > config.worker.leaseMs) {
      const detail = `${rec.reservedBy} reserved it at ${rec.reservedAt} and stopped before recording the outcome; not re-sent (it may have gone out)`;
      await store.finishDigest(rec.id, { state: 'unknown', error: detail }, now());
      return { ...base, status: 'unknown', detail };
    }
    return { ...base, status: 'unknown', detail: rec.state === 'sending' ? `being sent by ${rec.reservedBy}` : (rec.error ?? rec.state) };
  }
  const id = r.record.id;
  try {
    const digest = await compose();
    if (!digest.items.length) {
      await store.finishDigest(id, { state: 'sent', items: 0 }, now());
      return { ...base, status: 'empty', items: 0, detail: 'no papers passed the cut-off; nothing sent' };
    }
    const s = profileDigestSettings(config, profile);
    let messageId: string | undefined;
    if (channel === 'email') {
      if (!deps.mailer) throw new NotDeliveredError('no SMTP settings (smtp.url or env RADAR_SMTP_URL)');
      const sent = await sendEmail(deps.mailer, { from: config.smtp.from, to: s.email!.to, email: renderEmail(digest, { subject: s.email!.subject }), digest });
      messageId = sent.messageId;
    } else {
      await postWebhook(s.webhook!.url, renderWebhook(digest), { userAgent: 'PaperRadar/0.1 (digest webhook)', timeoutMs: config.http.timeoutMs });
    }
    await store.finishDigest(id, { state: 'sent', items: digest.items.length, messageId }, now());
    return { ...base, status: 'sent', items: digest.items.length };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof MaybeDeliveredError) {
      await store.finishDigest(id, { state: 'unknown', error: msg }, now());
      return { ...base, status: 'unknown', detail: msg };
    }
    // NotDeliveredError, or a failure while ranking/rendering: nothing left this process.
    await store.finishDigest(id, { state: 'failed', error: msg }, now());
    if (err instanceof NotDeliveredError) return { ...base, status: 'failed', detail: msg };
    throw err;
  }
}
