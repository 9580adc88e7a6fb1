/**
 * Your data out and back in: the seed profiles with likes, a dismissal,
 * notes and a collection, exported from one database and restored into a
 * fresh one of each backend, give the same top 10 — whether the new database
 * fetched the same papers itself (the default export carries only the papers
 * your data points at) or starts empty (an export with every paper).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildExport, EXPORT_VERSION, type ExportDocument } from '../../src/app/export.ts';
import { restoreExport } from '../../src/app/restore.ts';
import { openProfileDeps } from '../../src/profile/deps.ts';
import { buildFeed } from '../../src/profile/feed.ts';
import { importForProfile } from '../../src/profile/import.ts';
import { createProfile, giveFeedback, updateRules } from '../../src/profile/profiles.ts';
import { followZotero } from '../../src/profile/zotero.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { describeShared, SEEDS } from '../helpers/shared.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const WINDOW = { from: '2000-01-01', to: '2026-11-22', now: NOW, limit: 10 };
const CORPUS = [SEEDS.dailyPapers1, SEEDS.dailyPapers2, SEEDS.dailyPapers3];

async function top10(store: Store, profile: string): Promise<string[]> {
  return (await buildFeed(await openProfileDeps(store), profile, WINDOW)).items.map((i) => i.id);
}

describeShared('export and restore', Object.values(SEEDS), () => {
  let dir: string;
  let source: SqliteStore;
  let text: string;
  let textAll: string;
  const expected: Record<string, string[]> = {};
  let liked: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-export-'));
    source = new SqliteStore(join(dir, 'radar.db'));
    await importForProfile(source, CORPUS.map((path) => ({ path })), NOW);
    const deps = { store: source, now: NOW, importFiles: importForProfile };
    await createProfile(deps, 'nc', { files: [SEEDS.publicationList] });
    await createProfile(deps, 'ab', { files: [SEEDS.abstracts] });
    await updateRules(source, 'ab', { addNever: ['diffusion'] }, NOW);
    await followZotero(source, 'nc', { kind: 'web', library: 'user', id: '475425', apiKey: 'SECRET-KEY-1234' }, NOW);

    // Feedback on what the feeds show: two likes and a save for nc, a dismissal for ab.
    const nc = await top10(source, 'nc');
    const ab = await top10(source, 'ab');
    liked = [nc[2], nc[5]];
    await giveFeedback(source, 'nc', nc[2], 'like', new Date('2026-11-20T08:00:00Z'));
    await giveFeedback(source, 'nc', nc[5], 'like', new Date('2026-11-21T08:00:00Z'));
    await giveFeedback(source, 'nc', nc[7], 'save', new Date('2026-11-21T09:00:00Z'));
    await giveFeedback(source, 'ab', ab[0], 'dismiss', new Date('2026-11-21T10:00:00Z'));
    // Notes (one on a paper nothing else points at) and a collection.
    const elsewhere = (await source.papers.listPapers({ sort: 'date', limit: 1, offset: 150 })).papers[0];
    for (const [id, note] of [
      [nc[2], 'read section 3 again'],
      [elsewhere.id, 'for the reading group'],
    ]) {
      await source.library.putNote((await source.papers.getPaper(id))!.pk, note, '2026-11-21T11:00:00.000Z');
    }
    const reading = await source.library.ensureCollection('Reading list', '2026-11-01T00:00:00.000Z');
    for (const id of [nc[0], nc[1], ab[3]]) await source.library.addToCollection(reading.collectionId, (await source.papers.getPaper(id))!.pk, '2026-11-21T12:00:00.000Z');
    await source.digests.setUnsubscribed('ab', 'email', true, '2026-11-21T12:00:00.000Z');
    await source.settings.putDelivery('nc', { email: ['nc@example.org'], cadence: 'weekly', weekday: 'mon', limit: 15 }, '2026-11-21T12:00:00.000Z');
    await source.settings.addSource({ kind: 'arxiv', category: 'cs.LG', backfillDays: 7 }, '2026-11-01T00:00:00.000Z');
    await source.settings.addSource({ kind: 'hf', category: '', backfillDays: 3 }, '2026-11-01T00:00:00.000Z');

    expected.nc = await top10(source, 'nc');
    expected.ab = await top10(source, 'ab');
    expect(expected.nc).toHaveLength(10);
    expect(expected.ab.length).toBeGreaterThanOrEqual(5);
    text = JSON.stringify(await buildExport(source, { now: NOW }));
    textAll = JSON.stringify(await buildExport(source, { now: NOW, allPapers: true }));
  }, 300_000);

  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one versioned document: profiles with papers, rules and feedback, notes, collections; no secrets, no internal numbers', () => {
    const doc = JSON.parse(text) as ExportDocument;
    expect(doc).toMatchObject({ format: 'paper-radar-export', version: EXPORT_VERSION, papersIncluded: 'referenced' });
    expect(doc.profiles.map((p) => p.name).sort()).toEqual(['ab', 'nc']);
    const nc = doc.profiles.find((p) => p.name === 'nc')!;
    expect(nc.feedback.map((f) => [f.id, f.action])).toEqual(expect.arrayContaining([[liked[0], 'like'], [liked[1], 'like']]));
    expect(nc.settings.zotero).toEqual({ kind: 'web', library: 'user', id: '475425' });
    expect(text).not.toContain('SECRET-KEY-1234');
    expect(doc.profiles.find((p) => p.name === 'ab')).toMatchObject({ settings: { rules: { never: ['diffusion'] } }, unsubscribed: ['email'] });
    expect(doc.notes.map((n) => n.text).sort()).toEqual(['for the reading group', 'read section 3 again']);
    expect(nc.delivery).toEqual({ email: ['nc@example.org'], cadence: 'weekly', weekday: 'mon', limit: 15 });
    expect(doc.sources.map((s) => [s.kind, s.category, s.backfillDays])).toEqual(expect.arrayContaining([['arxiv', 'cs.LG', 7], ['hf', '', 3]]));
    expect(doc.collections).toEqual([{ name: 'Reading list', createdAt: '2026-11-01T00:00:00.000Z', papers: expect.any(Array) }]);
    // Every id the document uses is a paper it carries.
    const carried = new Set(doc.papers.map((p) => p.id));
    const used = [...doc.profiles.flatMap((p) => [...p.papers, ...p.feedback]), ...doc.notes, ...doc.collections.flatMap((c) => c.papers)].map((x) => x.id);
    expect(used.filter((id) => !carried.has(id))).toEqual([]);
    expect(text).not.toMatch(/"pk":|"seq":|"profileId":|"collectionId":/);
    expect((JSON.parse(textAll) as ExportDocument).papers.length).toBeGreaterThan(doc.papers.length);
  });

  describeEachBackend('restored', (backend) => {
    it('into a database that fetched the same papers: same top 10 for both profiles, same notes, collection and unsubscribe', async () => {
      const target = await backend.open();
      await importForProfile(target, CORPUS.map((path) => ({ path })), NOW);
      const report = await restoreExport(target, JSON.parse(text), { name: 'export.json', now: NOW });
      expect(report.problems).toEqual([]);
      expect(report.profiles.sort()).toEqual(['ab', 'nc']);
      expect(report.feedback).toBe(4);
      expect(await top10(target, 'nc')).toEqual(expected.nc);
      expect(await top10(target, 'ab')).toEqual(expected.ab);
      expect((await target.library.listNotes()).map((n) => n.text).sort()).toEqual(['for the reading group', 'read section 3 again']);
      const reading = (await target.library.getCollection('Reading list'))!;
      expect(reading.papers).toBe(3);
      expect(await target.digests.isUnsubscribed('ab', 'email')).toBe(true);
      expect((await target.profiles.getProfile('ab'))!.settings.rules).toEqual({ never: ['diffusion'] });
      expect(await target.settings.getDelivery('nc')).toMatchObject({ email: ['nc@example.org'], cadence: 'weekly', weekday: 'mon', limit: 15 });
      expect((await target.settings.listSources()).map((s) => `${s.kind}:${s.category}`).sort()).toEqual(['arxiv:cs.LG', 'hf:']);
      expect(report.sources).toBe(2);

      // A second restore does not clobber what is there unless asked to.
      await expect(restoreExport(target, JSON.parse(text), { name: 'export.json', now: NOW })).rejects.toThrow(/already has profile\(s\) "nc", "ab"|already has profile\(s\) "ab", "nc"/);
      const again = await restoreExport(target, JSON.parse(text), { name: 'export.json', now: NOW, replace: true });
      expect(again.papers.added).toBe(0);
      expect(await top10(target, 'nc')).toEqual(expected.nc);
    }, 300_000);

    it('into an empty database from an export with every paper: same top 10', async () => {
      const target = await backend.open();
      const report = await restoreExport(target, JSON.parse(textAll), { name: 'all.json', now: NOW });
      expect(report.problems).toEqual([]);
      expect((await target.papers.stats()).papers).toBe((await source.papers.stats()).papers);
      expect(await top10(target, 'nc')).toEqual(expected.nc);
      expect(await top10(target, 'ab')).toEqual(expected.ab);
    }, 300_000);
  });

  it('refuses what is not an export, and reports bad entries by place while the rest lands', async () => {
    const target = new SqliteStore(join(dir, 'bad.db'));
    try {
      await expect(restoreExport(target, { hello: 1 }, { name: 'x.json', now: NOW })).rejects.toThrow(/x\.json: .*not a Paper Radar export/);
      await expect(restoreExport(target, { ...JSON.parse(text), version: 99 }, { name: 'x.json', now: NOW })).rejects.toThrow(/newer Paper Radar/);
      const doc = JSON.parse(text) as ExportDocument;
      doc.profiles[0].feedback.push({ id: doc.papers[0].id, action: 'love' as never, at: NOW.toISOString() });
      doc.notes.push({ id: 'arxiv:9999.99999', text: 'orphan', updatedAt: NOW.toISOString() });
      doc.papers.push({ title: '' } as never);
      const r = await restoreExport(target, doc, { name: 'x.json', now: NOW });
      expect(r.problems).toEqual([
        expect.stringMatching(/^papers\[\d+\]: record has no arXiv id, DOI, title or abstract/),
        expect.stringMatching(/^profiles\[0\]\.feedback\[\d+\]: action: /),
        'notes[2]: paper arxiv:9999.99999 is neither in the document nor in the database; left out',
      ]);
      expect(r.profiles).toHaveLength(2);
      expect(r.notes).toBe(2);
    } finally {
      await target.close();
    }
  });
});
