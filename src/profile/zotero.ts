/**
 * A profile that follows a Zotero library (or one collection of it): its
 * papers are the library's papers, kept up to date by `syncZotero` (the
 * `zotero-sync` job and `radar profile sync-zotero`).
 *
 * What is followed lives in the profile's settings (`settings.zotero`), so an
 * export carries it. What the last sync saw — the Web API library version and
 * which Zotero item became which paper — is small state in the database
 * (`zotero-sync:<profileId>`); without it (a restored profile, a changed
 * follow) the next sync reads the whole library again.
 *
 * Links the sync makes carry the origin `zotero:…`. A paper that leaves the
 * library (removed from the collection, trashed, deleted) loses that link; a
 * paper the profile holds for another reason (a publication list, added by
 * hand) keeps its own link whatever Zotero does.
 */
import { runAfterImport, type AfterImportHook } from '../ingest/after-import.ts';
import type { HttpClient } from '../ingest/http/client.ts';
import { zoteroItemToRecord, type ZoteroItemData } from '../ingest/zotero/item.ts';
import { readZoteroLibrary } from '../ingest/zotero/sqlite.ts';
import { ZoteroSession, zoteroChanges, zoteroCollections, type ZoteroWebLibrary } from '../ingest/zotero/web-api.ts';
import { validateRecord } from '../paper/record.ts';
import type { PaperRecord } from '../paper/types.ts';
import type { ImportReport } from '../ingest/types.ts';
import type { Profile, Store } from '../store/types.ts';
import { refreshIndexesHook } from '../vectors/hook.ts';
import { ProfileError, requireProfile, validateProfileName } from './profiles.ts';

export type ZoteroFollow =
  | { kind: 'sqlite'; path: string; group?: string; collection?: string }
  | { kind: 'web'; library: 'user' | 'group'; id: string; apiKey: string; collection?: string };

export interface ZoteroSyncDeps {
  store: Store;
  now: () => Date;
  /** Needed for a Web API follow. */
  client?: HttpClient;
  /** Web API root (config `sources.zoteroApi`). */
  apiBase?: string;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  /** Web API items per page (default 100). */
  pageSize?: number;
  /** Run after a sync that changed papers (default: index maintenance; [] for none). */
  afterImport?: readonly AfterImportHook[];
}

export interface ZoteroSyncReport {
  profile: string;
  /** Items of the library now followed. */
  items: number;
  /** Paper links added to and removed from the profile. */
  linked: number;
  unlinked: number;
  /** Web API: the library version reached, and whether nothing had changed (304). */
  version?: number;
  notModified?: boolean;
  requests: number;
  problems: string[];
}

interface SyncState {
  follow: string;
  version: number;
  /** Zotero item key → the paper's id when it was stored (ids of merged-away papers still resolve). */
  items: Record<string, string>;
}

const stateKey = (p: Profile) => `zotero-sync:${p.profileId}`;
/** Which follow a state belongs to: a changed path, library or collection starts over. */
const followId = (f: ZoteroFollow) => JSON.stringify(f.kind === 'sqlite' ? [f.kind, f.path, f.group ?? '', f.collection ?? ''] : [f.kind, f.library, f.id, f.collection ?? '']);

export function followOf(p: Profile): ZoteroFollow | undefined {
  const z = p.settings.zotero as ZoteroFollow | undefined;
  return z && (z.kind === 'sqlite' || z.kind === 'web') ? z : undefined;
}

/** Makes `name` follow a library (creating the profile when there is none); the caller then syncs. */
export async function followZotero(store: Store, name: string, follow: ZoteroFollow, now: Date): Promise<Profile> {
  const n = validateProfileName(name);
  const existing = await store.profiles.getProfile(n);
  if (!existing) return store.profiles.createProfile(n, { zotero: follow }, now.toISOString());
  const updated = await store.profiles.updateProfileSettings(existing.profileId, { ...existing.settings, zotero: follow }, now.toISOString());
  return updated!;
}

