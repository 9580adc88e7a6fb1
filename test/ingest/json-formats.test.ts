import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCslJson } from '../../src/ingest/parsers/csl-json.ts';
import { parseHfDaily } from '../../src/ingest/parsers/hf-daily.ts';
import { parseJson, parseJsonl, parseJsonlLine } from '../../src/ingest/parsers/jsonl.ts';
import { parseKaggle, parseKaggleLine } from '../../src/ingest/parsers/kaggle.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ingest', name), 'utf8');
const ctx = (name: string) => ({ name, seenAt: '2026-01-01T00:00:00.000Z', today: '2026-01-01' });

/** The first paper of kaggle-snapshot.jsonl, whichever shape the snapshot is saved in. */
const FIRST_PAPER = {
  authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
  versions: [
    { version: 1, date: '2007-04-02' },
    { version: 2, date: '2007-07-24' },
  ],
};

describe('Kaggle arXiv snapshot', () => {
  it('reads ids (old and new style), versions, parsed authors, categories and the rest', () => {
    const r = parseKaggle(fixture('kaggle-snapshot.jsonl'), ctx('snap.json'));
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => x.arxivId)).toEqual(['0704.0001', 'hep-th/9711200', '1706.03762', '1810.04805']);
    expect(r.records[0]).toMatchObject({
      ...FIRST_PAPER,
      arxivVersion: 2,
      published: '2007-04-02',
      updated: '2007-07-24',
      journalRef: 'Phys.Rev.D76:013009,2007',
      doi: '10.1103/PhysRevD.76.013009',
      comment: '37 pages, 15 figures; published version',
      signals: { submitter: 'Pavel Nadolsky' },
      source: { kind: 'arxiv-snapshot', locator: 'snap.json:1' },
    });
    expect(r.records[2].categories).toEqual(['cs.CL', 'cs.LG']);
    expect(r.records[2].license).toBe('http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
    // The blank line 4 is skipped; line numbers stay true to the file.
    expect(r.records[3].source.locator).toBe('snap.json:5');
  });

  it('reads the snapshot saved as one JSON array with the same mapping, item by item', () => {
    const lines = fixture('kaggle-snapshot.jsonl').split('\n').filter(Boolean);
    const text = `[\n${lines.slice(0, 2).join(',\n')},\n{"id": broken},\n${lines.slice(2).join(',\n')}\n]`;
    const r = parseKaggle(text, ctx('snap.json'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['0704.0001', 'hep-th/9711200', '1706.03762', '1810.04805']);
    expect(r.records[0]).toMatchObject({
      ...FIRST_PAPER,
      signals: { submitter: 'Pavel Nadolsky' },
      source: { kind: 'arxiv-snapshot', locator: 'snap.json#1' },
    });
    expect(r.problems).toEqual([expect.objectContaining({ locator: 'snap.json#3', severity: 'error' })]);
  });

  it('falls back to the author string when authors_parsed is missing', () => {
    const line = JSON.stringify({ id: '0704.0001', title: 'T', authors: "C. Bal\\'azs, E. L. Berger and P. M. Nadolsky" });
    expect(parseKaggleLine(line, 1, ctx('x')).record?.authors).toEqual(['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky']);
  });
});

describe('generic JSON Lines', () => {
  it('understands the common field names and reports broken lines by number', () => {
    const r = parseJsonl(fixture('generic.jsonl'), ctx('generic.jsonl'));
    expect(r.records[0]).toMatchObject({
      arxivId: '2503.11731',
      arxivVersion: 2,
      abstract: 'Sensor simulation is pivotal for scalable validation of autonomous driving systems.',
      authors: ['Xianming Zeng', 'Sicong Du', 'Qifeng Chen'],
      categories: ['cs.CV', 'cs.RO'],
      published: '2025-03-14',
      announced: '2025-03-18',
    });
    expect(r.records[1]).toMatchObject({ authors: ["Moreno D'Incà", 'Elia Peruzzo'], categories: ['cs.CV', 'cs.AI'], updated: '2025-03-20' });
    expect(r.records[2]).toMatchObject({ doi: '10.1145/3292500.3330701', authors: ['Takuya Akiba', 'Shotaro Sano'], year: 2019, venue: 'KDD' });
    expect(r.problems.map((p) => p.locator)).toEqual(['generic.jsonl:6', 'generic.jsonl:7']);
    expect(r.problems[1].message).toMatch(/line 7 is not valid JSON \(the line ends early: truncated file\?\)/);
  });

  it('treats a blank line as nothing', () => {
    expect(parseJsonlLine('   ', 3, ctx('x'))).toEqual({ problems: [] });
  });

  it('reads a JSON array, and keeps the items before a truncation', () => {
    const items = [
      { id: '2501.00001', title: 'First' },
      { id: '2501.00002', title: 'Second' },
      { id: '2501.00003', title: 'Third' },
    ];
    const text = JSON.stringify(items, null, 2);
    expect(parseJson(text, ctx('a.json')).records.map((r) => r.title)).toEqual(['First', 'Second', 'Third']);
    const cut = parseJson(text.slice(0, text.indexOf('Third')), ctx('cut.json'));
    expect(cut.records.map((r) => r.title)).toEqual(['First', 'Second']);
    expect(cut.problems[0]).toMatchObject({ locator: 'cut.json#3', severity: 'error', message: expect.stringMatching(/truncated/) });
  });
});

describe('Hugging Face Daily Papers', () => {
  it('reads the /api/daily_papers list shape with its signals', () => {
    const r = parseHfDaily(fixture('hf-daily-papers.json'), ctx('daily.json'));
    expect(r.problems).toEqual([]);
    expect(r.records).toHaveLength(2);
    expect(r.records[0]).toMatchObject({
      arxivId: '2510.05069',
      authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'],
      published: '2025-10-06',
      links: { code: 'https://github.com/sdc17/SwiReasoning', project: 'https://swireasoning.github.io', hf: 'https://huggingface.co/papers/2510.05069' },
      signals: {
        upvotes: 12,
        comments: 3,
        organization: 'Georgia Institute of Technology',
        submitter: 'AK',
        githubStars: 48,
        keywords: ['latent reasoning', 'chain-of-thought', 'token efficiency'],
        featuredOn: '2025-10-07',
      },
      source: { kind: 'hf-daily', locator: 'daily.json#1' },
    });
    // Organisation given beside the paper rather than in it.
    expect(r.records[1].signals).toMatchObject({ organization: 'NVIDIA', upvotes: 27, featuredOn: '2025-10-01' });
  });
});

describe('CSL-JSON', () => {
  it('reads Zotero items, finds arXiv ids in number/URL/DOI, and rejects bad items by number', () => {
    const r = parseCslJson(fixture('zotero-csl.json'), ctx('zotero.json'));
    expect(r.records.map((x) => x.title)).toEqual([
      'Attention Is All You Need',
      'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
      'Deep Residual Learning for Image Recognition',
    ]);
    expect(r.records[0]).toMatchObject({ arxivId: '1706.03762', published: '2017-06-12', authors: ['Ashish Vaswani', 'Noam Shazeer'] });
    expect(r.records[1]).toMatchObject({ doi: '10.18653/v1/N19-1423', year: 2019, venue: 'Proceedings of NAACL-HLT 2019' });
    expect(r.records[2]).toMatchObject({ published: '2016-06-27', source: { locator: 'zotero.json#5' } });
    expect(r.problems.map((p) => [p.locator, p.severity])).toEqual([
      ['zotero.json#3', 'error'],
      ['zotero.json#4', 'error'],
    ]);
    expect(r.problems[0].message).toMatch(/title is object, not text/);
  });
});
