/** Import refuses files that are not papers: a package.json is not a paper with an empty id. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const now = () => new Date('2026-03-01T00:00:00Z');

async function importFiles(...paths: string[]) {
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  try {
    const report = await importInputs(store, paths.map((path) => ({ path })), { now, afterImport: [] });
    return { report, papers: (await store.papers.stats()).papers, ids: (store.db.prepare('SELECT id FROM papers').all() as { id: string }[]).map((r) => r.id) };
  } finally {
    await store.close();
  }
}

describe('import of JSON that is not papers', () => {
  it("refuses the project's own package.json, naming the file and what was expected, and stores nothing", async () => {
    const { report, papers } = await importFiles(join(PROJECT_ROOT, 'package.json'));
    expect(papers).toBe(0);
    expect(report.files[0].unreadable).toMatch(/^not a file of papers: none of its 1 record has a title, an abstract or an identifier; expected JSON .* title, abstract, authors, arxiv_id or doi/);
    expect(report.totals.added).toBe(0);
  });

  it('refuses JSON Lines of settings records, but keeps the papers of a mixed file', async () => {
    const dir = tempDir();
    const settings = join(dir, 'settings.jsonl');
    writeFileSync(settings, '{"name":"a","value":1}\n{"name":"b","description":"a short one"}\n');
    const mixed = join(dir, 'mixed.jsonl');
    writeFileSync(mixed, '{"name":"not a paper"}\n{"title":"Grokking at the Edge","abstract":"We study grokking."}\n');
    const { report, papers, ids } = await importFiles(settings, mixed);
    expect(report.files[0].unreadable).toMatch(/none of its 2 lines has a title/);
    expect(report.files[1].unreadable).toBeUndefined();
    expect(report.files[1].rejected[0].message).toMatch(/no arXiv id, DOI, title or abstract/);
    expect(papers).toBe(1);
    expect(ids.every((id) => id.length > 0)).toBe(true);
  });

  it('never stores a paper with an empty id: a few words of abstract identify nothing', async () => {
    const file = join(tempDir(), 'short.json');
    writeFileSync(file, JSON.stringify([{ abstract: 'Too short.' }, { title: 'A Real Title', description: 'A description beside a title is its abstract.' }]));
    const { papers, ids, report } = await importFiles(file);
    expect(papers).toBe(1);
    expect(ids[0]).toMatch(/^title:/);
    expect(report.files[0].rejectedTotal).toBe(1);
  });
});