/** Stops following; the papers stay in the profile unless `dropPapers`. */
export async function unfollowZotero(store: Store, name: string, now: Date, dropPapers = false): Promise<number> {
  const p = await requireProfile(store, name);
  const { zotero: _z, ...rest } = p.settings;
  await store.profiles.updateProfileSettings(p.profileId, rest, now.toISOString());
  await store.jobs.putState(stateKey(p), null, now.toISOString());
  if (!dropPapers) return 0;
  const links = (await store.profiles.profilePapers(p.profileId)).filter((l) => l.origin.startsWith('zotero:'));
  return store.profiles.removeProfilePapers(p.profileId, links.map((l) => l.pk));
}

function webLibrary(deps: ZoteroSyncDeps, f: Extract<ZoteroFollow, { kind: 'web' }>): ZoteroWebLibrary {
  return { baseUrl: deps.apiBase ?? 'https://api.zotero.org', type: f.library, id: f.id, apiKey: f.apiKey };
}

/** Collection keys the follow covers (it and its subcollections), or undefined for the whole library. */
async function webCollectionKeys(deps: ZoteroSyncDeps, f: Extract<ZoteroFollow, { kind: 'web' }>, session: ZoteroSession): Promise<Set<string> | undefined> {
  if (!f.collection) return undefined;
  const all = await zoteroCollections({ client: deps.client!, sleep: deps.sleep, log: deps.log }, webLibrary(deps, f), session);
  const root = all.find((c) => c.key === f.collection) ?? all.find((c) => c.name === f.collection);
  if (!root) throw new ProfileError(`Zotero ${f.library} library ${f.id} has no collection "${f.collection}" (collections: ${all.map((c) => c.name).slice(0, 20).join(', ') || 'none'})`);
  const keys = new Set([root.key]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of all) if (c.parent && keys.has(c.parent) && !keys.has(c.key)) (keys.add(c.key), (grew = true));
  }
  return keys;
}

