/**
 * The real-world JSON Lines file: ../shared/data/arxiv-daily/papers.jsonl.gz
 * (74,728 arXiv papers). Every line is read and checked (a few seconds alone,
 * more beside the rest of the suite); a slice goes through the importer into
 * each backend, and `npx tsx bench/import.ts` imports the whole file.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { importInputs } from '../../src/ingest/import.ts';
import { readInput } from '../../src/ingest/read.ts';
import { validateRecord } from '../../src/paper/record.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { describeShared, sharedPath } from '../helpers/shared.ts';

const DAILY = sharedPath('data', 'arxiv-daily', 'papers.jsonl.gz');
const SLICE = 500;

async function firstLines(n: number): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(DAILY).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) if (lines.push(line) >= n) break;
  rl.close();
  return lines;
}

describeShared('arxiv-daily papers.jsonl.gz', [DAILY], () => {
  it('reads all 74,728 papers without a problem, each valid with an arXiv id', async () => {
    let records = 0;
    const problems: unknown[] = [];
    const ids = new Set<string>();
    for await (const item of readInput({ path: DAILY }, { seenAt: '2026-01-01T00:00:00.000Z', today: '2026-01-01' })) {
      if ('problem' in item) {
        problems.push(item.problem);
        continue;
      }
      records++;
      const v = validateRecord(item.record);
      if (!v.record?.arxivId || !v.record.title || !v.record.abstract) problems.push(v);
      else ids.add(v.record.arxivId);
    }
    expect(problems).toEqual([]);
    expect(records).toBe(74_728);
    expect(ids.size).toBe(74_728);
  }, 300_000);

  describeEachBackend('a slice imported through the same path', (backend) => {
    it(`stores ${SLICE.toLocaleString('en')} papers with their fields, and a re-import changes nothing`, async () => {
      const lines = await firstLines(SLICE);
      const bytes = gzipSync(`${lines.join('\n')}\n`);
      const store = await backend.open();
      const now = () => new Date('2026-01-01T00:00:00Z');
      const first = await importInputs(store, [{ name: 'papers.jsonl.gz', bytes }], { now });
      expect(first.files[0]).toMatchObject({ format: 'jsonl', gzip: true, records: SLICE, rejectedTotal: 0 });
      expect(first.totals.added).toBe(SLICE);
      expect((await store.papers.stats()).papers).toBe(SLICE);

      const src = JSON.parse(lines[0]) as { id: string; title: string; authors: string[]; categories: string[]; announced: string };
      const p = await store.papers.getPaper(src.id);
      expect(p).toMatchObject({ id: `arxiv:${src.id}`, title: src.title, authors: src.authors, categories: src.categories, announced: src.announced });
      expect(p?.abstract).not.toMatch(/\n/);

      const again = await importInputs(store, [{ name: 'papers.jsonl.gz', bytes }], { now });
      expect(again.totals).toMatchObject({ added: 0, updated: 0, merged: 0, unchanged: SLICE });
    }, 120_000);
  });
});
