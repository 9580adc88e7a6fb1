/**
 * Everything `radar serve` runs besides the store: the app with its pages and
 * the optional services built from the store and the configuration. Tests
 * call `buildServer` too, so they exercise the same wiring as production.
 */
import type { FastifyInstance } from 'fastify';
import type { ProfileDeps } from '../profile/model.ts';
import { searchDepsFor } from '../rank/search-deps.ts';
import type { Store } from '../store/types.ts';
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

/**
 * Opens the retrieval service; when its indexes cover fewer papers than the store holds (papers written
 * without the after-import hook), runs the incremental index maintenance first, as the CLI's feed does.
 */
async function openCurrentRetrieval(store: Store): Promise<Retrieval> {
  const r = await openRetrieval(store);
  const { total } = await store.listPapers({ sort: 'date', limit: 1 });
  if (r.papers < total) await r.refresh();
  return r;
}

/** What buildFeed needs, over an open retrieval service (as src/profile/deps.ts builds it for the CLI). */
function profileDepsFrom(store: Store, r: Retrieval): ProfileDeps {
  return {
    store,
    features: {
      get dims() {
        return r.dims;
      },
      async features(pks) {
        await r.catchUp();
        return r.features(pks);
      },
      term: (id) => r.term(id),
    },
  };
}

/** Builds the services the store and configuration allow (each area adds its own here). */
export async function buildServices(deps: ServerDeps): Promise<ServerServices> {
  const services: ServerServices = { ...deps.services };
  if (!services.retrieval) {
    // Opened once, on first use; it follows index changes made by imports and other processes (catchUp).
    let opened: Promise<Retrieval> | undefined;
    services.retrieval = () => {
      opened ??= openCurrentRetrieval(deps.store).catch((err) => {
        opened = undefined;
        throw err;
      });
      return opened;
    };
  }
  if (!services.search) {
    // Search (API and page) runs hybrid retrieval over the same retrieval service.
    const retrieval = services.retrieval;
    services.search = async () => searchDepsFor(deps.store, await retrieval());
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
