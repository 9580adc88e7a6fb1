import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArxivAtom } from '../../src/ingest/parsers/arxiv-atom.ts';
import { parseOaiPmh } from '../../src/ingest/parsers/oai-pmh.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ingest', name), 'utf8');
const ctx = (name: string) => ({ name, seenAt: '2026-01-01T00:00:00.000Z', today: '2026-01-01' });

describe('arXiv API (Atom)', () => {
  it('reads entries with ids, versions, authors, categories, links and the OpenSearch totals', () => {
    const r = parseArxivAtom(fixture('arxiv-api.xml'), ctx('api.xml'));
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ totalResults: 157342, startIndex: 0, itemsPerPage: 3 });
    expect(r.records.map((x) => x.arxivId)).toEqual(['1706.03762', 'hep-th/9711200', '2510.05069']);
    const [attention, maldacena, swi] = r.records;
    expect(attention).toMatchObject({
      title: 'Attention Is All You Need',
      authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
      categories: ['cs.CL', 'cs.LG'],
      published: '2017-06-12',
      updated: '2023-08-02',
      arxivVersion: 7,
      links: { pdf: 'http://arxiv.org/pdf/1706.03762v7' },
      source: { kind: 'arxiv-api', locator: 'api.xml:10' },
    });
    expect(attention.abstract).toMatch(/^The dominant sequence transduction models.*entirely\.$/);
    expect(maldacena).toMatchObject({ doi: '10.1023/A:1026654312961', journalRef: 'Adv.Theor.Math.Phys.2:231-252,1998', categories: ['hep-th'] });
    // Line breaks inside titles are folded.
    expect(swi.title).toBe('SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs');
  });

  it('reports the API\'s own error entry', () => {
    const r = parseArxivAtom(fixture('arxiv-api-error.xml'), ctx('err.xml'));
    expect(r.records).toEqual([]);
    expect(r.error).toBe('incorrect id format for 1234.12345');
    expect(r.problems[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('incorrect id format') });
  });

  it('keeps the entries before malformed XML and says where it broke', () => {
    const text = fixture('arxiv-api.xml');
    const cut = text.indexOf('<entry>', text.indexOf('<entry>') + 1);
    // Break the second entry in the middle: an unclosed attribute quote.
    const broken = text.slice(0, cut) + text.slice(cut).replace('<author>', '<author name="oops>');
    const r = parseArxivAtom(broken, ctx('bad.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['1706.03762']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(/^malformed XML at line \d+, column \d+: .*the record starting at line 38 was cut off/);
    expect(r.problems[0].locator).toMatch(/^bad\.xml:\d+$/);
  });

  it('keeps the entries of a truncated response', () => {
    const text = fixture('arxiv-api.xml');
    const r = parseArxivAtom(text.slice(0, text.indexOf('<title>The Large N')), ctx('cut.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['1706.03762']);
    expect(r.problems[0].message).toMatch(/malformed XML.*cut off/);
  });
});

describe('OAI-PMH', () => {
  it('reads the arXiv format, deletions and the resumption token', () => {
    const r = parseOaiPmh(fixture('oai-arxiv.xml'), ctx('oai.xml'));
    expect(r.problems).toEqual([]);
    expect(r.resumptionToken).toEqual({ value: '6960524|1001', cursor: 0, completeListSize: 2841 });
    expect(r.deleted).toEqual(['0704.0002']);
    expect(r.records).toHaveLength(2);
    expect(r.records[0]).toMatchObject({
      arxivId: '0704.0001',
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      published: '2007-04-02',
      updated: '2008-11-13',
      doi: '10.1103/PhysRevD.76.013009',
      categories: ['hep-ph'],
      source: { kind: 'arxiv-oai' },
    });
  });

  it('reads the arXivRaw format: versions with dates, submitter, author string; empty token ends the list', () => {
    const r = parseOaiPmh(fixture('oai-arxivraw.xml'), ctx('raw.xml'));
    expect(r.resumptionToken).toEqual({ value: '', cursor: 2001, completeListSize: 2003 });
    const [a, b] = r.records;
    expect(a).toMatchObject({
      arxivId: '0704.0001',
      arxivVersion: 2,
      versions: [
        { version: 1, date: '2007-04-02' },
        { version: 2, date: '2007-07-24' },
      ],
      published: '2007-04-02',
      updated: '2007-07-24',
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      signals: { submitter: 'Pavel Nadolsky' },
    });
    // Affiliations in parentheses are not names.
    expect(b).toMatchObject({ arxivId: 'hep-th/9711200', authors: ['Juan M. Maldacena'], arxivVersion: 3 });
  });

  it('returns OAI-PMH error codes; noRecordsMatch is an empty answer, not a problem', () => {
    const none = parseOaiPmh(fixture('oai-no-records.xml'), ctx('none.xml'));
    expect(none.errors).toEqual([{ code: 'noRecordsMatch', message: 'No records match the request' }]);
    expect(none.problems).toEqual([]);
    expect(none.resumptionToken).toBeUndefined();
    const bad = parseOaiPmh(fixture('oai-bad-token.xml'), ctx('bad.xml'));
    expect(bad.errors[0].code).toBe('badResumptionToken');
    expect(bad.problems[0].message).toMatch(/badResumptionToken/);
  });

  it('keeps the records before a break in the middle of a record', () => {
    const text = fixture('oai-arxiv.xml');
    const broken = text.replace('<title>SwiReasoning', '<title>SwiReasoning & broken');
    const r = parseOaiPmh(broken, ctx('broken.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['0704.0001']);
    expect(r.deleted).toEqual(['0704.0002']);
    expect(r.problems[0]).toMatchObject({ severity: 'error' });
    expect(r.problems[0].message).toMatch(/malformed XML at line \d+.*record starting at line 28 was cut off/);
  });
});
