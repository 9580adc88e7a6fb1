/**
 * What application services run with: the store, the clock, the validated
 * configuration and the optional services built once at start-up (retrieval
 * indexes, search, feeds). The API routes and the pages hand the same context
 * to the same service functions; `appContext` fills the defaults.
 */
import type { RadarConfig } from '../config/schema.ts';
import type { Actor } from './accounts.ts';
import { FeedCache } from './feed-cache.ts';
import type { ProfileDeps } from '../profile/model.ts';
import type { SearchDeps } from '../rank/search.ts';
import type { Store } from '../store/types.ts';
import type { Retrieval } from '../vectors/retrieval.ts';
import { resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';

/**
 * Optional services other areas provide (each built once at start-up by
 * `radar serve`, absent in tests that do not need them). A route that needs
 * one answers 503 with a clear message when it is missing. Add yours here as
 * an optional field, with a one-line comment.
 */
export interface ServerServices {
  /** What profile feeds need (store + paper features), built on first use and cached (src/cli/http-app.ts). */
  profileDeps?: () => Promise<ProfileDeps>;
  /** Tells cached indexes that papers changed (after an import through the server). */
  papersChanged?: () => void;
  /** The retrieval service (representations, dense index): opened on first use, follows changes itself. */
  retrieval?: () => Promise<Retrieval>;
  /** What `GET /api/search` runs `searchPapers` with (a dense retriever and fusion for hybrid); default: keyword search on the store. */
  search?: () => Promise<SearchDeps>;
  /** Background TL;DR generation (src/vectors/tldr/queue.ts), when an endpoint is configured: `request` returns at once. */
  tldr?: { request(pks: number[]): void };
  /** Memo of the map and the trends per topic build (src/app/topics.ts); absent: computed per request. */
  topicsCache?: Map<string, Promise<unknown>>;
}

export interface ServerDeps {
  store: Store;
  /** The clock ("today" for listings, timestamps for notes and feedback). Default: real time. */
  now?: () => Date;
  /** Validated configuration (src/config); defaults apply when absent. */
  config?: RadarConfig;
  services?: ServerServices;
  /** Where unexpected errors are reported (default: stderr). Never sent to clients. */
  log?: (line: string) => void;
  /** Largest upload one request may carry (all its files together), bytes. Default 256 MiB. */
  maxUploadBytes?: number;
  /** Host names the server answers to besides the loopback ones (src/http/access.ts). */
  allowedHosts?: string[];
  /** Session cookies get `Secure` (the public URL is https). */
  secureCookies?: boolean;
  /** The dense model for queries and index maintenance (default: RADAR_EMBEDDER, else the model the indexes hold). */
  embedder?: EmbedderSetting;
}

/** The deps with defaults filled in: what services, API routes and pages receive. */
export interface AppContext {
  store: Store;
  now: () => Date;
  config?: RadarConfig;
  services: ServerServices;
  log: (line: string) => void;
  maxUploadBytes: number;
  /** Who the request acts for; `store` is that account's view. The context built at start-up acts for the local admin. */
  actor: Actor;
  secureCookies: boolean;
  embedder: EmbedderSetting;
  /** Feeds built for this server, kept until the corpus or the profile changes (feed-cache.ts). */
  feedCache: FeedCache;
}

export function appContext(deps: ServerDeps): AppContext {
  return {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    config: deps.config,
    services: deps.services ?? {},
    log: deps.log ?? ((line) => process.stderr.write(`${line}\n`)),
    maxUploadBytes: deps.maxUploadBytes ?? 256 * 1024 * 1024,
    actor: { via: 'local' },
    secureCookies: !!deps.secureCookies,
    embedder: deps.embedder ?? resolveEmbedder(),
    feedCache: new FeedCache(),
  };
}

/** The context acting for `actor`: its store sees that account's profiles, feedback, notes and collections only. */
export function forActor(ctx: AppContext, actor: Actor): AppContext {
  return { ...ctx, actor, store: actor.user ? ctx.store.forOwner(actor.user.userId) : ctx.store };
}
