/**
 * Everything `radar serve` runs besides the store: one app with the JSON API
 * (src/server) and the pages (src/web) on the shared HTTP plumbing
 * (src/http), the optional services built from the store and the
 * configuration, and the scheduled jobs. It sits above both halves because it
 * is the one place that knows them both. Tests call `buildServer` too, so
 * they exercise the same wiring as production.
 */
import { TldrQueue } from '../vectors/tldr/queue.ts';
import type { FastifyInstance } from 'fastify';
import { profileDepsFrom } from '../profile/deps.ts';
import { vocabularyLoader } from '../rank/suggestion.ts';
import { searchDepsFor } from '../rank/search-deps.ts';
import { openCurrentRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';
import { webUi } from '../web/routes.tsx';
import { feedRanker } from '../digest/rank.ts';
import { JobRuntime } from '../jobs/runtime.ts';
import type { ServerDeps, ServerServices } from '../app/context.ts';
import { buildApp } from '../http/app.ts';
import { jsonApi } from '../server/api.ts';

export interface Server {
  app: FastifyInstance;
  /** Stops background work and the HTTP server (the store stays open: its owner closes it). */
  close(): Promise<void>;
  /** The scheduler and worker (src/jobs/runtime.ts), running when the configuration schedules jobs. */
  jobs?: JobRuntime;
}

/** What buildServer takes besides the app's deps. */
export interface ServerOptions {
  /** Run the configured jobs in this process (default: when any are configured). */
  runJobs?: boolean;
}

/** Builds the services the store and configuration allow (each area adds its own here). */
export async function buildServices(deps: ServerDeps): Promise<ServerServices> {
  const services: ServerServices = { ...deps.services };
  const setting = deps.embedder ?? resolveEmbedder();
  if (!services.retrieval) {
    // Opened once, on first use; it follows index changes made by imports and other processes (catchUp).
    // When a refresh is already running elsewhere it opens as is rather than hold the first request.
    let opened: Promise<Retrieval> | undefined;
    services.retrieval = () => {
      opened ??= openCurrentRetrieval(deps.store, { setting, onBusy: 'skip' }).catch((err) => {
        opened = undefined;
        throw err;
      });
      return opened;
    };
  }
  if (!services.search) {
    // Search (API and page) runs hybrid retrieval over the same retrieval service.
    const retrieval = services.retrieval;
    const vocabulary = vocabularyLoader(deps.store, { follow: true });
    services.search = async () => searchDepsFor(deps.store, await retrieval(), { vocabulary });
  }
  if (!services.profileDeps) {
    // The feed reads the same retrieval service as similar papers and search (one copy of the indexes in
    // memory); it follows new papers itself, so nothing is rebuilt after imports.
    const retrieval = services.retrieval;
    services.profileDeps = async () => profileDepsFrom(deps.store, await retrieval());
    const previous = services.papersChanged;
    services.papersChanged = () => {
      void retrieval().then((r) => r.catchUp(true)).catch(() => {});
      previous?.();
    };
  }
  services.topicsCache ??= new Map();
  const tldr = deps.config?.tldr;
  if (!services.tldr && tldr) services.tldr = new TldrQueue(deps.store, { ...tldr, log: deps.log });
  return services;
}

export async function buildServer(given: ServerDeps & ServerOptions): Promise<Server> {
  // One setting for queries, the import page and the jobs: one ONNX session or endpoint client.
  const deps = { ...given, embedder: given.embedder ?? resolveEmbedder() };
  const services = await buildServices(deps);
  const web = webUi();
  const app = await buildApp({ ...deps, services }, {
    api: jsonApi({ sendActionPage: web.sendActionPage }),
    pages: web.pages,
    htmlError: web.htmlError,
    signInPage: web.signInPage,
  });
  const jobs =
    // With a configuration (radar serve, npm start) the jobs always run: sources followed in the app and digests need no configured job.
    deps.runJobs !== false && deps.config
      ? new JobRuntime({
          store: deps.store,
          config: deps.config,
          now: deps.now,
          log: deps.log ?? ((l) => process.stderr.write(`${l}\n`)),
          papersChanged: services.papersChanged,
          embedder: deps.embedder,
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
