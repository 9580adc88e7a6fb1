/**
 * The acceptance check, through the real CLI: importing the five seed
 * listings gives one record per distinct paper, and importing them again
 * changes nothing.
 *
 * 230 = 223 distinct titles on the three Daily Papers pages (001: 77 papers,
 * 003: 102, 004: 52; seven papers appear on two or three pages) + 3 papers of
 * the publication list 000 + 4 of the 6 abstracts of 002 (the other two are
 * SwiReasoning and the model-merging paper from 000). Counted by reading the
 * files: every title line and every abstract opening was compared.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { StoredPaper } from '../../src/store/types.ts';
import { ALL_SEEDS, describeShared, SEEDS } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runCli } from '../helpers/cli.ts';

const DISTINCT_PAPERS = 230;

const run = runCli;

async function allPapers(db: string): Promise<StoredPaper[]> {
  const store = new SqliteStore(db);
  try {
    const out: StoredPaper[] = [];
    for await (const page of store.papers.scanPapers(1000)) out.push(...page);
    return out;
  } finally {
    await store.close();
  }
}

describeShared('radar import on the seed listings', ALL_SEEDS, () => {
  it('gives one record per distinct paper, and a second import changes nothing', async () => {
    const db = join(tempDir(), 'x.db');
    const first = await run(['import', ...ALL_SEEDS, '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/total: 240 records; added 230, updated \d+, unchanged \d+, merged duplicates 0, rejected 0/);
    const stats = JSON.parse((await run(['stats', '--db', db, '--json'])).stdout);
    expect(stats).toMatchObject({ papers: DISTINCT_PAPERS, withAbstract: DISTINCT_PAPERS, withoutTitle: 4 });
    const before = await allPapers(db);

    const second = await run(['import', ...ALL_SEEDS, '--db', db, '--json']);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.totals).toMatchObject({ records: 240, added: 0, updated: 0, merged: 0, unchanged: 240, rejected: 0 });
    expect(JSON.parse((await run(['stats', '--db', db, '--json'])).stdout)).toEqual(stats);
    expect(await allPapers(db)).toEqual(before);
  });

  it('merges each paper into one record with the richest data of every page', async () => {
    const db = join(tempDir(), 'x.db');
    expect((await run(['import', ...ALL_SEEDS, '--db', db])).code).toBe(0);
    const papers = await allPapers(db);
    const byTitle = (start: string) => {
      const found = papers.filter((p) => p.title.startsWith(start));
      expect(found, start).toHaveLength(1);
      return found[0];
    };

    const swi = byTitle('SwiReasoning');
    expect(swi).toMatchObject({
      title: 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs',
      authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'],
      authorsComplete: false,
      categories: ['cs.CL'],
      published: '2025-10-06',
      abstractTruncated: false,
    });
    expect(swi.abstract).toMatch(/^Recent work shows that, beyond discrete reasoning.*with larger gains as budgets tighten\.$/);
    expect(swi.abstract).toHaveLength(1586);
    expect(papers.filter((p) => p.abstract.startsWith('Recent work shows that, beyond discrete reasoning'))).toHaveLength(1);

    const merging = byTitle('Superficial Self-Improved Reasoners Benefit from Model Merging');
    expect(merging).toMatchObject({ authors: ['Xiangchi Yuan', 'Chunhui Zhang', 'Zheyuan Liu'], categories: ['cs.CL'], published: '2025-03-03' });
    expect(papers.filter((p) => p.abstract.startsWith('As scaled language models (LMs) approach'))).toHaveLength(1);

    // On all three Daily Papers pages: 001 gives only title and abstract, 003 and 004 the metadata.
    const grokking = byTitle('Where to find Grokking in LLM Pretraining?');
    expect(grokking).toMatchObject({ authorCount: 3, published: '2025-06-26', signals: { upvotes: 2 } });
    const dualHead = byTitle('Dual-Head Knowledge Distillation');
    expect(dualHead).toMatchObject({ authorCount: 5, published: '2024-11-13' });

    expect(byTitle('Video Reasoning without Training')).toMatchObject({ signals: { organization: 'Qualcomm', upvotes: 2 }, published: '2025-10-19' });
    expect(byTitle('RLP: Reinforcement as a Pretraining Objective').signals).toEqual({ organization: 'NVIDIA', upvotes: 4 });
    expect(byTitle('Dichotomy of Control').abstractTruncated).toBe(true);
    expect(papers.filter((p) => p.title === '')).toHaveLength(4);
  });

  it('ends with the same papers whatever order the files come in', async () => {
    const db = join(tempDir(), 'x.db');
    expect((await run(['import', ...[...ALL_SEEDS].reverse(), '--db', db])).code).toBe(0);
    const papers = await allPapers(db);
    expect(papers).toHaveLength(DISTINCT_PAPERS);
    const swi = papers.find((p) => p.title.startsWith('SwiReasoning'));
    expect(swi).toMatchObject({ authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'], published: '2025-10-06' });
    expect(papers.filter((p) => p.abstract.startsWith('Recent work shows that, beyond discrete reasoning'))).toHaveLength(1);
  });
});

describeShared('radar import exit status', [SEEDS.publicationList], () => {
  it('is 0 when records landed, even though another input could not be read (which is still reported)', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const missing = join(dir, 'missing.txt');
    const r = await run(['import', missing, SEEDS.publicationList, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${missing}: NOT READ: no such file`);
    expect(r.stderr).toMatch(/000_ce7cc7f2da94cefb\.txt \(listing\): 3 records; added 3/);
    expect(r.stderr).toContain('note: 1 of 2 inputs could not be read (see above); the other was imported');
    expect(JSON.parse((await run(['stats', '--db', db, '--json'])).stdout).papers).toBe(3);

    const json = await run(['import', missing, SEEDS.publicationList, '--db', db, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals).toMatchObject({ unreadable: 1, unchanged: 3 });
    expect(report.files[0]).toMatchObject({ name: missing, format: null, unreadable: 'no such file' });
  });
});

describe('radar import exit status when nothing could be read', () => {
  it('is 2 when no input could be read at all', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 0, 9]));
    const r = await run(['import', join(dir, 'missing.txt'), join(dir, 'blob.bin'), '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('radar: nothing imported: 2 of 2 inputs could not be read');
    const one = await run(['import', join(dir, 'missing.txt'), '--db', join(dir, 'x.db')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('radar: nothing imported: the input could not be read');
  });
});

describe('radar import output', () => {
  it('--json prints the report on stdout and lists rejected records with file and line', async () => {
    const dir = tempDir();
    const db = join(dir, 'x.db');
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, ['{"id":"2501.00001","title":"Good"}', '{"oops"', '{"note":"nothing"}'].join('\n'));
    const r = await run(['import', file, '--db', db, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ name: file, format: 'jsonl', records: 2, counts: { added: 1 }, rejectedTotal: 2 });
    expect(report.files[0].rejected.map((p: { locator: string }) => p.locator)).toEqual([`${file}:2`, `${file}:3`]);

    const human = await run(['import', file, '--db', db]);
    expect(human.stderr).toContain(`${file}:2: line 2 is not valid JSON`);
    expect(human.stdout).toBe('');
  });

  it('shows the after-import index refresh on stderr as it runs', async () => {
    const dir = tempDir();
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, ['{"id":"2501.00001","title":"Sparse retrieval","abstract":"About sparse retrieval."}', '{"id":"2501.00002","title":"Dense retrieval","abstract":"About dense retrieval."}'].join('\n'));
    const r = await run(['import', file, '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^indexes: /m);
  });

  it('exits 1 when every record was rejected', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"title":"A paper"\n{"title":\n');
    const r = await run(['import', file, '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('radar: no record could be imported');
  });

  it('refuses a JSON Lines file with nothing of a paper in it, naming it and what was expected (exit 2)', async () => {
    const dir = tempDir();
    const file = join(dir, 'settings.jsonl');
    writeFileSync(file, '{"note":"nothing"}\n{"x":1}\n');
    const r = await run(['import', file, '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: NOT READ: not a file of papers: none of its 2 lines has a title, an abstract or an identifier`);
  });
});
