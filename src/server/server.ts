/**
 * Everything `radar serve` runs besides the store: the app with its pages and
 * the optional services built from the store and the configuration. Tests
 * call `buildServer` too, so they exercise the same wiring as production.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type ServerDeps, type ServerServices } from './app.ts';

export interface Server {
  app: FastifyInstance;
  /** Stops background work and the HTTP server (the store stays open: its owner closes it). */
  close(): Promise<void>;
}

/** Builds the services the store and configuration allow (each area adds its own here). */
export async function buildServices(deps: ServerDeps): Promise<ServerServices> {
  const services: ServerServices = { ...deps.services };
  return services;
}

export async function buildServer(deps: ServerDeps): Promise<Server> {
  const services = await buildServices(deps);
  const app = await buildApp({ ...deps, services });
  return {
    app,
    async close() {
      await app.close();
    },
  };
}
