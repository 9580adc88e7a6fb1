/**
 * Digests over HTTP: a preview of what a profile's digest would say (the same
 * as `radar digest NAME --dry-run --format json`), and the delivery record
 * with the job queue's state (what `radar jobs` shows).
 */
import { z } from 'zod';
import { defaultConfig } from '../../config/load.ts';
import { dueWindow } from '../../digest/history.ts';
import { serverRanker } from '../../digest/rank.ts';
import { renderEmail } from '../../digest/render-email.ts';
import { channelsOf, composeDigest, profileDigestSettings, windowFor } from '../../digest/send.ts';
import type { RouteModule } from '../../http/app.ts';
import { requireAdmin } from '../../app/accounts.ts';
import { notFound } from '../../app/errors.ts';
import { defineRoute, zDay } from '../../http/route.ts';

export const digestRoutes: RouteModule = (api) => {
  defineRoute(api, {
    method: 'GET',
    url: '/profiles/:name/digest',
    tags: ['digests'],
    summary: "Preview a profile's digest (nothing is sent)",
    description:
      'The window is the one the digest due on `date` (default today) covers: complete listing days after the last digest that went out (the calendar\'s window before the first one).',
    params: z.object({ name: z.string().min(1).max(200) }),
    query: z.object({ date: zDay.optional() }),
    handler: async ({ ctx, params, query }) => {
      const config = ctx.config ?? defaultConfig();
      let settings;
      try {
        settings = profileDigestSettings(config, params.name);
      } catch (err) {
        throw notFound((err as Error).message);
      }
      if (!(await ctx.store.getProfile(params.name))) throw notFound(`no profile "${params.name}"`);
      const at = query.date ? new Date(`${query.date}T12:00:00Z`) : ctx.now();
      const window = (await dueWindow(ctx.store, config, params.name, channelsOf(settings)[0] ?? 'email', settings, at, true))!.window;
      const digest = await composeDigest({ store: ctx.store, config, rank: serverRanker(ctx.services, ctx.store) }, params.name, window, at, 'email');
      return {
        window,
        digestDay: !!windowFor(config, params.name, at, false),
        to: settings.email?.to ?? [],
        webhook: !!settings.webhook,
        subject: renderEmail(digest, { subject: settings.email?.subject }).subject,
        items: digest.items.map(({ likeUrl: _l, dismissUrl: _d, ...it }) => it),
      };
    },
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
        digests: await ctx.store.listDigests({ profile: query.profile, limit: 50 }),
        jobs: {
          counts: await ctx.store.jobCounts(),
          recent: await ctx.store.listJobs({ limit: 20 }),
          failed: await ctx.store.listJobs({ states: ['failed'], limit: 20 }),
        },
      };
    },
  });
};
