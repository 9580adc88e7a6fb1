/**
 * Digests over HTTP: a preview of what a profile's digest would say (the same
 * as `radar digest NAME --dry-run --format json`), and the delivery record
 * with the job queue's state (what `radar jobs` shows).
 */
import { z } from 'zod';
import { defaultConfig } from '../../config/load.ts';
import { describePreview, dueWindow, previewWindow } from '../../digest/history.ts';
import { publicUrl } from '../../digest/public-url.ts';
import { digestSettings } from '../../digest/settings.ts';
import { describeWindow } from '../../digest/window.ts';
import { deliveryInput, deliveryView, updateDelivery } from '../../app/delivery.ts';
import { asHttp } from '../../app/feeds.ts';
import { serverRanker } from '../../digest/rank.ts';
import { renderEmail } from '../../digest/render-email.ts';
import { channelsOf, composeDigest, windowFor } from '../../digest/send.ts';
import type { RouteModule } from '../../http/app.ts';
import { requireAdmin } from '../../app/accounts.ts';
import { notFound } from '../../app/errors.ts';
import { defineRoute, zDay } from '../../http/route.ts';

export const digestRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/profiles/:name/digest',
    tags: ['digests'],
    summary: "Preview a profile's digest (nothing is sent); works for any profile, configured or not",
    description:
      'Without `date`: the listing days since the last digest that went out, else the last 7 days ending at the newest listing day not after today. ' +
      "With `date`: the window a digest sent that day covers (complete listing days after the last digest; the calendar's window before the first). `covers` says which days in words.",
    params: z.object({ name: z.string().min(1).max(200) }),
    query: z.object({ date: zDay.optional() }),
    handler: async ({ ctx, params, query, req }) => {
      const config = ctx.config ?? defaultConfig();
      let settings;
      try {
        settings = await digestSettings(ctx.store, config, params.name);
      } catch (err) {
        throw asHttp(err);
      }
      const at = query.date ? new Date(`${query.date}T12:00:00Z`) : ctx.now();
      const channel = channelsOf(settings)[0] ?? 'email';
      const preview = query.date ? undefined : await previewWindow(ctx.store, params.name, channel, at);
      const window = preview?.window ?? (await dueWindow(ctx.store, config, params.name, channel, settings, at, true))!.window;
      const baseUrl = (await publicUrl(config, ctx.store.jobs, { protocol: req.protocol, host: req.headers.host })).url;
      const rank = preview?.empty ? async () => [] : serverRanker(ctx.services, ctx.store);
      const digest = await composeDigest({ store: ctx.store, config, rank, baseUrl }, params.name, window, at, 'email', settings);
      return {
        window: preview?.empty ? null : window,
        covers: preview ? describePreview(preview) : `listing days ${describeWindow(window)}`,
        digestDay: !!windowFor(config, settings, at, false),
        cadence: settings.cadence,
        settingsFrom: settings.origin,
        to: settings.email?.to ?? [],
        webhook: !!settings.webhook,
        subject: renderEmail(digest, { subject: settings.email?.subject }).subject,
        items: digest.items.map(({ likeUrl: _l, dismissUrl: _d, ...it }) => it),
      };
    },
  });
  defineRoute(api, {
    method: 'GET',
    url: '/profiles/:name/delivery',
    tags: ['digests'],
    summary: "A profile's delivery settings (e-mail, cadence, webhook), its RSS/Atom links, and what the digests actually use",
    description: '`stored` is what the app keeps; `effective` what digests use (a `profiles.NAME.digest` entry in the configuration file wins, `overriddenByConfig`).',
    params: z.object({ name: z.string().min(1).max(200) }),
    handler: async ({ ctx, params, req }) => deliveryView(ctx, params.name, { protocol: req.protocol, host: req.headers.host }),
  });
  defineRoute(api, {
    method: 'PUT',
    url: '/profiles/:name/delivery',
    tags: ['digests'],
    summary: "Change a profile's delivery settings; absent fields keep their value",
    description: '`email`: an address or a list (empty: no e-mail); `cadence`: daily, weekly or off; `weekday` for weekly; `webhookUrl` (null or empty: none); `limit` papers per digest.',
    params: z.object({ name: z.string().min(1).max(200) }),
    body: deliveryInput,
    handler: async ({ ctx, params, body, req }) => updateDelivery(ctx, params.name, body, { protocol: req.protocol, host: req.headers.host }),
  });
  defineRoute(api, {
    method: 'GET',
    url: '/digests',
    tags: ['digests'],
    summary: 'Digests sent (or attempted) and the job queue: counts, recent and failed jobs',
    query: z.object({ profile: z.string().max(200).optional() }),
    // Deliveries and the job queue are the whole instance's: an admin's to see.
    handler: async ({ ctx, query }) => {
      requireAdmin(ctx.actor);
      return {
        digests: await ctx.store.digests.listDigests({ profile: query.profile, limit: 50 }),
        jobs: {
          counts: await ctx.store.jobs.jobCounts(),
          recent: await ctx.store.jobs.listJobs({ limit: 20 }),
          failed: await ctx.store.jobs.listJobs({ states: ['failed'], limit: 20 }),
        },
      };
    },
  });
};
