/**
 * Incremental reads of a Zotero library through the Web API v3
 * (https://www.zotero.org/support/dev/web_api/v3/syncing).
 *
 * Every library has a version number that grows with each change. A sync
 * asks for what changed since the version it last saw:
 *  - `GET {lib}/items?since=V&includeTrashed=1` with `If-Modified-Since-Version: V`:
 *    a 304 means nothing changed; otherwise the changed items, paged by
 *    `start`/`limit` following the `Link: <…>; rel="next"` header, each page
 *    carrying the library's `Last-Modified-Version` — if that moves while
 *    paging, the library changed under us and the read starts again;
 *  - `GET {lib}/deleted?since=V`: the keys of items deleted for good.
 * Items moved to the trash come back with `deleted: 1` and count as removed.
 *
 * Rate limits: a `Backoff: N` header on any answer asks for N seconds of quiet
 * before the next request, which is honoured here; `429`/`503` with
 * `Retry-After` are retried by the shared HttpClient.
 */
import { HttpError, realSleep, type HttpClient, type HttpResponse } from '../http/client.ts';
import type { ZoteroItemData } from './item.ts';

export interface ZoteroWebLibrary {
  /** API root, e.g. https://api.zotero.org */
  baseUrl: string;
  type: 'user' | 'group';
  id: string;
  apiKey: string;
}

