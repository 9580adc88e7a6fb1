/**
 * The sources the app follows, as the API and the Sources page use them:
 * each one's state (last fetched, next run, last error in words, back-fill
 * progress), follow and unfollow. The work is src/jobs/follow.ts (the CLI's
 * `radar sources` calls it too); this turns bad input into HTTP errors.
 */
import { defaultConfig } from '../config/load.ts';
import { followSource, SourceInputError, sourceStates, unfollowSource, type SourceState } from '../jobs/follow.ts';
import type { AppContext } from './context.ts';
import { badRequest, notFound } from './errors.ts';

export type { SourceState } from '../jobs/follow.ts';

export async function listSources(ctx: AppContext): Promise<SourceState[]> {
  return sourceStates(ctx.store, ctx.config ?? defaultConfig(), ctx.now());
}

/** Follows `source` (`cs.LG`, `hf`) and queues its back-fill; `created: false` when it was followed already. */
export async function addSource(ctx: AppContext, source: string, backfillDays?: number): Promise<{ created: boolean; source: SourceState }> {
  try {
    const r = await followSource(ctx.store, { name: source, backfillDays }, ctx.now());
    const state = (await listSources(ctx)).find((s) => s.id === r.source.id)!;
    return { created: r.created, source: state };
  } catch (err) {
    if (err instanceof SourceInputError) throw badRequest(err.message, err.field);
    throw err;
  }
}

export async function removeSource(ctx: AppContext, source: string): Promise<void> {
  let removed: boolean;
  try {
    removed = await unfollowSource(ctx.store, source);
  } catch (err) {
    if (err instanceof SourceInputError) throw badRequest(err.message, err.field);
    throw err;
  }
  if (!removed) throw notFound(`"${source}" is not followed`);
}
