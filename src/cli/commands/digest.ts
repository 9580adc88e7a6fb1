import { smtpMailer } from '../../digest/deliver.ts';
import { feedRanker } from '../../digest/rank.ts';
import { renderEmail } from '../../digest/render-email.ts';
import { renderFeed } from '../../digest/render-feed.ts';
import { renderWebhook } from '../../digest/render-webhook.ts';
import { dueWindow } from '../../digest/history.ts';
import { channelsOf, composeDigest, profileDigestSettings, runDigests, windowFor } from '../../digest/send.ts';
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
    .argument('<name>', 'profile name (with delivery settings under profiles.NAME.digest in the configuration)')
    .option('--config <path>', 'configuration file')
    .option('--dry-run', 'print what would be sent, send nothing (default)')
    .option('--send', 'send it now over the configured channels (at most once per window unless --force)')
    .option('--force', 'with --send: send again even if this window was already sent')
    .option('--date <day>', "the digest day, YYYY-MM-DD (default today); its window ends the day before")
    .option('--format <f>', 'dry-run output: text | html | json | rss | atom', 'text')
    .option('--feed-url', "print the profile's secret RSS/Atom feed URLs")
    .option('--status', 'list the digests sent for this profile')
    .option('--subscribe', 'deliver again to channels that were unsubscribed with a mailed link')
    .action(async (name: string, opts: DigestOpts) => {
      const c = ctx();
      const config = loadCliConfig(c, opts.config);
      if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new CliError(`--date: expected YYYY-MM-DD, got "${opts.date}"`, 2);
      if (!['text', 'html', 'json', 'rss', 'atom'].includes(opts.format)) throw new CliError(`--format: expected text, html, json, rss or atom`, 2);
      let settings;
      try {
        settings = profileDigestSettings(config, name);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      // The digest day at 07:00 in the configured zone is close enough to "the morning's digest" for display; windows depend on the day only.
      const at = opts.date ? new Date(`${opts.date}T12:00:00Z`) : c.now();
      await c.withStore(async (store) => {
        if (opts.status) {
          const digests = await store.listDigests({ profile: name, limit: 50 });
          if (c.json) return c.emitJson(digests);
          if (!digests.length) c.say(`no digests recorded for "${name}"`);
          for (const channel of ['email', 'webhook'] as const) {
            if (await store.isUnsubscribed(name, channel)) c.say(`${channel}: unsubscribed (undo with --subscribe)`);
          }
          for (const d of digests) c.say(`${d.windowFrom}..${d.windowTo} ${d.channel.padEnd(7)} ${d.state}${d.items !== undefined ? ` ${d.items} papers` : ''}${d.sentAt ? ` at ${d.sentAt}` : ''}${d.error ? ` — ${d.error}` : ''}`);
          return;
        }
        if (opts.subscribe) {
          for (const channel of ['email', 'webhook'] as const) await store.setUnsubscribed(name, channel, false, c.now().toISOString());
          if (c.json) return c.emitJson({ subscribed: name });
          c.say(`"${name}" receives its digests again`);
          return;
        }
        if (opts.feedUrl) {
          const secret = await resolveSecret(config.secret, store, c.now());
          const base = `${config.baseUrl.replace(/\/+$/, '')}/api/feeds/${encodeURIComponent(name)}/${feedToken(secret, name)}`;
          if (c.json) return c.emitJson({ rss: `${base}.rss`, atom: `${base}.atom` });
          c.say(`RSS:  ${base}.rss`);
          c.say(`Atom: ${base}.atom`);
          return;
        }
        const rank = feedRanker(store);
        if (opts.send) {
          if (opts.force) {
            // Releasing the digest that took these days (state failed: known not to count) lets the send below cover them again.
            for (const channel of channelsOf(settings)) {
              const due = await dueWindow(store, config, name, channel, settings, at, true);
              if (due?.covered) {
                await store.finishDigest(due.covered.id, { state: 'failed', error: `re-send requested (--force) at ${c.now().toISOString()}` }, c.now().toISOString());
              }
            }
          }
          const mailer = config.smtp.url ? smtpMailer(config.smtp.url) : undefined;
          try {
            const outcomes = await runDigests({ store, config, rank, mailer, by: `cli:${defaultWorkerId()}`, log: c.say }, { at, profiles: [name], force: true });
            if (c.json) c.emitJson(outcomes);
          } finally {
            mailer?.close();
          }
          return;
        }
        const day = localDay(at, config.timezone);
        // The window a send would cover now: after the last digest that went out (on the first channel; the calendar's without one).
        const window = (await dueWindow(store, config, name, channelsOf(settings)[0] ?? 'email', settings, at, true))!.window;
        const scheduled = windowFor(config, name, at, false);
        const digest = await composeDigest({ store, config, rank }, name, window, at, 'email');
        const email = renderEmail(digest, { subject: settings.email?.subject });
        if (opts.format === 'json') {
          return c.emitJson({ window, digestDay: scheduled ? day : null, to: settings.email?.to ?? [], subject: email.subject, digest, webhook: settings.webhook ? renderWebhook(digest) : undefined });
        }
        const out = opts.format === 'html' ? email.html : opts.format === 'rss' || opts.format === 'atom' ? renderFeed(digest, opts.format) : email.text;
        c.say(`dry run: nothing is sent. ${scheduled ? `${day} is a digest day` : `${day} is not a digest day; showing the window it would cover`}: listing days ${describeWindow(window)}`);
        c.say(`to: ${settings.email?.to.join(', ') ?? '(no e-mail configured)'}${settings.webhook ? `; webhook ${settings.webhook.url}` : ''}`);
        c.say(`subject: ${email.subject}`);
        c.say('');
        c.say(out);
      });
    });
};
