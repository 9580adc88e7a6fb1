import { jobForSlot, upcomingRuns } from '../../jobs/scheduler.ts';
import { JobRuntime } from '../../jobs/runtime.ts';
import { schedulesFor } from '../../jobs/sources.ts';
import { defaultWorkerId } from '../../jobs/worker.ts';
import { openStore } from '../../store/open.ts';
import { buildRuntime } from '../runtime.ts';
import type { JobState } from '../../store/types.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';
import { loadCliConfig } from './fetch.ts';

/**
 * `radar worker`: runs the configured jobs (fetches, enrichment, index
 * refresh, digests) without the web server; any number of workers may share
 * one database, each job runs once. `radar jobs`: what ran, what failed, what
 * is next; `radar jobs retry ID`, `radar jobs run NAME`.
 */
export const registerWorker: Register = (program, ctx) => {
  program
    .command('worker')
    .description('run the scheduled jobs of the configuration (fetch, enrich, refresh-indexes, digests) without the web server')
    .option('--config <path>', 'configuration file (default: env RADAR_CONFIG, else radar.config.yaml next to the database)')
    .option('--once', 'schedule what is due, run every due job, then exit')
    .option('--no-schedule', 'only run jobs; leave scheduling to other processes')
    .option('--id <id>', 'worker id shown in `radar jobs` (default host:pid:random)')
    .option('--embedder <spec>', 'dense model the refresh-indexes job maintains: builtin, onnx:DIR, openai:URL?model=NAME (default: env RADAR_EMBEDDER, else the model the indexes hold)')
    .action(async (opts: { config?: string; once?: boolean; schedule: boolean; id?: string; embedder?: string }) => {
      const c = ctx();
      const rt = buildRuntime(c, opts);
      const { config, embedder } = rt;
      const store = await openStore(rt.database);
      let runtime: JobRuntime;
      try {
        runtime = new JobRuntime({ store, config, now: () => c.now(), log: (l) => c.say(`[${new Date().toISOString()}] ${l}`), workerId: opts.id ?? defaultWorkerId(), schedule: opts.schedule, embedder });
      } catch (err) {
        await store.close();
        throw new CliError((err as Error).message, 2);
      }
      try {
        if (opts.once) {
          const n = await runtime.runOnce();
          const counts = await store.jobs.jobCounts();
          if (c.json) c.emitJson({ ran: n, jobs: counts });
          c.say(`ran ${n} job(s); queue: ${JSON.stringify(counts)}`);
          return;
        }
        const upcoming = await runtime.scheduler.upcoming();
        c.say(`worker ${runtime.worker.id} on ${store.location}: ${upcoming.length} scheduled job(s); Ctrl-C to stop`);
        for (const u of upcoming) c.say(`  ${u.name.padEnd(16)} next ${u.next ?? 'never'}`);
        runtime.start();
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        c.say('stopping after the current job…');
      } finally {
        await runtime.stop();
        await store.close();
      }
    });

  const jobs = program
    .command('jobs')
    .description('list jobs (newest first), counts by state, upcoming schedules and recent digests')
    .option('--state <state...>', 'only these states: queued running done failed')
    .option('--limit <n>', 'how many (default 20)', '20')
    .option('--config <path>', 'configuration file (for upcoming schedules)')
    .action(async (opts: { state?: string[]; limit: string; config?: string }) => {
      const c = ctx();
      const states = opts.state as JobState[] | undefined;
      for (const s of states ?? []) if (!['queued', 'running', 'done', 'failed'].includes(s)) throw new CliError(`--state: unknown state "${s}"`, 2);
      const config = loadCliConfig(c, opts.config);
      const out = await c.withStore(async (store) => ({
        counts: await store.jobs.jobCounts(),
        jobs: await store.jobs.listJobs({ states, limit: Number(opts.limit) || 20 }),
        digests: await store.digests.listDigests({ limit: 10 }),
        schedules: await schedulesFor(store, config)(),
      }));
      const upcoming = upcomingRuns(out.schedules, config.timezone, c.now());
      delete (out as { schedules?: unknown }).schedules;
      if (c.json) return c.emitJson({ ...out, upcoming });
      c.say(`jobs: ${Object.entries(out.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      for (const j of out.jobs) {
        c.say(
          `  #${j.id} ${j.state.padEnd(7)} ${j.key}  attempt ${j.attempts}/${j.maxAttempts}${j.finishedAt ? `  finished ${j.finishedAt}` : j.state === 'queued' ? `  runs ${j.runAt}` : ''}${j.lockedBy ? `  on ${j.lockedBy}` : ''}`,
        );
        if (j.lastError && j.state !== 'done') c.say(`      error: ${j.lastError}`);
      }
      if (upcoming.length) c.say('upcoming:');
      for (const u of upcoming) c.say(`  ${u.name.padEnd(16)} ${u.next ?? 'never'}`);
      if (out.digests.length) c.say('recent digests:');
      for (const d of out.digests) c.say(`  ${d.profile}/${d.channel} ${d.windowFrom}..${d.windowTo}: ${d.state}${d.items !== undefined ? ` (${d.items} papers)` : ''}${d.error ? ` — ${d.error}` : ''}`);
    });

  jobs
    .command('retry')
    .description('put a failed job back in the queue with fresh attempts')
    .argument('<id>', 'job id (from `radar jobs`)')
    .action(async (id: string) => {
      const c = ctx();
      const ok = await c.withStore((s) => s.jobs.requeueJob(Number(id), c.now().toISOString()));
      if (!ok) throw new CliError(`job ${id} is not a failed job`, 1);
      if (c.json) c.emitJson({ requeued: Number(id) });
      c.say(`job ${id} queued again`);
    });

  jobs
    .command('run')
    .description('queue a configured job to run now (a worker or `radar serve` picks it up)')
    .argument('<name>', 'job name from the configuration')
    .option('--config <path>', 'configuration file')
    .action(async (name: string, opts: { config?: string }) => {
      const c = ctx();
      const config = loadCliConfig(c, opts.config);
      const slot = c.now().toISOString();
      const { job } = await c.withStore(async (s) => {
        const all = await schedulesFor(s, config)();
        const sched = all.find((j) => j.name === name);
        if (!sched) throw new CliError(`no job "${name}" in the configuration or the followed sources (have: ${all.map((j) => j.name).join(', ') || 'none'})`, 1);
        return s.jobs.enqueueJob({ ...jobForSlot(sched, slot), key: `${name}@manual:${slot}` }, slot);
      });
      if (c.json) c.emitJson(job);
      c.say(`queued job #${job.id} ${job.key}`);
    });
};
