import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followZotero, syncZotero, type ZoteroSyncDeps } from '../../src/profile/zotero.ts';
import type { Store } from '../../src/store/types.ts';
import { fetchDeps } from '../ingest/http/helpers.ts';
import { fixture, replayServer, type RecordedRequest, type Reply } from '../ingest/http/replay-server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { sampleLibrary, ZoteroFixture } from '../fixtures/zotero/build-zotero-sqlite.ts';

const NOW = new Date('2025-10-21T08:00:00Z');

async function profileIds(store: Store, name: string): Promise<string[]> {
  const p = (await store.profiles.getProfile(name))!;
  const links = await store.profiles.profilePapers(p.profileId);
  return (await store.papers.getPapersByPk(links.map((l) => l.pk))).map((x) => x.id).sort();
}

describe('a profile following a local zotero.sqlite', () => {
  it('takes the collection’s papers, then follows additions, removals and the trash; other links stay', async () => {
    const path = join(tempDir(), 'zotero.sqlite');
    const z = new ZoteroFixture(path, 7);
    sampleLibrary(z);
    const { store } = fetchDeps();
    const deps: ZoteroSyncDeps = { store, now: () => NOW, afterImport: [] };
    await followZotero(store, 'lab', { kind: 'sqlite', path, collection: 'Reading' }, NOW);
    const first = await syncZotero(deps, 'lab');
    expect(first).toMatchObject({ items: 2, linked: 2, unlinked: 0, problems: [] });
    expect(await profileIds(store, 'lab')).toEqual(['arxiv:2309.06781', 'arxiv:2510.05069']);

    // A paper the user added by hand to the profile is not Zotero's to remove.
    const manual = await store.papers.upsertPapers([{ doi: '10.1000/hand', title: 'Added By Hand', source: { kind: 'manual', locator: 'cli', seenAt: NOW.toISOString() } }], NOW.toISOString());
    const profile = (await store.profiles.getProfile('lab'))!;
    await store.profiles.addProfilePapers(profile.profileId, [{ pk: manual.outcomes[0].pk, origin: 'manual' }], NOW.toISOString());

    // In Zotero: a new paper in the subcollection, one paper moved out, one trashed.
    z.addItem({ key: 'QRST2345', itemType: 'preprint', fields: { title: 'Linguistic Collapse: Neural Collapse in (Large) Language Models', archiveID: 'arXiv:2405.17767' }, collections: ['COLLNC01'] });
    z.removeFromCollection('EFGH6789', 'COLLNC01');
    z.trash('ABCD2345');
    const second = await syncZotero(deps, 'lab');
    expect(second).toMatchObject({ items: 1, linked: 1, unlinked: 2 });
    expect(await profileIds(store, 'lab')).toEqual(['arxiv:2405.17767', 'doi:10.1000/hand']);
    z.close();

    // Nothing changed: nothing moves.
    expect(await syncZotero(deps, 'lab')).toMatchObject({ items: 1, linked: 0, unlinked: 0 });
  });

  it('reports an unreadable library by path and keeps the profile as it was', async () => {
    const { store } = fetchDeps();
    await followZotero(store, 'p', { kind: 'sqlite', path: join(tempDir(), 'gone.sqlite') }, NOW);
    await expect(syncZotero({ store, now: () => NOW }, 'p')).rejects.toThrow(/gone\.sqlite: no such file/);
    await expect(syncZotero({ store, now: () => NOW }, 'nobody')).rejects.toThrow(/no profile named "nobody"/);
  });
});

/**
 * A loopback Zotero Web API replaying recorded answers: the library at version
 * 1208 (three papers and a note, two pages of two), then at 1215 (one paper
 * trashed, one added, one deleted for good).
 */
function zoteroServer(s: Awaited<ReturnType<typeof replayServer>>, opts: { version: () => number }) {
  const json = { 'content-type': 'application/json' };
  const items = (r: RecordedRequest): Reply => {
    const since = Number(r.query.get('since'));
    const v = opts.version();
    if (r.headers['if-modified-since-version'] === String(v)) return { status: 304, headers: { 'last-modified-version': String(v) } };
    if (since === 0) {
      const start = Number(r.query.get('start'));
      const next = `${s.url}${r.path}?since=0&includeTrashed=1&format=json&limit=2&start=2`;
      return start === 0
        ? { headers: { ...json, 'last-modified-version': '1208', 'total-results': '4', link: `<${next}>; rel="next", <${next}>; rel="last"`, backoff: '3' }, body: fixture('zotero/items-since0-start0.json') }
        : { headers: { ...json, 'last-modified-version': '1208', 'total-results': '4' }, body: fixture('zotero/items-since0-start2.json') };
    }
    return { headers: { ...json, 'last-modified-version': String(v), 'total-results': '2' }, body: fixture('zotero/items-since1208.json') };
  };
  s.on('/users/475425/items', items);
  s.on('/users/475425/deleted', (r) => ({
    headers: { ...json, 'last-modified-version': String(opts.version()) },
    body: fixture(r.query.get('since') === '0' ? 'zotero/deleted-since0.json' : 'zotero/deleted-since1208.json'),
  }));
  s.on('/users/475425/collections', { headers: { ...json, 'last-modified-version': '1208', 'total-results': '3' }, body: fixture('zotero/collections.json') });
}

