/**
 * Sources the app follows (stored in the database: `radar sources add`, the
 * Sources page) turned into schedules and jobs, and their state in words.
 *
 * Default timing: arXiv announces new papers Sunday–Thursday at 20:00 US
 * Eastern (00:00/01:00 UTC), so arXiv categories are fetched at 20:30 Eastern
 * on those days; Hugging Face Daily Papers fills up during the (UTC) day, so
 * it is fetched at 23:30 UTC, two days back (a late addition to yesterday's
 * page is picked up too; upserts merge). Digests go out at 07:00 in the
 * configured zone (each profile's cadence and the calendar decide whether
 * that day sends). A configuration file job of the same name
 * (`sources-arxiv`, `sources-hf`, `digests`) replaces the default, and
 * `sources.arxivSchedule` / `sources.hfSchedule` change only the time.
 */
import type { RadarConfig, Task } from '../config/schema.ts';
import type { NewJob, SourceRecord, Store } from '../store/types.ts';
import { laneFor, type JobPayload, type Schedule } from './scheduler.ts';

export const ARXIV_SCHEDULE = { cron: '30 20 * * 0-4', timezone: 'America/New_York' };
export const HF_SCHEDULE = { cron: '30 23 * * *', timezone: 'UTC' };
export const DIGEST_SCHEDULE = '0 7 * * *';
/** Days fetched back when a source is added, unless asked otherwise. */
export const DEFAULT_BACKFILL_DAYS = 7;

export type FetchTask = Extract<Task, { type: 'fetch' }>;

/** The schedules the stored sources need, plus the default digest schedule; configured jobs of the same name win. */
export function defaultSchedules(sources: SourceRecord[], config: RadarConfig): Schedule[] {
  const configured = new Set(config.jobs.map((j) => j.name));
  const out: Schedule[] = [];
  // Two accounts may follow the same category: it is fetched once.
  const arxiv = [...new Set(sources.filter((s) => s.kind === 'arxiv').map((s) => s.category))];
  if (arxiv.length && !configured.has('sources-arxiv')) {
    out.push({
      name: 'sources-arxiv',
      schedule: config.sources.arxivSchedule ?? ARXIV_SCHEDULE.cron,
      timezone: config.sources.arxivSchedule ? undefined : ARXIV_SCHEDULE.timezone,
      task: { type: 'fetch', source: 'arxiv-new', categories: arxiv, days: 2 },
      maxAttempts: 5,
    });
  }
  if (sources.some((s) => s.kind === 'hf') && !configured.has('sources-hf')) {
    out.push({
      name: 'sources-hf',
      schedule: config.sources.hfSchedule ?? HF_SCHEDULE.cron,
      timezone: config.sources.hfSchedule ? undefined : HF_SCHEDULE.timezone,
      task: { type: 'fetch', source: 'hf', categories: [], days: 2 },
      maxAttempts: 5,
    });
  }
  if (!config.jobs.some((j) => j.task.type === 'digests')) {
    out.push({ name: 'digests', schedule: DIGEST_SCHEDULE, task: { type: 'digests' }, maxAttempts: 5 });
  }
  return out;
}

/** Everything the scheduler runs: the configuration's jobs and every account's stored sources' (read on every tick, so a source added in the app is picked up). */
export function schedulesFor(store: Pick<Store, 'settings'>, config: RadarConfig): () => Promise<Schedule[]> {
  return async () => [...config.jobs, ...defaultSchedules(await store.settings.listAllSources(), config)];
}

/** The task that fetches the last `days` days of one source (its back-fill). */
export function backfillTask(source: Pick<SourceRecord, 'kind' | 'category'>, days: number): FetchTask {
  return source.kind === 'hf'
    ? { type: 'fetch', source: 'hf', categories: [], days }
    : { type: 'fetch', source: 'arxiv-api', categories: [source.category], days };
}

export function backfillJob(source: Pick<SourceRecord, 'kind' | 'category' | 'backfillDays'>, now: Date): NewJob {
  const task = backfillTask(source, source.backfillDays);
  const slot = now.toISOString();
  const payload: JobPayload = { task, slot, schedule: 'backfill' };
  return { kind: 'fetch', key: `backfill:${sourceLabel(source)}@${slot}`, lane: laneFor(task), payload, runAt: slot, maxAttempts: 5 };
}

export function sourceLabel(s: Pick<SourceRecord, 'kind' | 'category'>): string {
  return s.kind === 'hf' ? 'hf' : `arxiv:${s.category}`;
}

/** The stored sources a fetch task covers, so its outcome is recorded on them. */
export function sourcesOfTask(task: FetchTask, sources: SourceRecord[]): SourceRecord[] {
  if (task.source === 'hf') return sources.filter((s) => s.kind === 'hf');
  return sources.filter((s) => s.kind === 'arxiv' && task.categories.some((c) => c === s.category || s.category.startsWith(`${c}.`)));
}

/**
 * A fetch failure in words a person reads on the Sources page. Being offline
 * (no DNS, no route, connection refused) is an ordinary state of a laptop:
 * said plainly, and the next scheduled run tries again.
 */
export function describeFetchFailure(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const host = /\b(?:GET|POST) (https?:\/\/[^/\s]+)/.exec(msg)?.[1]?.replace(/^https?:\/\//, '');
  const where = host ? ` (${host})` : '';
  if (/ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH/.test(msg)) return `offline: the source${where} could not be reached; the next run tries again`;
  if (/ECONNREFUSED|ECONNRESET/.test(msg)) return `the source${where} refused the connection; the next run tries again`;
  if (/no complete response within/.test(msg)) return `the source${where} did not answer in time; the next run tries again`;
  const status = /→ (\d{3}) ([A-Za-z ]+)/.exec(msg);
  if (status) {
    const code = Number(status[1]);
    if (code === 429 || code === 503) return `the source${where} asked us to slow down (${status[1]} ${status[2].trim()}); the next run tries again`;
    return `the source${where} answered ${status[1]} ${status[2].trim()}`;
  }
  return msg;
}
