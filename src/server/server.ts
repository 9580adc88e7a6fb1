/**
 * Everything `radar serve` runs besides the store: the app with its pages and
 * the optional services built from the store and the configuration. Tests
 * call `buildServer` too, so they exercise the same wiring as production.
 */
import type { FastifyInstance } from 'fastify';
import { openProfileDeps } from '../profile/deps.ts';
import type { ProfileDeps } from '../profile/model.ts';
import { openRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { webUi } from '../web/routes.tsx';
import { feedRanker } from '../digest/rank.ts';
import { JobRuntime } from '../jobs/runtime.ts';
import { buildApp, type ServerDeps, type ServerServices } from './app.ts';

export interface Server {
  app: FastifyInstance;
  /** Stops background work and the HTTP server (the store stays open: its owner closes it). */
  close(): Promise<void>;
  /** The scheduler and worker (src/jobs/runtime.ts), running when the configuration schedules jobs. */
  jobs?: JobRuntime;
}

/** Builds the services the store and configuration allow (each area adds its own here). */
export async function buildServices(deps: ServerDeps): Promise<ServerServices> {
  const services: ServerServices = { ...deps.services };
  if (!services.retrieval) {
    // Opened once, on first use; it follows index changes made by imports and other processes (catchUp).
    let opened: Promise<Retrieval> | undefined;
    services.retrieval = () => {
      opened ??= openRetrieval(deps.store).catch((err) => {
        opened = undefined;
        throw err;
      });
      return opened;
    };
  }
  if (!services.profileDeps) {
    // Features for every stored paper: built once on first use (not at start-up, so the server answers at once),
    // rebuilt on the next use after papers change.
    let cached: Promise<ProfileDeps> | undefined;
    services.profileDeps = () => {
      cached ??= openProfileDeps(deps.store).catch((err) => {
        cached = undefined;
        throw err;
      });
      return cached;
    };
    const previous = services.papersChanged;
    services.papersChanged = () => {
      cached = undefined;
      previous?.();
    };
  }
  return services;
}

export async function buildServer(deps: ServerDeps & { /** Run the configured jobs in this process (default: when any are configured). */ runJobs?: boolean }): Promise<Server> {
  const services = await buildServices(deps);
  const app = await buildApp({ ...deps, services }, webUi());
  const jobs =
    deps.runJobs !== false && deps.config?.jobs.length
      ? new JobRuntime({
          store: deps.store,
          config: deps.config,
          now: deps.now,
          log: deps.log ?? ((l) => process.stderr.write(`${l}\n`)),
          papersChanged: services.papersChanged,
          rank: services.profileDeps ? feedRanker(services.profileDeps) : undefined,
        })
      : undefined;
  jobs?.start();
  return {
    app,
    jobs,
    async close() {
      await jobs?.stop();
      await app.close();
    },
  };
}
