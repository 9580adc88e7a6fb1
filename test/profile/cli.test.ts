import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { importForProfile } from '../../src/profile/import.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { describeShared, PROJECT_ROOT, SEEDS } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'profile', 'authors.jsonl');

async function radar(db: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main([...args, '--db', db], { stdout, stderr });
  return { code, out, err };
}

async function load(db: string, paths: string[]) {
  const store = new SqliteStore(db);
  await importForProfile(store, paths.map((path) => ({ path })), new Date('2026-11-22T12:00:00Z'));
  await store.close();
}

describe('radar profile / feedback (CLI)', () => {
  it('creates from an author name, asking which person when the name is shared', async () => {
    const db = join(tempDir(), 'r.db');
    await load(db, [FIXTURE]);
    const ambiguous = await radar(db, 'profile', 'create', 'ww', '--author', 'Wei Wang');
    expect(ambiguous.code).toBe(3);
    expect(ambiguous.err).toMatch(/matches 2 people/);
    expect(ambiguous.err).toMatch(/1\. Wei Wang — 3 papers .*cs\.LG.*Alice Graph/);
    expect(ambiguous.err).toMatch(/2\. Wei Wang — 2 papers .*eess\.AS.*Carol Speech/);
    const picked = await radar(db, 'profile', 'create', 'ww', '--author', 'Wei Wang', '--author-pick', '2', '--json');
    expect(picked.code).toBe(0);
    const report = JSON.parse(picked.out);
    expect(report.added).toBe(2);
    expect(report.papers.map((p: { title: string }) => p.title).every((t: string) => /speech/i.test(t))).toBe(true);
    // A unique name needs no pick.
    const unique = await radar(db, 'profile', 'create', 'lp', '--author', 'Leyan Pan', '--json');
    expect(JSON.parse(unique.out).added).toBe(1);
  });

  it('creates from a file of arXiv ids, adds papers, sets rules, lists, shows and removes', async () => {
    const dir = tempDir();
    const db = join(dir, 'r.db');
    await load(db, [FIXTURE]);
    const ids = join(dir, 'ids.txt');
    writeFileSync(ids, '# my papers\n2501.00100\nhttps://arxiv.org/abs/2501.00101v2\n');
    const created = await radar(db, 'profile', 'create', 'g', '--from', ids, '--never', 'speech', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ profile: 'g', added: 2, total: 2, withoutText: [] });
    expect((await radar(db, 'profile', 'create', 'g', '--arxiv', '2501.00102')).err).toMatch(/already exists/);

    // An arXiv id not in the database yet is kept, to be fetched.
    const added = JSON.parse((await radar(db, 'profile', 'add', 'g', '2501.00102', '2609.12345', '--json')).out);
    expect(added).toMatchObject({ added: 2, total: 4, withoutText: ['arxiv:2609.12345'] });

    const rules = JSON.parse((await radar(db, 'profile', 'rules', 'g', '--follow', 'Alice Graph', '--cutoff', '0.5', '--json')).out);
    expect(rules).toEqual({ never: ['speech'], authors: ['Alice Graph'], cutoff: 0.5 });
    expect(JSON.parse((await radar(db, 'profile', 'rules', 'g', '--unset', 'speech', '--no-cutoff', '--json')).out)).toEqual({ authors: ['Alice Graph'] });

    const list = JSON.parse((await radar(db, 'profile', 'list', '--json')).out);
    expect(list.map((p: { name: string; papers: number }) => [p.name, p.papers])).toEqual([['g', 4]]);
    const show = JSON.parse((await radar(db, 'profile', 'show', 'g', '--json')).out);
    expect(show.papers.map((p: { origin: string }) => p.origin)).toEqual(['file:ids.txt', 'file:ids.txt', 'arxiv', 'arxiv']);

    expect((await radar(db, 'profile', 'drop', 'g', 'arxiv:2609.12345')).code).toBe(0);
    expect((await radar(db, 'profile', 'show', 'nope')).code).toBe(2);
    expect((await radar(db, 'profile', 'remove', 'g')).code).toBe(0);
    expect(JSON.parse((await radar(db, 'profile', 'list', '--json')).out)).toEqual([]);
  });

  it('creates from several files at once (--from FILE...): a BibTeX export and a CSL-JSON export', async () => {
    const dir = tempDir();
    const db = join(dir, 'r.db');
    await load(db, [FIXTURE]);
    const bib = join(dir, 'library.bib');
    writeFileSync(
      bib,
      '@misc{gnn2025,\n  title = {Graph neural networks for molecule property prediction part 0},\n  author = {Graph, Alice and Wang, Wei},\n  year = {2025},\n  eprint = {2501.00100},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.LG}\n}\n',
    );
    const csl = join(dir, 'library.json');
    writeFileSync(csl, JSON.stringify([{ id: 'item-1', type: 'article-journal', title: 'Weight decay and feature geometry at the end of training', author: [{ family: 'Pan', given: 'Leyan' }], issued: { 'date-parts': [[2025]] } }]));
    const created = await radar(db, 'profile', 'create', 'mix', '--from', bib, csl, '--json');
    expect(created.code).toBe(0);
    const report = JSON.parse(created.out);
    expect(report).toMatchObject({ profile: 'mix', total: 2 });
    // Both matched the papers already in the database (by arXiv id, by title): no duplicates were made.
    expect(report.papers.map((p: { id: string }) => p.id).sort()).toEqual(['arxiv:2501.00100', 'arxiv:2503.00300']);
  });

  it('rejects bad input with a clear message', async () => {
    const db = join(tempDir(), 'r.db');
    expect((await radar(db, 'profile', 'create', '../etc', '--arxiv', '2501.00100')).err).toMatch(/profile name/);
    expect((await radar(db, 'profile', 'create', 'x')).err).toMatch(/--from FILE, --arxiv ID or --author NAME/);
    expect((await radar(db, 'profile', 'create', 'x', '--from', '/nonexistent/file.bib')).err).toMatch(/cannot read/);
    expect((await radar(db, 'feed', 'nobody')).code).toBe(2);
    expect((await radar(db, 'feed', 'x', '--since', 'soon')).err).toMatch(/expected a span/);
  });
});

