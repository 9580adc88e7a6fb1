import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomReader, parseArxivAtom } from '../../src/ingest/parsers/arxiv-atom.ts';
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

  it('skips a malformed entry, says which and why, and reads the entries after it', () => {
    const text = fixture('arxiv-api.xml');
    const cut = text.indexOf('<entry>', text.indexOf('<entry>') + 1);
    // Break the second entry in the middle: an unclosed attribute quote.
    const broken = text.slice(0, cut) + text.slice(cut).replace('<author>', '<author name="oops>');
    const r = parseArxivAtom(broken, ctx('bad.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['1706.03762', '2510.05069']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ locator: 'bad.xml:38', severity: 'error' });
    expect(r.problems[0].message).toMatch(/^<entry> 2 \(line 38\) is malformed XML at line \d+, column \d+: .+; it was skipped, and the records after it were read$/);
    expect(r.totalResults).toBe(157342);
  });

  it('an unescaped & in entry 2 of 3 costs entry 2 only, whatever the chunking', () => {
    const text = fixture('arxiv-api.xml').replace('<title>The Large N Limit', '<title>The Large N & Limit');
    const line = text.slice(0, text.indexOf(' & Limit')).split('\n').length;
    const whole = parseArxivAtom(text, ctx('amp.xml'));
    expect(whole.records.map((x) => x.arxivId)).toEqual(['1706.03762', '2510.05069']);
    expect(whole.problems).toEqual([
      {
        locator: 'amp.xml:38',
        severity: 'error',
        message: expect.stringMatching(new RegExp(`^<entry> 2 \\(line 38\\) is malformed XML at line ${line}, column \\d+: a bare "&"`)),
      },
    ]);
    // The streaming reader must find the same however the text arrives.
    for (const size of [1, 7, 80, 81, 4096]) {
      const out: string[] = [];
      const reader = new AtomReader(ctx('amp.xml'), ({ record, problems }) => {
        if (record) out.push(record.arxivId!);
        for (const p of problems) out.push(p.message);
      });
      for (let i = 0; i < text.length; i += size) reader.write(text.slice(i, i + size));
      reader.close();
      expect(out).toEqual(['1706.03762', whole.problems[0].message, '2510.05069']);
    }
  });

  it('an & in CDATA or a comment is text, not an error', () => {
    const text = fixture('arxiv-api.xml').replace('<title>The Large N', '<title><![CDATA[Q & A: ]]><!-- a & b -->The Large N');
    const r = parseArxivAtom(text, ctx('ok.xml'));
    expect(r.problems).toEqual([]);
    expect(r.records[1].title).toBe('Q & A: The Large N Limit of Superconformal Field Theories and Supergravity');
  });

  it('an entry without its end tag is reported, and the next entry is not swallowed by it', () => {
    const text = fixture('arxiv-api.xml').replace('</entry>', '');
    const r = parseArxivAtom(text, ctx('open.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['hep-th/9711200', '2510.05069']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ locator: 'open.xml:10' });
    expect(r.problems[0].message).toMatch(/^<entry> 1 \(line 10\) is malformed XML at line 38, column \d+: no <\/entry> before the next <entry>/);
  });

  it('entries broken after the first break are each reported with their own number and line', () => {
    const text = fixture('arxiv-api.xml').replace('<title>Attention', '<title>A & B: Attention').replace('<title>SwiReasoning', '<title a=1>SwiReasoning');
    const r = parseArxivAtom(text, ctx('two.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['hep-th/9711200']);
    expect(r.problems.map((p) => [p.locator, p.message.replace(/ is malformed.*/, '')])).toEqual([
      ['two.xml:10', '<entry> 1 (line 10)'],
      ['two.xml:60', '<entry> 3 (line 60)'],
    ]);
    expect(r.problems[1].message).toMatch(/at line 64, column \d+: unquoted attribute value/);
  });

  it('keeps the entries of a truncated response', () => {
    const text = fixture('arxiv-api.xml');
    const r = parseArxivAtom(text.slice(0, text.indexOf('<title>The Large N')), ctx('cut.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['1706.03762']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(/malformed XML.*the file ends early \(truncated\?\): <entry> 2, the record starting at line 38 was cut off/);
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

  it('skips a broken record and reads the records and the resumption token after it', () => {
    const text = fixture('oai-arxivraw.xml');
    const broken = text.replace('<title>Calculation', '<title>Calculation & more');
    const r = parseOaiPmh(broken, ctx('broken.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['hep-th/9711200']);
    expect(r.resumptionToken).toEqual({ value: '', cursor: 2001, completeListSize: 2003 });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ locator: 'broken.xml:6', severity: 'error' });
    expect(r.problems[0].message).toMatch(/^<record> 1 \(line 6\) is malformed XML at line \d+, column \d+: a bare "&"/);
  });

  it('keeps the records and deletions before a broken last record', () => {
    const text = fixture('oai-arxiv.xml');
    const broken = text.replace('<title>SwiReasoning', '<title>SwiReasoning & broken');
    const r = parseOaiPmh(broken, ctx('broken.xml'));
    expect(r.records.map((x) => x.arxivId)).toEqual(['0704.0001']);
    expect(r.deleted).toEqual(['0704.0002']);
    expect(r.resumptionToken).toEqual({ value: '6960524|1001', cursor: 0, completeListSize: 2841 });
    expect(r.problems).toEqual([expect.objectContaining({ locator: 'broken.xml:28', severity: 'error' })]);
    expect(r.problems[0].message).toMatch(/^<record> 3 \(line 28\) is malformed XML/);
  });
});
