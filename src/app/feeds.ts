/**
 * Profile feeds as the pages (and any API) use them: the window anchored on
 * the papers the store actually has, feedback with undo, and "why is this
 * paper recommended" for one paper. Ranking itself is src/profile.
 */
import { openProfileDeps } from '../profile/deps.ts';
import { buildFeed, ProfileNotFoundError, type Feed, type FeedOptions } from '../profile/feed.ts';
import { giveFeedback, ProfileError, requireProfile } from '../profile/profiles.ts';
import type { Reason } from '../rank/explain.ts';
import type { FeedbackAction, Store, StoredPaper } from '../store/types.ts';
import type { AppContext } from './context.ts';
import { badRequest, conflict, HttpError, notFound } from './errors.ts';
import { isoDay } from '../paper/days.ts';
import { daysBetween, listingWindow, type ListingWindow } from '../profile/window.ts';
import { SAVED } from './library.ts';
import { labSignal } from '../profile/lab.ts';

export const FEED_SPANS = { '1d': 1, '3d': 3, '7d': 7, '30d': 30, '90d': 90, '365d': 365, all: 100_000 } as const;
export type FeedSpan = keyof typeof FEED_SPANS;

/** Profile errors as HTTP errors: unknown profile → 404, name taken → 409, ambiguous author → 409, bad input → 400. */
export function asHttp(err: unknown): unknown {
  if (err instanceof ProfileNotFoundError) return notFound(err.message);
  if (err instanceof ProfileError) {
    if (err.code === 'not-found') return notFound(err.message);
    if (err.code === 'exists') return conflict(err.message, 'name');
    if (err.code === 'ambiguous-author') return new HttpError(409, err.message, 'authorPick');
    return badRequest(err.message);
  }
  return err;
}

/**
 * The server's shared representations when it has them; opened for this request otherwise (bare test apps).
 * The store is the request's own view, so the profile is looked up among its account's.
 */
async function deps(ctx: AppContext) {
  const d = ctx.services.profileDeps ? await ctx.services.profileDeps() : await openProfileDeps(ctx.store);
  return { ...d, store: ctx.store };
}

/**
 * The window a feed covers: the last `span` calendar days ending at the newest
 * listing day not after today (src/profile/window.ts, the rule the CLI,
 * digests and RSS share). Undated papers are never in it.
 */
export async function feedWindow(store: Store, now: Date, span: number): Promise<ListingWindow> {
  if (span >= 100_000) {
    const w = await listingWindow(store.papers, 1, now);
    return { ...w, from: '1000-01-01', days: daysBetween('1000-01-01', w.to) };
  }
  return listingWindow(store.papers, span, now);
}

/** `buildFeed` through the server's feed cache (see feed-cache.ts for what invalidates an entry). */
export async function cachedFeed(ctx: AppContext, name: string, opts: FeedOptions & { from: string; to: string }): Promise<Feed> {
  const d = await deps(ctx);
  const r = ctx.services.retrieval ? await ctx.services.retrieval() : undefined;
  const inWindow = (await ctx.store.papers.listPapers({ from: opts.from, to: opts.to, sort: 'date', limit: 1 })).total;
  // Other members' likes and saves move the feed too (an empty map on a single-user instance).
  const lab = await labSignal(ctx.store, opts.now ?? ctx.now());
  const corpus = [r?.sparse?.seq, r?.dense?.seq, r?.papers, inWindow, isoDay(opts.now ?? ctx.now()), [...lab].map(([pk, b]) => `${pk}:${b.boost}`).join(',')];
  try {
    return await ctx.feedCache.get(ctx.store, name, opts, corpus, () => buildFeed(d, name, { ...opts, lab }));
  } catch (err) {
    throw asHttp(err);
  }
}

export interface ProfileFeedOptions extends Pick<FeedOptions, 'cutoff' | 'includeUndated' | 'diversity'> {
  span?: number;
  from?: string;
  to?: string;
  limit?: number;
  /** Only papers in this category (the daily listing's filter). */
  category?: string;
}

