/**
 * Turns cron schedules into durable jobs. Each tick looks at every schedule's
 * slots between the last slot it enqueued (kept in the database) and now, and
 * enqueues the newest one as job `NAME@SLOT`. Because the key is unique, any
 * number of processes can tick the same schedules: a slot becomes one job.
 *
 * Missed slots (the machine was off for three days) collapse into one catch-up
 * run: every task here covers a window ("the last N days", "every listing day
 * since the last digest that went out", src/digest/history.ts), so running it
 * once catches up, and three identical runs would only triple the requests to
 * arXiv.
 *
 * croner is used only to compute slot times (`nextRun`), never to own timers:
 * the clock is injected, so tests advance time by calling `tick`.
 */
import { Cron } from 'croner';
import type { Task } from '../config/schema.ts';
import type { Job, JobStore } from '../store/types.ts';

export interface Schedule {
  name: string;
  /** Cron expression, read in `timezone`. */
  schedule: string;
  /** Zone the expression is read in (default: the scheduler's, the configured one). */
  timezone?: string;
  task: Task;
  maxAttempts: number;
}

export interface JobPayload extends Record<string, unknown> {
  task: Task;
  /** The schedule slot (ISO) this job stands for; tasks compute their windows from it, so a retry tomorrow covers the same window. */
  slot: string;
  schedule: string;
}

/**
 * Which lane a task runs in: one job per lane at a time across processes (one
 * arXiv client honouring the rate rule). Digest jobs share one lane because a
 * digest's window starts after the last one sent (src/digest/history.ts): two
 * digest jobs of different slots running at once could both start from the
 * same last digest and send the same days twice.
 */
export function laneFor(task: Task): string | undefined {
  if (task.type === 'fetch') {
    if (task.source === 'hf' || task.source === 'openalex') return task.source;
    // bioRxiv and medRxiv are one API on one host.
    if (task.source === 'biorxiv' || task.source === 'medrxiv') return 'biorxiv';
    return 'arxiv';
  }
  if (task.type === 'zotero-sync') return 'zotero';
  if (task.type === 'enrich') return 'arxiv';
  if (task.type === 'refresh-indexes') return 'indexes';
  if (task.type === 'digests') return 'digests';
  return undefined;
}

export function jobForSlot(s: Schedule, slot: string): Parameters<JobStore['enqueueJob']>[0] {
  const payload: JobPayload = { task: s.task, slot, schedule: s.name };
  return { kind: s.task.type, key: `${s.name}@${slot}`, lane: laneFor(s.task), payload, runAt: slot, maxAttempts: s.maxAttempts };
}

export class Scheduler {
  private crons: { s: Schedule; cron: Cron }[] = [];
  private readonly source: () => Promise<Schedule[]>;

  /** `schedules`: a fixed list, or a function read on every tick (schedules that live in the database). */
  constructor(
    private readonly store: JobStore,
    schedules: Schedule[] | (() => Promise<Schedule[]>),
    private readonly opts: { timezone: string; now: () => Date; log?: (line: string) => void },
  ) {
    this.source = typeof schedules === 'function' ? schedules : async () => schedules;
    if (Array.isArray(schedules)) this.crons = this.compile(schedules);
  }

  private compile(schedules: Schedule[]): { s: Schedule; cron: Cron }[] {
    const known = new Map(this.crons.map((c) => [`${c.s.name}|${c.s.schedule}|${c.s.timezone ?? ''}`, c.cron]));
    return schedules.map((s) => ({
      s,
      cron: known.get(`${s.name}|${s.schedule}|${s.timezone ?? ''}`) ?? new Cron(s.schedule, { timezone: s.timezone ?? this.opts.timezone, paused: true }),
    }));
  }

  /** Enqueues the due slot of every schedule; returns the jobs this call created. */
  async tick(): Promise<Job[]> {
    this.crons = this.compile(await this.source());
    const now = this.opts.now();
    const nowIso = now.toISOString();
    const created: Job[] = [];
    for (const { s, cron } of this.crons) {
      const stateKey = `schedule:${s.name}`;
      const state = (await this.store.getState(stateKey)) as { lastSlot: string } | undefined;
      if (!state) {
        // First sight of this schedule: start from now rather than replaying its history.
        await this.store.initState(stateKey, { lastSlot: nowIso }, nowIso);
        continue;
      }
      if (Date.parse(state.lastSlot) > now.getTime() + 86_400_000) {
        // The clock went back more than a day (restored VM, wrong clock fixed): start again from now rather than wait for it.
        this.opts.log?.(`schedule ${s.name}: last slot ${state.lastSlot} is in the future; the clock moved back, starting again from now`);
        await this.store.putState(stateKey, { lastSlot: nowIso }, nowIso);
        continue;
      }
      let due: Date | undefined;
      let skipped = 0;
      for (let next = cron.nextRun(new Date(state.lastSlot)); next && next <= now; next = cron.nextRun(next)) {
        if (due) skipped++;
        due = next;
        if (skipped > 10_000) break;
      }
      if (!due) continue;
      const slot = due.toISOString();
      const { job, created: isNew } = await this.store.enqueueJob(jobForSlot(s, slot), nowIso);
      await this.store.putState(stateKey, { lastSlot: slot }, nowIso);
      if (isNew) {
        created.push(job);
        this.opts.log?.(`scheduled ${job.key}${skipped ? ` (catching up: ${skipped} earlier missed slot(s) folded into this run)` : ''}`);
      }
    }
    return created;
  }

  /** When each schedule runs next, for `radar jobs`. */
  async upcoming(): Promise<{ name: string; next?: string }[]> {
    return upcomingRuns(await this.source(), this.opts.timezone, this.opts.now());
  }
}

export function upcomingRuns(schedules: Schedule[], timezone: string, now: Date): { name: string; next?: string }[] {
  return schedules.map((s) => ({ name: s.name, next: new Cron(s.schedule, { timezone: s.timezone ?? timezone, paused: true }).nextRun(now)?.toISOString() }));
}
