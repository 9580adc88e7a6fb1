/**
 * Following and unfollowing sources, and each one's state as a person reads
 * it: what the CLI (`radar sources`) and the app (the Sources page, the API)
 * both call. Following enqueues a back-fill job for the last N days; its
 * progress is the job's state and its latest log line.
 */
import { Cron } from 'croner';
import type { RadarConfig } from '../config/schema.ts';
import type { Job, SourceKind, SourceRecord, Store } from '../store/types.ts';
import { progressKey } from './handlers.ts';
import { backfillJob, DEFAULT_BACKFILL_DAYS, schedulesFor, sourceLabel } from './sources.ts';

export class SourceInputError extends Error {
  override name = 'SourceInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** `cs.LG` → arXiv category; `hf`, `huggingface`, `daily-papers` → Hugging Face Daily Papers. */
export function parseSourceName(name: string): { kind: SourceKind; category: string } {
  const n = name.trim();
  if (/^(hf|huggingface|hugging-face|daily-?papers)$/i.test(n)) return { kind: 'hf', category: '' };
  const cat = n.replace(/^arxiv:/i, '');
  if (CATEGORY.test(cat)) return { kind: 'arxiv', category: cat };
  throw new SourceInputError(`"${name}" is neither an arXiv category (such as cs.LG or math.OC) nor hf (Hugging Face Daily Papers)`, 'source');
}

export interface FollowResult {
  source: SourceRecord;
  created: boolean;
  /** The back-fill job, when one was queued. */
  backfill?: Job;
}

export async function followSource(store: Store, input: { name: string; backfillDays?: number }, now: Date): Promise<FollowResult> {
  const { kind, category } = parseSourceName(input.name);
  const days = input.backfillDays ?? DEFAULT_BACKFILL_DAYS;
  if (!Number.isInteger(days) || days < 0 || days > 366) throw new SourceInputError(`back-fill days: expected a whole number 0-366, got ${input.backfillDays}`, 'backfillDays');
  const { source, created } = await store.settings.addSource({ kind, category, backfillDays: days }, now.toISOString());
  if (!created || days === 0) return { source, created };
  const { job } = await store.jobs.enqueueJob(backfillJob(source, now), now.toISOString());
  await store.settings.setSourceBackfillJob(source.id, job.key);
  return { source: { ...source, backfillJob: job.key }, created, backfill: job };
}

export async function unfollowSource(store: Store, name: string): Promise<boolean> {
  const { kind, category } = parseSourceName(name);
  return store.settings.removeSource(kind, category);
}

export interface SourceState {
  id: number;
  /** `arxiv:cs.LG` or `hf`: what `radar sources remove` takes. */
  name: string;
  kind: SourceKind;
  category: string;
  label: string;
  addedAt: string;
  /** ok: the last run worked; failing: it did not (see lastError); waiting: never run yet. */
  status: 'ok' | 'failing' | 'waiting';
  lastRunAt?: string;
  lastFetchedAt?: string;
  lastAdded?: number;
  lastError?: string;
  nextRunAt?: string;
  schedule?: string;
  backfill?: { days: number; job: string; state: Job['state'] | 'unknown'; progress?: string; error?: string };
}

export async function sourceStates(store: Store, config: RadarConfig, now: Date): Promise<SourceState[]> {
  const sources = await store.settings.listSources();
  const schedules = await schedulesFor(store, config)();
  const jobs = sources.some((s) => s.backfillJob) ? await store.jobs.listJobs({ kind: 'fetch', limit: 500 }) : [];
  const out: SourceState[] = [];
  for (const s of sources) {
    const sched = schedules.find((x) => x.task.type === 'fetch' && (s.kind === 'hf' ? x.task.source === 'hf' : x.task.source !== 'hf' && x.task.categories.includes(s.category)));
    const next = sched ? new Cron(sched.schedule, { timezone: sched.timezone ?? config.timezone, paused: true }).nextRun(now)?.toISOString() : undefined;
    let backfill: SourceState['backfill'];
    if (s.backfillJob) {
      const job = jobs.find((j) => j.key === s.backfillJob);
      const progress = (await store.jobs.getState(progressKey(s.backfillJob))) as { line?: string } | null | undefined;
      backfill = {
        days: s.backfillDays,
        job: s.backfillJob,
        state: job?.state ?? 'unknown',
        ...(progress?.line ? { progress: progress.line } : {}),
        ...(job?.lastError && job.state !== 'done' ? { error: job.lastError } : {}),
      };
    }
    out.push({
      id: s.id,
      name: sourceLabel(s),
      kind: s.kind,
      category: s.category,
      label: s.kind === 'hf' ? 'Hugging Face Daily Papers' : `arXiv ${s.category}`,
      addedAt: s.addedAt,
      status: s.lastError ? 'failing' : s.lastRunAt ? 'ok' : 'waiting',
      ...(s.lastRunAt ? { lastRunAt: s.lastRunAt } : {}),
      ...(s.lastSuccessAt ? { lastFetchedAt: s.lastSuccessAt } : {}),
      ...(s.lastAdded !== undefined ? { lastAdded: s.lastAdded } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
      ...(next ? { nextRunAt: next } : {}),
      ...(sched ? { schedule: `${sched.schedule} (${sched.timezone ?? config.timezone})` } : {}),
      ...(backfill ? { backfill } : {}),
    });
  }
  return out;
}
