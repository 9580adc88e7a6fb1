/** The new commands end to end through `main`: fetch biorxiv/openalex, profile follow-zotero, export and restore. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SEARCH_FIXTURE } from '../store/search-fixture.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';
import { sampleLibrary, ZoteroFixture } from '../fixtures/zotero/build-zotero-sqlite.ts';
import { runCli } from '../helpers/cli.ts';

const run = runCli;

describe('radar fetch biorxiv | medrxiv | openalex', () => {
  it('fetches a posting window from the configured API and reports on stderr, the report as --json on stdout', async () => {
    const s = await replayServer();
    s.on((r) => r.path.startsWith('/details/biorxiv/2025-03-03/2025-03-04/'), (r) => ({
      body: fixture(r.path.endsWith('/0/json') ? 'biorxiv/details-page0.json' : 'biorxiv/details-page3.json'),
    }));
    s.on('/works', { body: fixture('openalex/works-arxiv.json') });
    const dir = tempDir();
    const config = join(dir, 'radar.config.json');
    writeFileSync(config, JSON.stringify({ http: { contact: 'radar@example.org', minIntervalMs: 1 }, sources: { biorxivApi: s.url, openalexApi: s.url } }));
    const db = join(dir, 'radar.db');
    const r = await run(['fetch', 'biorxiv', '--from', '2025-03-03', '--to', '2025-03-04', '--config', config, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'biorxiv', requests: 2, counts: { added: 3 } });
    expect(r.stderr).toMatch(/biorxiv: 2 request\(s\), 4 record\(s\): 3 added, 1 updated, 0 unchanged, 0 merged, 1 problem\(s\)/);

    const bad = await run(['fetch', 'medrxiv', '--from', '2025-03-03', '--category', 'cs.LG', '--config', config, '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a bioRxiv\/medRxiv subject category/);

    const oa = await run(['fetch', 'openalex', '--from', '2025-01-01', '--config', config, '--db', db, '--json']);
    expect(oa.code, oa.stderr).toBe(0);
    // No arXiv papers in this database: nothing to ask OpenAlex about.
    expect(JSON.parse(oa.stdout)).toMatchObject({ source: 'openalex', requests: 0 });
  });
});

describe('radar profile follow-zotero', () => {
  it('follows a local library collection and syncs it at once; sync-zotero brings it up to date', async () => {
    const dir = tempDir();
    const zpath = join(dir, 'zotero.sqlite');
    const z = new ZoteroFixture(zpath, 7);
    sampleLibrary(z);
    const db = join(dir, 'radar.db');
    const r = await run(['profile', 'follow-zotero', 'lab', '--sqlite', zpath, '--collection', 'Reading', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'lab', items: 2, linked: 2 });
    z.addToCollection('JKLM2345', 'COLLREAD');
    z.close();
    const s = await run(['profile', 'sync-zotero', '--db', db]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/profile lab: 3 Zotero paper\(s\) followed; 1 added, 0 removed/);
    const noKey = await run(['profile', 'follow-zotero', 'web', '--user', '475425', '--db', db]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/needs an API key/);
  });
});

describe('radar export / restore', () => {
  it('writes the document, BibTeX and CSL-JSON, and restores it into another database', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const store = new SqliteStore(db);
    const now = '2025-06-01T00:00:00.000Z';
    await store.papers.upsertPapers(SEARCH_FIXTURE, now);
    const profile = await store.profiles.createProfile('me', { rules: { must: ['transformer'] } }, now);
    const grok = (await store.papers.getPaper('arxiv:2401.00005'))!;
    await store.profiles.addProfilePapers(profile.profileId, [{ pk: grok.pk, origin: 'manual' }], now);
    const col = await store.library.ensureCollection('To read', now);
    await store.library.addToCollection(col.collectionId, grok.pk, now);
    await store.library.putNote(grok.pk, 'compare with the circuits paper', now);
    await store.close();

    const out = join(dir, 'export.json');
    const e = await run(['export', out, '--db', db]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/exported 1 profile\(s\), 0 feedback entries, 1 note\(s\), 1 collection\(s\) and 1 paper\(s\)/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'paper-radar-export', version: 1 });

    const bib = await run(['export', '-', '--format', 'bibtex', '--db', db]);
    expect(bib.stdout).toMatch(/^@misc\{\w+,\n  title = \{Grokked Transformers are Implicit Reasoners\}/);
    expect(bib.stdout).toMatch(/eprint = \{2401\.00005\}/);
    const csl = await run(['export', '-', '--format', 'csl-json', '--collection', 'To read', '--db', db]);
    expect(JSON.parse(csl.stdout)).toEqual([expect.objectContaining({ type: 'article', title: 'Grokked Transformers are Implicit Reasoners', archive: 'arXiv', number: 'arXiv:2401.00005' })]);

    const db2 = join(dir, 'b.db');
    const r = await run(['restore', out, '--db', db2]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/restored 1 profile\(s\) \(1 paper link\(s\), 0 feedback entries\), 1 note\(s\), 1 collection\(s\) \(1 paper\(s\)\); papers: 1 added/);
    const again = await run(['restore', out, '--db', db2]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has profile\(s\) "me"; restore with --replace/);
    expect((await run(['restore', out, '--replace', '--db', db2])).code).toBe(0);
    const missing = await run(['restore', join(dir, 'nope.json'), '--db', db2]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
  });
});
