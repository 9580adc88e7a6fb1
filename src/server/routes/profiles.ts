/** Profiles, their feeds and feedback: /api/profiles… and author disambiguation. */
import { z } from 'zod';
import { queryParam } from '../../config/option-schemas.ts';
import { finiteNumberRule } from '../../config/options.ts';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { defaultConfig } from '../../config/load.ts';
import { feedToken, resolveSecret } from '../../digest/tokens.ts';
import type { RouteModule } from '../../http/app.ts';
import { badRequest, notFound } from '../../app/errors.ts';
import { defineRoute, zDay, zLimit } from '../../http/route.ts';
import { authorCandidates } from '../../profile/authors.ts';
import { importFilesForProfile } from '../../profile/import.ts';
import {
  addToProfile,
  createProfile,
  deleteProfile,
  FEEDBACK_ACTIONS,
  ProfileError,
  removeFromProfile,
  requireProfile,
  showProfile,
  giveFeedback,
} from '../../profile/profiles.ts';
import { normaliseRules } from '../../profile/rules.ts';
import { listingWindow } from '../../profile/window.ts';
import { asHttp, cachedFeed } from '../../app/feeds.ts';

const zName = z.string().min(1).max(64);
const zKeywords = z.array(z.string().min(1).max(200)).max(200);
const zRules = z
  .object({
    must: zKeywords.optional(),
    never: zKeywords.optional(),
    authors: zKeywords.optional(),
    organizations: zKeywords.optional(),
    cutoff: z.number().finite().optional(),
  })
  .strict();
const zSources = {
  from: z
    .array(z.object({ name: z.string().min(1).max(200), text: z.string().max(20_000_000) }))
    .max(20)
    .optional()
    .describe('pasted publication lists, BibTeX/CSL-JSON exports or arXiv id lists, as text'),
  arxivIds: z.array(z.string().min(1).max(200)).max(5000).optional(),
  author: z.string().min(1).max(200).optional().describe('an author name matched in the database'),
  authorPick: z.number().int().min(1).optional().describe('which person, when the name matches several (see the 409 answer)'),
};

/** Profile errors as HTTP errors (services/feeds.ts decides the status). */
function httpError(err: unknown): never {
  throw asHttp(err);
}

/** An author name that matches several people: 409 with the error shape plus the candidates to pick from. */
function ambiguousAuthor(err: unknown, reply: FastifyReply) {
  if (err instanceof ProfileError && err.code === 'ambiguous-author') {
    reply.code(409);
    return { error: { message: err.message, field: 'authorPick' }, candidates: (err.candidates ?? []).map(({ pks: _pks, ...c }) => c) };
  }
  return httpError(err);
}

