/**
 * The background side of Paper Radar, as `radar serve` and `radar worker` run
 * it: the scheduler turning configured cron slots into jobs, and a worker
 * running due jobs, over one store. Built from the validated configuration;
 * the clock is injected so tests advance time instead of waiting for it.
 */
import { userAgentFor } from '../config/load.ts';
import type { RadarConfig } from '../config/schema.ts';
import { missingDigestProfiles } from '../digest/check.ts';
import type { Mailer } from '../digest/deliver.ts';
import { settingsMailer } from '../digest/smtp-settings.ts';
import { feedRanker } from '../digest/rank.ts';
import type { RankFn } from '../digest/send.ts';
import { HttpClient } from '../ingest/http/client.ts';
import type { Store } from '../store/types.ts';
import { refreshIndexes } from '../vectors/refresh.ts';
import { refreshOptionsFor, resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';
import { jobHandlers, missingHandlers, type HandlerDeps } from './handlers.ts';
import { Scheduler } from './scheduler.ts';
import { schedulesFor } from './sources.ts';
import { defaultWorkerId, Worker } from './worker.ts';

export interface RuntimeOptions {
  store: Store;
  config: RadarConfig;
  now?: () => Date;
  log?: (line: string) => void;
  workerId?: string;
  /** Overrides for tests and embedders; by default built from the configuration. */
  client?: HttpClient;
  mailer?: Mailer;
  rank?: RankFn;
  refreshIndexes?: HandlerDeps['refreshIndexes'];
  /** The dense model the refresh-indexes job and fetches maintain (default: RADAR_EMBEDDER, else the store's). */
  embedder?: EmbedderSetting;
  /** Told when a job changed papers (the server's cached features). */
  papersChanged?: () => void;
  /** Turn schedule slots into jobs (default true). A pure worker pool may leave scheduling to others; duplicates are harmless. */
  schedule?: boolean;
}

export function httpClientFor(config: RadarConfig, log?: (line: string) => void): HttpClient {
  return new HttpClient({
    userAgent: userAgentFor(config),
    minIntervalMs: config.http.minIntervalMs,
    timeoutMs: config.http.timeoutMs,
    maxRetries: config.http.maxRetries,
    baseBackoffMs: config.http.baseBackoffMs,
    maxBackoffMs: config.http.maxBackoffMs,
    log,
  });
}

/**
 * The `refresh-indexes` task: incremental index maintenance (src/vectors/refresh.ts) with the process's
 * embedder setting and its progress in the job log. When another process (an import's hook, a server
 * starting) is refreshing, the job skips: that refresh covers the same papers, and the next slot follows.
 */
function refreshTask(setting: EmbedderSetting): NonNullable<HandlerDeps['refreshIndexes']> {
  return async (store, log) => {
    let last = 0;
    return refreshIndexes(store, {
      ...refreshOptionsFor(setting),
      onBusy: 'skip',
      progress: (p) => {
        if (!p.message && Date.now() - last < 5000) return;
        last = Date.now();
        log(`${p.stage}: ${p.done}${p.total ? `/${p.total}` : ''}${p.message ? ` ${p.message}` : ''}`);
      },
    });
  };
}

export class JobRuntime {
  readonly worker: Worker;
  readonly scheduler: Scheduler;
  private readonly mailer?: Mailer;
  private lastTick = 0;
  private checked = false;

  constructor(private readonly opts: RuntimeOptions) {
    const { store, config } = opts;
    const now = opts.now ?? (() => new Date());
    const log = opts.log ?? (() => {});
    const workerId = opts.workerId ?? defaultWorkerId();
    const embedder = opts.embedder ?? resolveEmbedder();
    // SMTP from the file or, failing that, the mail settings page: looked up per message.
    this.mailer = opts.mailer ?? settingsMailer(store, config);
    const handlers = jobHandlers({
      store,
      config,
      client: opts.client ?? httpClientFor(config, log),
      rank: opts.rank ?? feedRanker(store),
      // A test's ranking stands for every account's; by default each account's profiles rank through its own view.
      rankFor: opts.rank ? () => opts.rank! : undefined,
      mailer: this.mailer,
      embedder,
      refreshIndexes: opts.refreshIndexes ?? refreshTask(embedder),
      papersChanged: opts.papersChanged,
      workerId,
    });
    const missing = missingHandlers(config, handlers);
    if (missing.length) throw new Error(`cannot run the configured jobs:\n  - ${missing.join('\n  - ')}`);
    this.scheduler = new Scheduler(store.jobs, schedulesFor(store, config), { timezone: config.timezone, now, log });
    this.worker = new Worker({
      store: store.jobs,
      handlers,
      id: workerId,
      leaseMs: config.worker.leaseMs,
      pollMs: config.worker.pollMs,
      retryBaseMs: config.worker.retryBaseMs,
      now,
      log,
    });
  }

  /** Enqueues due schedule slots (at most once per `tickMs` of real time). */
  async tick(force = false): Promise<void> {
    if (this.opts.schedule === false) return;
    if (!force && Date.now() - this.lastTick < this.opts.config.worker.tickMs) return;
    this.lastTick = Date.now();
    await this.scheduler.tick();
  }

  /** Scheduling and working in the background until `stop()`. */
  start(): void {
    void this.checkProfiles();
    this.worker.start(() => this.tick());
  }

  /** One round: schedule what is due, run every due job; returns how many ran. */
  async runOnce(): Promise<number> {
    await this.checkProfiles();
    await this.tick(true);
    return this.worker.runUntilIdle();
  }

  /** Once per process: names configured digest profiles the database lacks (a warning: they can be created later). */
  private async checkProfiles(): Promise<void> {
    if (this.checked) return;
    this.checked = true;
    const log = this.opts.log ?? (() => {});
    try {
      for (const line of await missingDigestProfiles(this.opts.config, this.opts.store.profiles)) log(`configuration warning: ${line}`);
    } catch (err) {
      log(`configuration check of digest profiles failed: ${(err as Error).message}`);
    }
  }

  /** Wakes the loop now (after a test advanced the clock). */
  poke(): void {
    this.lastTick = 0;
    this.worker.poke();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    this.mailer?.close();
  }
}