describe('a profile following a Zotero library through the Web API', () => {
  it('syncs by library version: full read in pages, 304 when unchanged, then only the changes; honours Backoff and 429', async () => {
    const s = await replayServer();
    let version = 1208;
    zoteroServer(s, { version: () => version });
    const http = fetchDeps();
    const sleeps: number[] = [];
    const deps: ZoteroSyncDeps = { store: http.store, client: http.client, apiBase: s.url, now: () => NOW, pageSize: 2, afterImport: [], sleep: async (ms) => void sleeps.push(ms) };
    await followZotero(http.store, 'me', { kind: 'web', library: 'user', id: '475425', apiKey: 'P9NiFoyLeZu2bZNvvuQPDWsd' }, NOW);

    const first = await syncZotero(deps, 'me');
    expect(first).toMatchObject({ version: 1208, notModified: false, items: 3, linked: 3, requests: 3 });
    const itemReqs = s.requestsTo('/users/475425/items');
    expect(itemReqs.map((r) => r.query.get('start'))).toEqual(['0', '2']);
    expect(itemReqs[0].headers['zotero-api-key']).toBe('P9NiFoyLeZu2bZNvvuQPDWsd');
    expect(itemReqs[0].headers['zotero-api-version']).toBe('3');
    expect(itemReqs[0].headers['if-modified-since-version']).toBeUndefined();
    expect(sleeps).toEqual([3000]);
    expect(await profileIds(http.store, 'me')).toEqual(['arxiv:2309.06781', 'arxiv:2510.05069', 'doi:10.1109/cvpr.2016.90']);

    // Unchanged library: one conditional request, answered 304.
    const second = await syncZotero(deps, 'me');
    expect(second).toMatchObject({ notModified: true, version: 1208, linked: 0, unlinked: 0, requests: 1 });
    expect(s.requestsTo('/users/475425/items').at(-1)!.headers['if-modified-since-version']).toBe('1208');

    // The library moves on; the first answer is a 429 with Retry-After.
    version = 1215;
    s.on((r) => r.path === '/users/475425/items' && r.query.get('since') === '1208', [
      { status: 429, headers: { 'retry-after': '2' }, body: 'Too Many Requests' },
      { headers: { 'content-type': 'application/json', 'last-modified-version': '1215' }, body: fixture('zotero/items-since1208.json') },
    ]);
    const third = await syncZotero(deps, 'me');
    expect(http.waits).toContain(2000);
    expect(third).toMatchObject({ version: 1215, items: 2, linked: 1, unlinked: 2 });
    expect(await profileIds(http.store, 'me')).toEqual(['arxiv:2309.06781', 'arxiv:2405.17767']);
  });

  it('follows one collection with its subcollections', async () => {
    const s = await replayServer();
    zoteroServer(s, { version: () => 1208 });
    const http = fetchDeps();
    const deps: ZoteroSyncDeps = { store: http.store, client: http.client, apiBase: s.url, now: () => NOW, pageSize: 2, afterImport: [], sleep: async () => {} };
    await followZotero(http.store, 'nc', { kind: 'web', library: 'user', id: '475425', apiKey: 'k', collection: 'Reading' }, NOW);
    expect(await syncZotero(deps, 'nc')).toMatchObject({ items: 2 });
    expect(await profileIds(http.store, 'nc')).toEqual(['arxiv:2309.06781', 'arxiv:2510.05069']);
  });

  it('reads again when the library changes between pages, and says so when the key is refused', async () => {
    const s = await replayServer();
    let calls = 0;
    s.on('/users/475425/items', (r): Reply => {
      calls++;
      const start = r.query.get('start');
      // The first pass sees version 1208 on its first page and 1209 on its second; the second pass is consistent.
      const v = calls === 1 ? '1208' : '1209';
      const next = `${s.url}/users/475425/items?since=0&includeTrashed=1&format=json&limit=2&start=2`;
      return start === '0'
        ? { headers: { 'last-modified-version': v, link: `<${next}>; rel="next"` }, body: fixture('zotero/items-since0-start0.json') }
        : { headers: { 'last-modified-version': v }, body: fixture('zotero/items-since0-start2.json') };
    });
    s.on('/users/475425/deleted', { headers: { 'last-modified-version': '1209' }, body: fixture('zotero/deleted-since0.json') });
    const http = fetchDeps();
    const deps: ZoteroSyncDeps = { store: http.store, client: http.client, apiBase: s.url, now: () => NOW, pageSize: 2, afterImport: [], sleep: async () => {} };
    await followZotero(http.store, 'me', { kind: 'web', library: 'user', id: '475425', apiKey: 'k' }, NOW);
    expect(await syncZotero(deps, 'me')).toMatchObject({ version: 1209, items: 3 });
    expect(s.requestsTo('/users/475425/items').map((r) => r.query.get('start'))).toEqual(['0', '2', '0', '2']);

    const refused = await replayServer();
    refused.on('/users/475425/items', { status: 403, body: 'Forbidden' });
    const h2 = fetchDeps();
    await followZotero(h2.store, 'me', { kind: 'web', library: 'user', id: '475425', apiKey: 'bad' }, NOW);
    await expect(syncZotero({ ...deps, store: h2.store, client: h2.client, apiBase: refused.url }, 'me')).rejects.toThrow(/Zotero refused the API key for user library 475425 \(403\)/);
    // As a restore leaves it: the follow without its key.
    await followZotero(h2.store, 'restored', { kind: 'web', library: 'group', id: '5501234' } as never, NOW);
    await expect(syncZotero({ ...deps, store: h2.store, client: h2.client, apiBase: refused.url }, 'restored')).rejects.toThrow(/has no API key; give it again with radar profile follow-zotero restored --group 5501234 --key KEY/);
  });
});
