import { settingsMailer } from '../../digest/smtp-settings.ts';
import { feedRanker } from '../../digest/rank.ts';
import { renderEmail } from '../../digest/render-email.ts';
import { renderFeed } from '../../digest/render-feed.ts';
import { renderWebhook } from '../../digest/render-webhook.ts';
import { describePreview, dueWindow, previewWindow } from '../../digest/history.ts';
import { feedUrls } from '../../digest/model.ts';
import { publicUrl } from '../../digest/public-url.ts';
import { digestSettings, type EffectiveDigestSettings } from '../../digest/settings.ts';
import { ProfileNotFoundError } from '../../profile/feed.ts';
import { channelsOf, composeDigest, runDigests, windowFor } from '../../digest/send.ts';
import { feedToken, resolveSecret } from '../../digest/tokens.ts';
import { describeWindow, localDay } from '../../digest/window.ts';
import { defaultWorkerId } from '../../jobs/worker.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';
import { loadCliConfig } from './fetch.ts';

interface DigestOpts {
  config?: string;
  dryRun?: boolean;
  send?: boolean;
  force?: boolean;
  date?: string;
  format: string;
  feedUrl?: boolean;
  status?: boolean;
  subscribe?: boolean;
}

/**
 * `radar digest NAME`: what the profile's digest would say (`--dry-run`, the
 * default), its delivery history (`--status`), its feed URLs (`--feed-url`),
 * or send it now (`--send`; `--force` re-sends a window already sent).
 */
