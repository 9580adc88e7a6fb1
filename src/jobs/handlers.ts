/**
 * What each job kind does: the bridge from a scheduled task (config `jobs[].task`)
 * to the fetchers, the enrichment, the index refresh and the digests. Windows
 * are computed from the job's schedule slot, not from the time it happens to
 * run, so a retry the next morning covers exactly what the first attempt would
 * have.
 */
import type { RadarConfig, Task } from '../config/schema.ts';
import type { Mailer } from '../digest/deliver.ts';
import { DigestRunError, isPermanentDigestError, runDigests, type RankFn } from '../digest/send.ts';
import { localDay } from '../digest/window.ts';
import { categoryQuery, fetchArxivApi } from '../ingest/http/arxiv-api.ts';
import { fetchArxivNew } from '../ingest/http/arxiv-new.ts';
import type { HttpClient } from '../ingest/http/client.ts';
import { enrichPapers } from '../ingest/http/enrich.ts';
import { daysBack, fetchHfDaily } from '../ingest/http/hf-daily.ts';
import { harvestOai } from '../ingest/http/oai.ts';
import { fetchBiorxiv } from '../ingest/http/biorxiv.ts';
import { enrichFromOpenAlex } from '../ingest/http/openalex.ts';
import { combineReports, runAfterFetch, summarise, type FetchDeps, type FetchReport } from '../ingest/http/report.ts';
import { addDays } from '../paper/days.ts';
import { syncAllZotero } from '../profile/zotero.ts';
import type { Job, Store } from '../store/types.ts';
import { refreshIndexesHook } from '../vectors/hook.ts';
import type { EmbedderSetting } from '../vectors/select.ts';
import type { JobPayload } from './scheduler.ts';
import { describeFetchFailure, sourcesOfTask } from './sources.ts';
import { PermanentJobError, type JobContext, type JobHandler } from './worker.ts';

export interface HandlerDeps {
  store: Store;
  config: RadarConfig;
  client: HttpClient;
  rank: RankFn;
  /** How another account's profiles are ranked in the digests job (default: that account's feed). */
  rankFor?: (view: Store) => RankFn;
  mailer?: Mailer;
  /** The dense model fetches refresh the indexes with (default: RADAR_EMBEDDER, else the store's). */
  embedder?: EmbedderSetting;
  /** Brings search/similarity indexes up to date with the store (src/vectors). */
  refreshIndexes?: (store: Store, log: (line: string) => void) => Promise<unknown>;
  /** Who reserves digests (the worker's id). */
  workerId: string;
  /** Called after a fetch or enrichment changed papers (the server drops its cached features). */
  papersChanged?: () => void;
}

function changed(r: FetchReport): boolean {
  return r.counts.added + r.counts.updated + r.counts.merged > 0;
}

/** Runs one fetch task; used by the worker and by `radar fetch`. */
export async function runFetch(task: Extract<Task, { type: 'fetch' }>, day: string, deps: FetchDeps, config: RadarConfig): Promise<FetchReport> {
  const src = config.sources;
  switch (task.source) {
    case 'arxiv-new':
      return fetchArxivNew(deps, { baseUrl: src.arxivRss, categories: task.categories });
    case 'arxiv-api':
      return fetchArxivApi(
        deps,
        { baseUrl: src.arxivApi, pageSize: src.apiPageSize },
        { search: categoryQuery(task.categories, addDays(day, -(task.days - 1)), day), sortBy: 'submittedDate', sortOrder: 'descending', maxResults: task.maxResults },
      );
    case 'arxiv-oai':
      // OAI datestamps of a day are complete once it is over: harvest the `days` days before the slot's day.
      return harvestOai(deps, {
        baseUrl: src.arxivOai,
        metadataPrefix: src.oaiMetadataPrefix,
        set: task.set,
        from: addDays(day, -task.days),
        until: addDays(day, -1),
        chunkDays: src.oaiChunkDays,
      });
    case 'hf':
      return fetchHfDaily(deps, { baseUrl: src.huggingFace, dates: daysBack(day, task.days) });
    case 'biorxiv':
    case 'medrxiv': {
      // A day's postings are complete once it is over: the `days` days before the slot's day, one run per subject.
      const window = { baseUrl: src.biorxivApi, server: task.source, from: addDays(day, -task.days), to: addDays(day, -1) };
      const subjects = task.subjects?.length ? task.subjects : [undefined];
      const reports: FetchReport[] = [];
      for (const category of subjects) reports.push(await fetchBiorxiv(deps, { ...window, category }));
      return combineReports(task.source, reports);
    }
    case 'openalex':
      // Papers listed over the last `days` days: new ones get their venue, older ones a fresh citation count once retryDays passed.
      return enrichFromOpenAlex(deps, {
        baseUrl: src.openalexApi,
        apiKey: src.openalexKey,
        mailto: config.http.contact,
        from: addDays(day, -(task.days - 1)),
        to: day,
        limit: task.limit ?? 500,
      });
  }
}

/** Where a job's latest progress line is kept (read by the sources service while a back-fill runs). */
export const progressKey = (jobKey: string) => `job:progress:${jobKey}`;

