import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zoteroItemToRecord } from '../../../src/ingest/zotero/item.ts';
import { readZoteroLibrary } from '../../../src/ingest/zotero/sqlite.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { sampleLibrary, ZoteroFixture, type ZoteroLayout } from '../../fixtures/zotero/build-zotero-sqlite.ts';

function library(layout: ZoteroLayout): { path: string; fixture: ZoteroFixture } {
  const path = join(tempDir(), 'zotero.sqlite');
  const fixture = new ZoteroFixture(path, layout);
  sampleLibrary(fixture);
  return { path, fixture };
}

const SRC = { kind: 'zotero' as const, locator: 'zotero:test/X', seenAt: '2025-10-21T00:00:00Z' };

describe.each([6, 7] as const)('zotero.sqlite, Zotero %i layout', (layout) => {
  it('reads the papers of the user library: not notes, attachments, trashed or group items; fields and creators by name', () => {
    const { path, fixture } = library(layout);
    fixture.close();
    const read = readZoteroLibrary({ path });
    expect(read.items.map((i) => i.key).sort()).toEqual(['ABCD2345', 'EFGH6789', 'JKLM2345']);
    expect(read.schemaVersion).toBe(layout === 6 ? 113 : 121);
    const swi = read.items.find((i) => i.key === 'ABCD2345')!;
    expect(swi).toMatchObject({ itemType: 'preprint', archiveID: 'arXiv:2510.05069', date: '2025-10-06', collections: ['COLLREAD'] });
    expect(swi.creators).toEqual([
      { creatorType: 'author', firstName: 'Dachuan', lastName: 'Shi' },
      { creatorType: 'author', firstName: 'Abedelkadir', lastName: 'Asi' },
    ]);
    const nc = read.items.find((i) => i.key === 'EFGH6789')!;
    expect(nc.creators).toContainEqual({ creatorType: 'editor', name: 'TMLR Editorial Board' });
  });

  it('follows a collection with its subcollections, by name, path or key; a group library by name', () => {
    const { path, fixture } = library(layout);
    fixture.close();
    for (const collection of ['Reading', 'COLLREAD']) {
      const read = readZoteroLibrary({ path, collection });
      expect(read.items.map((i) => i.key).sort()).toEqual(['ABCD2345', 'EFGH6789']);
      expect(read.collection).toEqual({ key: 'COLLREAD', name: 'Reading' });
    }
    expect(readZoteroLibrary({ path, collection: 'Reading/Neural collapse' }).items.map((i) => i.key)).toEqual(['EFGH6789']);
    expect(() => readZoteroLibrary({ path, collection: 'Nope' })).toThrow(/no collection "Nope" \(collections: Misc, Reading, Reading\/Neural collapse\)/);
    expect(readZoteroLibrary({ path, group: 'Reading Group' }).items.map((i) => i.key)).toEqual(['GRUP2345']);
    expect(() => readZoteroLibrary({ path, group: 'Other' })).toThrow(/no group library "Other" \(groups: Reading Group\)/);
  });

  it('reads while Zotero holds its exclusive lock, from a snapshot copy', () => {
    const { path, fixture } = library(layout);
    // What Zotero does while running: exclusive locking mode, lock taken by a write.
    fixture.db.pragma('locking_mode = EXCLUSIVE');
    fixture.db.exec('BEGIN EXCLUSIVE; UPDATE items SET synced = 0; COMMIT;');
    const direct = new Database(path, { timeout: 0 });
    expect(() => direct.prepare('SELECT count(*) FROM items').get()).toThrow(/locked|busy/i);
    direct.close();
    expect(readZoteroLibrary({ path }).items).toHaveLength(3);
    fixture.close();
  });
});

describe('zotero.sqlite, problems', () => {
  it('Zotero 7: a collection in the trash is not followed', () => {
    const path = join(tempDir(), 'zotero.sqlite');
    const f = new ZoteroFixture(path, 7);
    sampleLibrary(f);
    f.addCollection({ key: 'COLLOLD1', name: 'Old', trashed: true });
    f.close();
    expect(() => readZoteroLibrary({ path, collection: 'Old' })).toThrow(/no collection "Old"/);
  });

  it('names the file and the reason for a missing file, a non-SQLite file and another database', () => {
    const dir = tempDir();
    expect(() => readZoteroLibrary({ path: join(dir, 'none.sqlite') })).toThrow(/none\.sqlite: no such file/);
    writeFileSync(join(dir, 'text.sqlite'), 'hello, not a database');
    expect(() => readZoteroLibrary({ path: join(dir, 'text.sqlite') })).toThrow(/text\.sqlite: .*(not a database|not an SQLite)/);
    const other = new Database(join(dir, 'other.sqlite'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(() => readZoteroLibrary({ path: join(dir, 'other.sqlite') })).toThrow(/other\.sqlite: not a Zotero database \(no table "items"\)/);
  });
});

describe('Zotero item → paper record', () => {
  it('finds arXiv ids in archiveID, the arXiv DOI, Extra and the URL; keeps journal DOIs and venues; skips notes', () => {
    const { path, fixture } = library(7);
    fixture.close();
    const items = readZoteroLibrary({ path }).items;
    const rec = (key: string) => zoteroItemToRecord(items.find((i) => i.key === key)!, SRC).record!;
    expect(rec('ABCD2345')).toMatchObject({ arxivId: '2510.05069', authors: ['Dachuan Shi', 'Abedelkadir Asi'], published: '2025-10-06', year: 2025 });
    expect(rec('ABCD2345').venue).toBeUndefined();
    expect(rec('EFGH6789')).toMatchObject({ arxivId: '2309.06781', year: 2023, venue: 'Transactions on Machine Learning Research', authors: ['Leyan Pan'] });
    expect(rec('EFGH6789').doi).toBeUndefined();
    expect(rec('JKLM2345')).toMatchObject({ doi: '10.1109/cvpr.2016.90', venue: 'Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition', published: '2016-06-01' });
    expect(zoteroItemToRecord({ key: 'X', itemType: 'journalArticle', extra: 'arXiv: 1706.03762\nDOI: 10.5555/3295222' }, SRC).record).toMatchObject({
      arxivId: '1706.03762',
      doi: '10.5555/3295222',
    });
    expect(zoteroItemToRecord({ key: 'N', itemType: 'note', title: 'x' }, SRC)).toEqual({ problems: [] });
    expect(zoteroItemToRecord({ key: 'E', itemType: 'book' }, SRC).problems[0].message).toMatch(/item E \(book\) has no title/);
  });
});