export interface ZoteroWebDeps {
  client: HttpClient;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Items per page (the API's maximum and the default: 100). */
  pageSize?: number;
}

export interface ZoteroChanges {
  /** The library version these changes bring us to (pass as `since` next time). */
  version: number;
  notModified: boolean;
  changed: ZoteroItemData[];
  /** Keys of items deleted for good. */
  deleted: string[];
  requests: number;
}

export interface ZoteroCollectionInfo {
  key: string;
  name: string;
  parent?: string;
}

export class ZoteroApiError extends Error {
  override name = 'ZoteroApiError';
}

const PAGE = 100;
const RESTARTS = 3;

function libPath(lib: ZoteroWebLibrary): string {
  if (!/^\d+$/.test(lib.id)) throw new ZoteroApiError(`Zotero ${lib.type} id must be a number, got "${lib.id}"`);
  return `${lib.baseUrl.replace(/\/+$/, '')}/${lib.type === 'user' ? 'users' : 'groups'}/${lib.id}`;
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** One sync's requests: counts them and carries a Backoff from one request to the next, across calls. */
export class ZoteroSession {
  requests = 0;
  /** Set by a Backoff header; waited for before the next request. */
  private pendingBackoffMs = 0;
  constructor(
    private readonly deps: ZoteroWebDeps,
    private readonly lib: ZoteroWebLibrary,
  ) {}

  async get(url: string, extra: Record<string, string> = {}): Promise<HttpResponse | 'not-modified'> {
    this.requests++;
    let res: HttpResponse;
    try {
      res = await this.deps.client.getText(url, { 'zotero-api-version': '3', 'zotero-api-key': this.lib.apiKey, accept: 'application/json', ...extra });
    } catch (err) {
      if (err instanceof HttpError && err.status === 304) return 'not-modified';
      if (err instanceof HttpError && (err.status === 403 || err.status === 401)) {
        throw new ZoteroApiError(`Zotero refused the API key for ${this.lib.type} library ${this.lib.id} (${err.status}): check that the key exists and may read this library`);
      }
      if (err instanceof HttpError && err.status === 404) throw new ZoteroApiError(`Zotero has no ${this.lib.type} library ${this.lib.id} (404)`);
      throw err;
    }
    const backoff = Number(res.headers.get('backoff'));
    if (Number.isFinite(backoff) && backoff > 0) {
      this.deps.log?.(`zotero: server asks for ${backoff} s of quiet (Backoff)`);
      this.pendingBackoffMs = backoff * 1000;
    }
    return res;
  }

  async honourBackoff(): Promise<void> {
    if (this.pendingBackoffMs > 0) {
      const ms = this.pendingBackoffMs;
      this.pendingBackoffMs = 0;
      await (this.deps.sleep ?? realSleep)(ms);
    }
  }
}

function versionOf(res: HttpResponse): number {
  const v = Number(res.headers.get('last-modified-version'));
  if (!Number.isInteger(v) || v < 0) throw new ZoteroApiError(`${res.url}: answer without a Last-Modified-Version header`);
  return v;
}

function parseJson<T>(res: HttpResponse, what: string): T {
  try {
    return JSON.parse(res.text) as T;
  } catch (err) {
    throw new ZoteroApiError(`${res.url}: ${what} is not JSON: ${(err as Error).message}`);
  }
}

/** Everything in the library changed since `since` (0: everything there is). */
export async function zoteroChanges(deps: ZoteroWebDeps, lib: ZoteroWebLibrary, since: number, session = new ZoteroSession(deps, lib)): Promise<ZoteroChanges> {
  const base = libPath(lib);
  for (let attempt = 0; attempt <= RESTARTS; attempt++) {
    const changed: ZoteroItemData[] = [];
    const first = new URL(`${base}/items`);
    first.searchParams.set('since', String(since));
    first.searchParams.set('includeTrashed', '1');
    first.searchParams.set('format', 'json');
    first.searchParams.set('limit', String(deps.pageSize ?? PAGE));
    first.searchParams.set('start', '0');
    let url: string | undefined = first.toString();
    let version: number | undefined;
    let moved = false;
    while (url) {
      await session.honourBackoff();
      const res = await session.get(url, version === undefined && since > 0 ? { 'if-modified-since-version': String(since) } : {});
      if (res === 'not-modified') return { version: since, notModified: true, changed: [], deleted: [], requests: session.requests };
      const v = versionOf(res);
      if (version !== undefined && v !== version) {
        moved = true;
        break;
      }
      version = v;
      const page = parseJson<unknown>(res, 'the items page');
      if (!Array.isArray(page)) throw new ZoteroApiError(`${res.url}: expected a list of items`);
      for (const entry of page) {
        const data = (entry as { data?: ZoteroItemData }).data;
        if (data && typeof data.key === 'string' && typeof data.itemType === 'string') changed.push(data);
      }
      deps.log?.(`zotero: ${changed.length}/${res.headers.get('total-results') ?? '?'} changed item(s) read`);
      url = nextLink(res.headers.get('link'));
    }
    if (moved) {
      deps.log?.('zotero: the library changed while it was read; reading again');
      continue;
    }
    await session.honourBackoff();
    const del = await session.get(`${base}/deleted?since=${since}`);
    if (del === 'not-modified') return { version: version!, notModified: false, changed, deleted: [], requests: session.requests };
    if (versionOf(del) !== version) {
      deps.log?.('zotero: the library changed while it was read; reading again');
      continue;
    }
    const deleted = parseJson<{ items?: unknown }>(del, 'the deleted list').items;
    return {
      version: version!,
      notModified: false,
      changed,
      deleted: Array.isArray(deleted) ? deleted.filter((k): k is string => typeof k === 'string') : [],
      requests: session.requests,
    };
  }
  throw new ZoteroApiError(`Zotero ${lib.type} library ${lib.id} kept changing while it was read (${RESTARTS + 1} tries); try again later`);
}

/** The library's collections (for following one by name, with its subcollections). */
export async function zoteroCollections(deps: ZoteroWebDeps, lib: ZoteroWebLibrary, session = new ZoteroSession(deps, lib)): Promise<ZoteroCollectionInfo[]> {
  const out: ZoteroCollectionInfo[] = [];
  let url: string | undefined = `${libPath(lib)}/collections?format=json&limit=${PAGE}&start=0`;
  while (url) {
    await session.honourBackoff();
    const res = await session.get(url);
    if (res === 'not-modified') break;
    const page = parseJson<unknown>(res, 'the collections page');
    if (!Array.isArray(page)) throw new ZoteroApiError(`${res.url}: expected a list of collections`);
    for (const c of page as { data?: { key?: string; name?: string; parentCollection?: string | false; deleted?: boolean } }[]) {
      if (!c.data?.key || c.data.deleted) continue;
      out.push({ key: c.data.key, name: c.data.name ?? '', parent: c.data.parentCollection || undefined });
    }
    url = nextLink(res.headers.get('link'));
  }
  return out;
}