/** Passes log lines on and keeps the latest in the database, at most every 2 s. */
function progressRecorder(store: Store, jobKey: string, ctx: JobContext) {
  let last = 0;
  let pending: Promise<void> = Promise.resolve();
  const put = (line: string) => {
    pending = pending.then(() => store.jobs.putState(progressKey(jobKey), { line, at: ctx.now().toISOString() }, ctx.now().toISOString())).catch(() => {});
  };
  return {
    log: (line: string) => {
      ctx.log(line);
      if (Date.now() - last < 2000) return;
      last = Date.now();
      put(line);
    },
    done: async (line: string) => {
      put(line);
      await pending;
    },
  };
}

function payloadOf(job: Job): JobPayload {
  const p = job.payload as Partial<JobPayload>;
  if (!p.task || !p.slot) throw new PermanentJobError(`job ${job.id} (${job.key}) has no task/slot in its payload`);
  return p as JobPayload;
}

export function jobHandlers(deps: HandlerDeps): Record<string, JobHandler> {
  const fetchDeps = (ctx: JobContext): FetchDeps => ({ client: deps.client, store: deps.store, now: ctx.now, log: ctx.log, signal: ctx.signal });
  const handlers: Record<string, JobHandler> = {
    fetch: async (job, ctx) => {
      const { task, slot } = payloadOf(job);
      if (task.type !== 'fetch') throw new PermanentJobError(`job ${job.key}: kind fetch with task ${task.type}`);
      // The followed sources this run covers get its outcome (last fetched, last error in words), and its progress is kept for the Sources page.
      const covered = sourcesOfTask(task, await deps.store.settings.listAllSources()).map((s) => s.id);
      const progress = progressRecorder(deps.store, job.key, ctx);
      let report: FetchReport;
      try {
        report = await runFetch(task, localDay(new Date(slot), deps.config.timezone), { ...fetchDeps(ctx), log: progress.log }, deps.config);
      } catch (err) {
        await deps.store.settings.recordSourceRun(covered, { at: ctx.now().toISOString(), error: describeFetchFailure(err) });
        await progress.done(`failed: ${describeFetchFailure(err)}`);
        throw err;
      }
      await deps.store.settings.recordSourceRun(covered, { at: ctx.now().toISOString(), added: report.counts.added + report.counts.updated });
      await progress.done(summarise(report));
      ctx.log(summarise(report));
      if (changed(report)) {
        await runAfterFetch(deps.store, report, [refreshIndexesHook(deps.embedder)], ctx.log);
        deps.papersChanged?.();
      }
      return { ...report, problems: report.problems.slice(0, 10) };
    },
    enrich: async (job, ctx) => {
      const { task } = payloadOf(job);
      const limit = task.type === 'enrich' ? task.limit : 50;
      const src = deps.config.sources;
      const report = await enrichPapers(fetchDeps(ctx), { baseUrl: src.arxivApi, pageSize: src.apiPageSize, limit });
      ctx.log(summarise(report));
      if (changed(report)) {
        await runAfterFetch(deps.store, report, [refreshIndexesHook(deps.embedder)], ctx.log);
        deps.papersChanged?.();
      }
      return { completed: report.notes.completed, unmatched: report.notes.unmatched, requests: report.requests };
    },
    digests: async (job, ctx) => {
      const { task, slot } = payloadOf(job);
      const profiles = task.type === 'digests' ? task.profiles : undefined;
      try {
        const outcomes = await runDigests(
          { store: deps.store, config: deps.config, rank: deps.rank, rankFor: deps.rankFor, mailer: deps.mailer, by: deps.workerId, log: ctx.log },
          { at: new Date(slot), profiles },
        );
        return { outcomes };
      } catch (err) {
        // The other profiles' digests went out; a retry would only repeat failures nobody can fix by waiting.
        if ((err instanceof DigestRunError && !err.retryable) || isPermanentDigestError(err)) throw new PermanentJobError((err as Error).message);
        throw err;
      }
    },
  };
  handlers['zotero-sync'] = async (job, ctx) => {
    const { task } = payloadOf(job);
    const names = task.type === 'zotero-sync' ? task.profiles : undefined;
    const r = await syncAllZotero(
      { store: deps.store, now: ctx.now, client: deps.client, apiBase: deps.config.sources.zoteroApi, log: ctx.log, afterImport: [refreshIndexesHook(deps.embedder)] },
      names,
    );
    if (r.reports.some((x) => x.linked + x.unlinked > 0)) deps.papersChanged?.();
    // Every profile failing is worth a retry (Zotero down, the laptop asleep); some failing is reported, not retried for the others' sake.
    if (r.failures.length && !r.reports.length) throw new Error(r.failures.map((f) => `${f.profile}: ${f.error}`).join('; '));
    return {
      synced: r.reports.map((x) => ({ profile: x.profile, items: x.items, linked: x.linked, unlinked: x.unlinked, version: x.version })),
      failures: r.failures,
    };
  };
  if (deps.refreshIndexes) {
    const refresh = deps.refreshIndexes;
    handlers['refresh-indexes'] = async (_job, ctx) => refresh(deps.store, ctx.log);
  }
  return handlers;
}

/** Job kinds the configuration schedules that this build cannot run: reported at start-up rather than left queued. */
export function missingHandlers(config: RadarConfig, handlers: Record<string, JobHandler>): string[] {
  return config.jobs.filter((j) => !handlers[j.task.type]).map((j) => `jobs.${j.name}: task type "${j.task.type}" has no handler in this build`);
}