describeShared('radar feed / feedback on the seeds (CLI)', Object.values(SEEDS), () => {
  it('prints a JSON feed with reasons; a dismissed paper is gone from the next one', async () => {
    const db = join(tempDir(), 'r.db');
    await load(db, [SEEDS.dailyPapers1, SEEDS.dailyPapers2, SEEDS.dailyPapers3]);
    expect((await radar(db, 'profile', 'create', 'nc', '--from', SEEDS.publicationList)).code).toBe(0);
    const first = await radar(db, 'feed', 'nc', '--since', '2000-01-01', '--until', '2026-11-22', '--limit', '5', '--json');
    expect(first.code).toBe(0);
    const items = JSON.parse(first.out);
    expect(items).toHaveLength(5);
    for (const it of items) {
      expect(Object.keys(it)).toEqual(expect.arrayContaining(['id', 'title', 'score', 'reasons']));
      expect(it.reasons[0].text).toBeTruthy();
    }
    const fb = await radar(db, 'feedback', 'nc', items[0].id, 'dismiss', '--json');
    expect(JSON.parse(fb.out)).toMatchObject({ profile: 'nc', id: items[0].id, action: 'dismiss' });
    expect((await radar(db, 'feedback', 'nc', items[0].id, 'love')).err).toMatch(/expected one of like, save, dismiss, seen/);
    const next = JSON.parse((await radar(db, 'feed', 'nc', '--since', '2000-01-01', '--until', '2026-11-22', '--limit', '5', '--json')).out);
    expect(next.map((i: { id: string }) => i.id)).not.toContain(items[0].id);
    const human = await radar(db, 'feed', 'nc', '--since', '2000-01-01', '--until', '2026-11-22', '--limit', '3');
    expect(human.out).toBe('');
    expect(human.err).toMatch(/close to your paper/);
  }, 60_000);
});