export async function syncZotero(deps: ZoteroSyncDeps, name: string): Promise<ZoteroSyncReport> {
  const profile = await requireProfile(deps.store, name);
  const follow = followOf(profile);
  if (!follow) throw new ProfileError(`profile "${profile.name}" follows no Zotero library (radar profile follow-zotero)`);
  const saved = (await deps.store.jobs.getState(stateKey(profile))) as SyncState | null | undefined;
  const state: SyncState = saved && saved.follow === followId(follow) ? { ...saved, items: { ...saved.items } } : { follow: followId(follow), version: 0, items: {} };
  const report: ZoteroSyncReport = { profile: profile.name, items: 0, linked: 0, unlinked: 0, requests: 0, problems: [] };
  const seenAt = deps.now().toISOString();
  const label = follow.kind === 'sqlite' ? `sqlite:${follow.path}` : `${follow.library}:${follow.id}`;
  const toStore: { key: string; record: PaperRecord }[] = [];
  const take = (d: ZoteroItemData) => {
    const r = zoteroItemToRecord(d, { kind: 'zotero', locator: `zotero:${label}/${d.key}`, seenAt });
    report.problems.push(...r.problems.map((p) => `${p.locator}: ${p.message}`));
    if (!r.record) return false;
    const v = validateRecord(r.record);
    for (const p of v.problems) if (p.severity === 'error') report.problems.push(`${p.locator}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
    if (!v.record) return false;
    toStore.push({ key: d.key, record: v.record });
    return true;
  };

  if (follow.kind === 'sqlite') {
    const read = readZoteroLibrary(follow);
    deps.log?.(`zotero: ${read.items.length} item(s) in ${follow.path}${read.collection ? `, collection ${read.collection.name}` : ''}`);
    // The local database is read whole each time: what is not in it now is no longer followed.
    state.items = {};
    for (const d of read.items) take(d);
  } else {
    if (!deps.client) throw new Error('syncZotero: a Web API follow needs an HTTP client');
    if (!follow.apiKey) {
      // A restored profile: exports leave keys out.
      throw new ProfileError(`profile "${profile.name}" follows Zotero ${follow.library} library ${follow.id} but has no API key; give it again with radar profile follow-zotero ${profile.name} --${follow.library} ${follow.id} --key KEY`);
    }
    const session = new ZoteroSession({ client: deps.client, sleep: deps.sleep, log: deps.log }, webLibrary(deps, follow));
    const keys = await webCollectionKeys(deps, follow, session);
    const changes = await zoteroChanges({ client: deps.client, sleep: deps.sleep, log: deps.log, pageSize: deps.pageSize }, webLibrary(deps, follow), state.version, session);
    report.requests = session.requests;
    report.notModified = changes.notModified;
    for (const d of changes.changed) {
      const inScope = !d.deleted && (!keys || (d.collections ?? []).some((k) => keys.has(k)));
      // Changed out of scope (trashed, moved out of the collection, now a note): no longer followed.
      if (!inScope || !take(d)) delete state.items[d.key];
    }
    for (const key of changes.deleted) delete state.items[key];
    state.version = changes.version;
    report.version = changes.version;
  }

  let changedPapers = 0;
  for (let i = 0; i < toStore.length; i += 500) {
    const batch = toStore.slice(i, i + 500);
    const res = await deps.store.papers.upsertPapers(batch.map((b) => b.record), seenAt);
    changedPapers += res.counts.added + res.counts.updated + res.counts.merged;
    const keyOf = new Map(batch.map((b) => [b.record.source.locator, b.key]));
    for (const o of res.outcomes) {
      const key = keyOf.get(o.locator);
      if (key) state.items[key] = o.id;
    }
  }
  report.items = Object.keys(state.items).length;

  const wanted = new Set<number>();
  for (const id of new Set(Object.values(state.items))) {
    const p = await deps.store.papers.getPaper(id);
    if (p) wanted.add(p.pk);
  }
  const links = await deps.store.profiles.profilePapers(profile.profileId);
  const stale = links.filter((l) => l.origin.startsWith('zotero:') && !wanted.has(l.pk)).map((l) => l.pk);
  report.unlinked = stale.length ? await deps.store.profiles.removeProfilePapers(profile.profileId, stale) : 0;
  report.linked = await deps.store.profiles.addProfilePapers(profile.profileId, [...wanted].map((pk) => ({ pk, origin: `zotero:${label}` })), seenAt);
  await deps.store.jobs.putState(stateKey(profile), state, seenAt);

  const hooks = deps.afterImport ?? [refreshIndexesHook()];
  if (hooks.length && changedPapers > 0) {
    const totals = { added: 0, updated: changedPapers, unchanged: 0, merged: 0, records: toStore.length, rejected: 0, warnings: 0, unreadable: 0 };
    const importReport: ImportReport = { files: [], totals };
    for (const h of await runAfterImport(deps.store, importReport, hooks)) if (!h.ok) report.problems.push(`after sync, ${h.name}: ${h.error}`);
  }
  return report;
}

/** Syncs every profile that follows a library (or the named ones); one failing does not stop the others. */
export async function syncAllZotero(deps: ZoteroSyncDeps, names?: string[]): Promise<{ reports: ZoteroSyncReport[]; failures: { profile: string; error: string }[] }> {
  const profiles = names?.length ? names : (await deps.store.profiles.listProfiles()).filter((p) => followOf(p)).map((p) => p.name);
  const reports: ZoteroSyncReport[] = [];
  const failures: { profile: string; error: string }[] = [];
  for (const name of profiles) {
    try {
      reports.push(await syncZotero(deps, name));
    } catch (err) {
      failures.push({ profile: name, error: (err as Error).message });
      deps.log?.(`zotero sync of ${name} failed: ${(err as Error).message}`);
    }
  }
  return { reports, failures };
}