export async function profileFeed(ctx: AppContext, name: string, opts: ProfileFeedOptions): Promise<Feed> {
  const win = opts.from && opts.to ? { from: opts.from, to: opts.to } : await feedWindow(ctx.store, ctx.now(), opts.span ?? 7);
  const { cutoff, includeUndated, category } = opts;
  const limit = opts.limit ?? 30;
  // Options in whyRecommended's order: the cache key is their JSON, so a day ranked for the listing serves its 'why' too.
  if (!category) return cachedFeed(ctx, name, { ...win, limit, cutoff, diversity: opts.diversity, now: ctx.now(), includeUndated });
  // The model ranks a window's papers, not a category's: rank all of them in score order (diversifying
  // against papers that are filtered out would mean nothing) and keep the category's.
  const all = await cachedFeed(ctx, name, { ...win, limit: 100_000, cutoff, diversity: 1, now: ctx.now(), includeUndated });
  return { ...all, items: all.items.filter((it) => it.categories.includes(category)).slice(0, limit) };
}

export type Why =
  | { kind: 'ranked'; score: number; reasons: Reason[] }
  | { kind: 'own' }
  | { kind: 'feedback'; actions: FeedbackAction[] }
  | { kind: 'unranked'; message: string }
  /** Not ranked yet (asked with `rank: false`): ranking a day costs a model fit, so pages load it separately. */
  | { kind: 'pending' };

/** Why a profile would (or would not) show this paper: its score and reasons among the papers of its day. */
export async function whyRecommended(ctx: AppContext, profileName: string, paper: StoredPaper, opts: { rank?: boolean } = {}): Promise<Why> {
  let profile;
  try {
    profile = await requireProfile(ctx.store, profileName);
  } catch (err) {
    throw asHttp(err);
  }
  const own = await ctx.store.profiles.profilePapers(profile.profileId);
  if (own.some((l) => l.pk === paper.pk)) return { kind: 'own' };
  const fb = (await ctx.store.profiles.feedback(profile.profileId)).filter((f) => f.pk === paper.pk).map((f) => f.action);
  if (fb.length) return { kind: 'feedback', actions: fb };
  if (opts.rank === false) return { kind: 'pending' };
  // Rank it among the papers of its day (an undated paper counts from the day it arrived, as in the feed).
  const day = paper.listingDate ?? paper.addedAt.slice(0, 10);
  const feed = await cachedFeed(ctx, profile.name, {
    from: day,
    to: day,
    limit: 100_000,
    cutoff: -Infinity,
    diversity: 1,
    now: ctx.now(),
    includeUndated: !paper.listingDate,
  });
  const item = feed.items.find((i) => i.id === paper.id);
  if (!item) return { kind: 'unranked', message: 'No representation of this paper yet, so it cannot be ranked.' };
  return { kind: 'ranked', score: item.score, reasons: item.reasons };
}

/** Records (or with `undo`, withdraws) feedback. Saving also puts the paper in the “Saved” collection. */
export async function recordFeedback(ctx: AppContext, profileName: string, id: string, action: string, undo: boolean) {
  if (!['like', 'save', 'dismiss', 'seen'].includes(action)) throw badRequest(`action "${action}": expected like, save, dismiss or seen`, 'action');
  const now = ctx.now();
  try {
    if (undo) {
      const profile = await requireProfile(ctx.store, profileName);
      const paper = await ctx.store.papers.getPaper(id);
      if (!paper) throw notFound(`no paper with id "${id}"`);
      const removed = await ctx.store.profiles.removeFeedback(profile.profileId, paper.pk, action as FeedbackAction);
      if (action === 'save') {
        const c = await ctx.store.library.getCollection(SAVED);
        if (c) await ctx.store.library.removeFromCollection(c.collectionId, paper.pk);
      }
      return { id: paper.id, action, undone: removed };
    }
    const r = await giveFeedback(ctx.store, profileName, id, action, now);
    if (action === 'save') {
      const paper = (await ctx.store.papers.getPaper(r.id))!;
      const c = await ctx.store.library.ensureCollection(SAVED, now.toISOString());
      await ctx.store.library.addToCollection(c.collectionId, paper.pk, now.toISOString());
    }
    return { id: r.id, action, undone: false };
  } catch (err) {
    throw asHttp(err);
  }
}