export const profilesRoutes: RouteModule = (api) => {
  const seedDeps = (c: AppContext) => ({ store: c.store, now: c.now(), importFiles: importFilesForProfile });

  defineRoute(api, {
    method: 'GET',
    url: '/profiles',
    tags: ['profiles'],
    summary: 'All profiles with paper counts and rules',
    handler: async ({ ctx }) => ({
      profiles: (await ctx.store.profiles.listProfiles()).map((p) => ({ name: p.name, papers: p.papers, rules: p.settings.rules ?? {}, createdAt: p.createdAt, updatedAt: p.updatedAt })),
    }),
  });

  defineRoute(api, {
    method: 'POST',
    url: '/profiles',
    tags: ['profiles'],
    summary: 'Create a profile from pasted lists/exports, arXiv ids or an author name',
    description: 'An author name that matches several people answers 409 with `candidates`; send `authorPick` to choose.',
    body: z.object({ name: zName, ...zSources, rules: zRules.optional() }).strict(),
    bodyLimit: 25_000_000,
    handler: async ({ ctx, body, reply }) => {
      if (!body.from?.length && !body.arxivIds?.length && !body.author) throw badRequest('give at least one of from, arxivIds, author', 'from');
      try {
        const report = await createProfile(seedDeps(ctx), body.name, { uploads: body.from, arxivIds: body.arxivIds, author: body.author, authorPick: body.authorPick }, body.rules ?? {});
        // Imported papers (pasted lists, new arXiv ids) must reach the cached indexes.
        if (body.from?.length || body.arxivIds?.length) ctx.services.papersChanged?.();
        reply.code(201);
        return report;
      } catch (err) {
        return ambiguousAuthor(err, reply);
      }
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/profiles/:name',
    tags: ['profiles'],
    summary: "A profile's papers, rules and feedback counts, and the path of its RSS feed (the token in it is the feed's only credential)",
    params: z.object({ name: zName }),
    handler: async ({ ctx, params }) => {
      const detail = await showProfile(ctx.store, params.name).catch(httpError);
      const secret = await resolveSecret((ctx.config ?? defaultConfig()).secret, ctx.store.jobs, ctx.now());
      return { ...detail, feedPath: `/api/feeds/${encodeURIComponent(params.name)}/${feedToken(secret, params.name, ctx.store.owner)}.rss` };
    },
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/profiles/:name',
    tags: ['profiles'],
    summary: 'Delete a profile with its feedback (papers stay)',
    params: z.object({ name: zName }),
    handler: async ({ ctx, params }) => {
      await deleteProfile(ctx.store, params.name).catch(httpError);
      return { removed: params.name };
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/profiles/:name/papers',
    tags: ['profiles'],
    summary: 'Add papers to a profile: ids in the database, arXiv ids, pasted lists/exports, or an author',
    params: z.object({ name: zName }),
    body: z.object({ ids: z.array(z.string().min(1).max(500)).max(5000).optional(), ...zSources }).strict(),
    bodyLimit: 25_000_000,
    handler: async ({ ctx, params, body, reply }) => {
      try {
        const report = await addToProfile(seedDeps(ctx), params.name, { paperIds: body.ids, uploads: body.from, arxivIds: body.arxivIds, author: body.author, authorPick: body.authorPick });
        if (body.from?.length || body.arxivIds?.length) ctx.services.papersChanged?.();
        return report;
      } catch (err) {
        return ambiguousAuthor(err, reply);
      }
    },
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/profiles/:name/papers/:id',
    tags: ['profiles'],
    summary: 'Remove one paper from a profile (it stays in the database)',
    params: z.object({ name: zName, id: z.string().min(1).max(500) }),
    handler: async ({ ctx, params }) => {
      const r = await removeFromProfile(ctx.store, params.name, [params.id]).catch(httpError);
      if (r.unknown.length) throw notFound(`no paper with id "${params.id}"`);
      return r;
    },
  });

  defineRoute(api, {
    method: 'PUT',
    url: '/profiles/:name/rules',
    tags: ['profiles'],
    summary: "Replace a profile's rules: must/never keywords, followed authors and organisations, cut-off",
    params: z.object({ name: zName }),
    body: zRules,
    handler: async ({ ctx, params, body }) => {
      const profile = await requireProfile(ctx.store, params.name).catch(httpError);
      let rules;
      try {
        rules = normaliseRules(body);
      } catch (err) {
        throw badRequest((err as Error).message, 'cutoff');
      }
      await ctx.store.profiles.updateProfileSettings(profile.profileId, { ...profile.settings, rules }, ctx.now().toISOString());
      return { rules };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/profiles/:name/feed',
    tags: ['profiles'],
    summary: "The profile's ranked, explained feed of papers listed in a window",
    description:
      'Window: `since` (1d, 7d, 2w, 3m, 1y or a day) counted back from the newest listing day not after `to` (default today), or exactly `from`…`to`. ' +
      'Papers without a listing day are never in a window. The answer says the days covered (`from`, `to`, `days`) and where every candidate went (`stats`). Items carry `reasons`.',
    params: z.object({ name: zName }),
    query: z.object({
      since: z.string().max(20).optional(),
      from: zDay.optional(),
      to: zDay.optional(),
      limit: zLimit(200, 20),
      cutoff: queryParam(finiteNumberRule),
    }),
    handler: async ({ ctx, params, query }) => {
      const now = query.to ? new Date(`${query.to}T12:00:00Z`) : ctx.now();
      let window: { from: string; to: string };
      try {
        window = query.from ? { from: query.from, to: query.to ?? now.toISOString().slice(0, 10) } : await listingWindow(ctx.store.papers, query.since ?? '7d', now);
      } catch (err) {
        throw badRequest((err as Error).message, 'since');
      }
      if (window.from > window.to) throw badRequest(`from ${window.from} is after to ${window.to}`, 'from');
      // Through the pages' feed cache: a reload or the next client asking for the same feed does not refit the model.
      return cachedFeed(ctx, params.name, { from: window.from, to: window.to, limit: query.limit, now, cutoff: query.cutoff });
    },
  });

  defineRoute(api, {
    method: 'POST',
    url: '/profiles/:name/feedback',
    tags: ['profiles'],
    summary: 'Like, save, dismiss or mark seen a paper; dismissed and seen papers never show again in this feed',
    params: z.object({ name: zName }),
    body: z.object({ id: z.string().min(1).max(500), action: z.enum(FEEDBACK_ACTIONS as [string, ...string[]]) }).strict(),
    handler: async ({ ctx, params, body }) => giveFeedback(ctx.store, params.name, body.id, body.action, ctx.now()).catch(httpError),
  });

  defineRoute(api, {
    method: 'DELETE',
    url: '/profiles/:name/feedback',
    tags: ['profiles'],
    summary: 'Undo a like, save, dismiss or seen',
    params: z.object({ name: zName }),
    query: z.object({ id: z.string().min(1).max(500), action: z.enum(FEEDBACK_ACTIONS as [string, ...string[]]) }),
    handler: async ({ ctx, params, query }) => {
      const profile = await requireProfile(ctx.store, params.name).catch(httpError);
      const paper = await ctx.store.papers.getPaper(query.id);
      if (!paper) throw notFound(`no paper with id "${query.id}"`);
      return { removed: await ctx.store.profiles.removeFeedback(profile.profileId, paper.pk, query.action as (typeof FEEDBACK_ACTIONS)[number]) };
    },
  });

  defineRoute(api, {
    method: 'GET',
    url: '/author-candidates',
    tags: ['profiles'],
    summary: 'People matching a name, split by co-authorship: name variant, paper count, co-authors, topics — to pick from when creating a profile',
    query: z.object({ name: z.string().min(1).max(200) }),
    handler: async ({ ctx, query }) => ({ candidates: (await authorCandidates(ctx.store, query.name)).map(({ pks: _pks, ...c }) => c) }),
  });
};