export const registerDigest: Register = (program, ctx) => {
  program
    .command('digest')
    .description("show (--dry-run, default), send (--send) or inspect (--status, --feed-url) a profile's digest")
    .argument('<name>', 'profile name (delivery settings come from the app, or profiles.NAME.digest in the configuration file)')
    .option('--config <path>', 'configuration file')
    .option('--dry-run', 'print what would be sent, send nothing (default)')
    .option('--send', 'send it now over the configured channels (at most once per window unless --force)')
    .option('--force', 'with --send: send again even if this window was already sent')
    .option('--date <day>', "the digest day, YYYY-MM-DD: show the window a send that day covers (default: the listing days since the last digest, else the last 7 listing days)")
    .option('--format <f>', 'dry-run output: text | html | json | rss | atom', 'text')
    .option('--feed-url', "print the profile's secret RSS/Atom feed URLs")
    .option('--status', 'list the digests sent for this profile')
    .option('--subscribe', 'deliver again to channels that were unsubscribed with a mailed link')
    .action(async (name: string, opts: DigestOpts) => {
      const c = ctx();
      const config = loadCliConfig(c, opts.config);
      if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new CliError(`--date: expected YYYY-MM-DD, got "${opts.date}"`, 2);
      if (!['text', 'html', 'json', 'rss', 'atom'].includes(opts.format)) throw new CliError(`--format: expected text, html, json, rss or atom`, 2);
      // The digest day at 07:00 in the configured zone is close enough to "the morning's digest" for display; windows depend on the day only.
      const at = opts.date ? new Date(`${opts.date}T12:00:00Z`) : c.now();
      await c.withStore(async (store) => {
        let settings: EffectiveDigestSettings;
        try {
          settings = await digestSettings(store, config, name);
        } catch (err) {
          if (err instanceof ProfileNotFoundError) throw new CliError(err.message, 2);
          throw err;
        }
        if (opts.status) {
          const digests = await store.digests.listDigests({ profile: name, limit: 50 });
          if (c.json) return c.emitJson(digests);
          if (!digests.length) c.say(`no digests recorded for "${name}"`);
          for (const channel of ['email', 'webhook'] as const) {
            if (await store.digests.isUnsubscribed(name, channel)) c.say(`${channel}: unsubscribed (undo with --subscribe)`);
          }
          for (const d of digests) c.say(`${d.windowFrom}..${d.windowTo} ${d.channel.padEnd(7)} ${d.state}${d.items !== undefined ? ` ${d.items} papers` : ''}${d.sentAt ? ` at ${d.sentAt}` : ''}${d.error ? ` — ${d.error}` : ''}`);
          return;
        }
        if (opts.subscribe) {
          for (const channel of ['email', 'webhook'] as const) await store.digests.setUnsubscribed(name, channel, false, c.now().toISOString());
          if (c.json) return c.emitJson({ subscribed: name });
          c.say(`"${name}" receives its digests again`);
          return;
        }
        if (opts.feedUrl) {
          const secret = await resolveSecret(config.secret, store.jobs, c.now());
          const origin = await publicUrl(config, store.jobs);
          const urls = feedUrls(origin.url, name, feedToken(secret, name));
          if (c.json) return c.emitJson(urls);
          c.say(`RSS:  ${urls.rss}`);
          c.say(`Atom: ${urls.atom}`);
          if (origin.from === 'fallback') c.say('(no server address known yet: set baseUrl in the configuration, or start `radar serve` once, for the address others reach)');
          return;
        }
        const rank = feedRanker(store);
        if (opts.send) {
          if (opts.force) {
            // Releasing the digest that took these days (state failed: known not to count) lets the send below cover them again.
            for (const channel of channelsOf(settings)) {
              const due = await dueWindow(store, config, name, channel, settings, at, true);
              if (due?.covered) {
                await store.digests.finishDigest(due.covered.id, { state: 'failed', error: `re-send requested (--force) at ${c.now().toISOString()}` }, c.now().toISOString());
              }
            }
          }
          const mailer = settingsMailer(store, config);
          try {
            const outcomes = await runDigests({ store, config, rank, mailer, by: `cli:${defaultWorkerId()}`, log: c.say }, { at, profiles: [name], force: true });
            if (c.json) c.emitJson(outcomes);
          } finally {
            mailer.close();
          }
          return;
        }
        const day = localDay(at, config.timezone);
        const channel = channelsOf(settings)[0] ?? 'email';
        // With --date: the window a send on that day would cover (the calendar and the history); without: the preview rule.
        const preview = opts.date ? undefined : await previewWindow(store, name, channel, at);
        const window = preview?.window ?? (await dueWindow(store, config, name, channel, settings, at, true))!.window;
        const scheduled = windowFor(config, settings, at, false);
        const origin = await publicUrl(config, store.jobs);
        const digest = preview?.empty
          ? { ...(await composeDigest({ store, config, rank: async () => [], baseUrl: origin.url }, name, window, at, 'email', settings)) }
          : await composeDigest({ store, config, rank, baseUrl: origin.url }, name, window, at, 'email', settings);
        const email = renderEmail(digest, { subject: settings.email?.subject });
        const covers = preview ? describePreview(preview) : `listing days ${describeWindow(window)}`;
        if (opts.format === 'json') {
          return c.emitJson({
            window: preview?.empty ? null : window,
            covers,
            digestDay: scheduled ? day : null,
            cadence: settings.cadence,
            settingsFrom: settings.origin,
            to: settings.email?.to ?? [],
            subject: email.subject,
            digest,
            webhook: settings.webhook ? renderWebhook(digest) : undefined,
          });
        }
        const out = opts.format === 'html' ? email.html : opts.format === 'rss' || opts.format === 'atom' ? renderFeed(digest, opts.format) : email.text;
        c.say(`dry run: nothing is sent. Covers ${covers}${opts.date ? (scheduled ? ` (${day} is a digest day)` : ` (${day} is not a digest day)`) : ''}`);
        c.say(`delivery: ${settings.cadence}${settings.cadence === 'weekly' ? ` on ${settings.weekday}` : ''} (${settings.origin === 'config' ? 'from the configuration file' : settings.origin === 'database' ? 'set in the app' : 'not set up: nothing is sent'})`);
        c.say(`to: ${settings.email?.to.join(', ') ?? '(no e-mail address)'}${settings.webhook ? `; webhook ${settings.webhook.url}` : ''}`);
        c.say(`links: ${origin.url}${origin.from === 'fallback' ? ' (no server address known yet: set baseUrl, or start `radar serve` once)' : ''}`);
        c.say(`subject: ${email.subject}`);
        c.say('');
        c.say(out);
      });
    });
};
