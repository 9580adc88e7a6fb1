/**
 * Everything `radar serve` runs besides the store: the app with its pages and
 * the optional services built from the store and the configuration. Tests
 * call `buildServer` too, so they exercise the same wiring as production.
 */
import type { FastifyInstance } from 'fastify';
import { webUi } from '../web/routes.tsx';
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
  return services;
}

export async function buildServer(deps: ServerDeps & { /** Run the configured jobs in this process (default: when any are configured). */ runJobs?: boolean }): Promise<Server> {
  const services = await buildServices(deps);
  const app = await buildApp({ ...deps, services }, webUi());
  const jobs =
    deps.runJobs !== false && deps.config?.jobs.length
      ? new JobRuntime({ store: deps.store, config: deps.config, now: deps.now, log: deps.log ?? ((l) => process.stderr.write(`${l}\n`)) })
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
