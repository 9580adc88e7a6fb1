import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DECIDE_WINDOW, MAX_LINE_WARNINGS, StreamDecoder } from '../../src/ingest/decode.ts';
import { UnreadableInputError } from '../../src/ingest/errors.ts';
import { locatorName, openInput, readInput } from '../../src/ingest/read.ts';
import type { InputItem, InputSpec } from '../../src/ingest/types.ts';
import type { PaperRecord, Problem } from '../../src/paper/types.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'ingest');
const opts = { seenAt: '2026-01-01T00:00:00.000Z', today: '2026-01-01' };

async function readAll(input: InputSpec) {
  const records: PaperRecord[] = [];
  const problems: Problem[] = [];
  for await (const item of readInput(input, opts) as AsyncIterable<InputItem>) {
    if ('record' in item) records.push(item.record);
    else problems.push(item.problem);
  }
  return { records, problems };
}

async function unreadable(input: InputSpec): Promise<UnreadableInputError> {
  try {
    await openInput(input, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableInputError);
    return err as UnreadableInputError;
  }
  throw new Error('expected UnreadableInputError');
}

function write(dir: string, name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('readInput: compression and encodings', () => {
  it('reads gzip by its magic bytes, whatever the name', async () => {
    const dir = tempDir();
    const path = write(dir, 'snapshot.data', gzipSync(readFileSync(join(FIXTURES, 'kaggle-snapshot.jsonl'))));
    const opened = await openInput({ path }, opts);
    expect([opened.format, opened.gzip]).toEqual(['kaggle', true]);
    const { records, problems } = await readAll({ path });
    expect(problems).toEqual([]);
    expect(records.map((r) => r.arxivId)).toEqual(['0704.0001', 'hep-th/9711200', '1706.03762', '1810.04805']);
  });

  it('keeps the records of a truncated gzip file and says it was cut off', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `2501.${String(i + 1).padStart(5, '0')}`, title: `Paper number ${i + 1}`, abstract: `Abstract ${i} `.repeat(20) }));
    const gz = gzipSync(lines.join('\n') + '\n');
    const path = write(tempDir(), 'cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const { records, problems } = await readAll({ path });
    expect(records.length).toBeGreaterThan(100);
    expect(records.length).toBeLessThan(3000);
    expect(records.map((r) => r.title)).toEqual(lines.slice(0, records.length).map((l) => JSON.parse(l).title));
    const last = problems[problems.length - 1];
    expect(last).toMatchObject({ locator: path, severity: 'error' });
    expect(last.message).toMatch(/gzip data ends early \(truncated file\?\)/);
  });

  it('reads UTF-16 with a byte-order mark, both byte orders', async () => {
    const text = readFileSync(join(FIXTURES, 'zotero.bib'), 'utf8');
    const dir = tempDir();
    const le = write(dir, 'le.bib', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    const be = write(dir, 'be.bib', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]));
    for (const path of [le, be]) {
      const { records } = await readAll({ path });
      expect(records.map((r) => r.title)).toContain('Über die Stabilität von neuronalen Netzen mit α-Regularisierung');
      expect(records[0].source.locator).toBe(`${path}:2`);
    }
  });

  it('skips a UTF-8 byte-order mark', async () => {
    const path = write(tempDir(), 'bom.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(FIXTURES, 'generic.jsonl'))]));
    const { records } = await readAll({ path });
    expect(records[0].arxivId).toBe('2503.11731');
  });

  it('reads a Latin-1 file (invalid UTF-8 and no UTF-8 characters) as Windows-1252, warning with the file and line', async () => {
    const text = '@article{m, title = {Über Netze – “quoted”}, author = {Müller, Jörg}, year = {2021}}\n';
    const bytes = iconv.encode(text, 'windows-1252');
    const path = write(tempDir(), 'latin1.bib', bytes);
    const { records, problems } = await readAll({ path });
    expect(records[0]).toMatchObject({ title: 'Über Netze – “quoted”', authors: ['Jörg Müller'] });
    expect(problems).toEqual([
      {
        locator: `${path}:1`,
        severity: 'warning',
        message: `not UTF-8: byte 0xDC on line 1 (offset ${bytes.indexOf(0xdc)}) is invalid UTF-8 and the text has no UTF-8 characters, so the file was read as Windows-1252 (Latin-1)`,
      },
    ]);
  });

  it('one bad byte costs one character: the valid UTF-8 after it is read as UTF-8, the bad byte becomes U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"2501.00001","title":"Bad '),
      Buffer.from([0xe9]),
      Buffer.from(' byte"}\n{"id":"2501.00002","title":"Müller naïve café"}\n{"id":"2501.00003","title":"Ok ½ – “q”"}\n'),
    ]);
    const { records, problems } = await readAll({ name: 'mixed.jsonl', bytes });
    expect(records.map((r) => r.title)).toEqual(['Bad \uFFFD byte', 'Müller naïve café', 'Ok ½ – “q”']);
    expect(problems).toEqual([
      {
        locator: 'mixed.jsonl:1',
        severity: 'warning',
        message: 'invalid UTF-8 on line 1 (byte 0xE9 at offset 32); the bad bytes were replaced with U+FFFD and the rest of the line was read as UTF-8',
      },
    ]);
  });

  it('decodes the same however the stream is chunked, holding back only a bounded window while it decides', () => {
    const decodeIn = (bytes: Buffer, size: number) => {
      const d = new StreamDecoder('utf-8', 0, 'x');
      const parts: string[] = [];
      for (let i = 0; i < bytes.length; i += size) parts.push(d.decode(bytes.subarray(i, i + size)));
      parts.push(d.end());
      return { text: parts.join(''), warnings: d.warnings.map((w) => w.locator) };
    };
    const utf8WithBadByte = Buffer.concat([Buffer.from('line one '), Buffer.from([0xff]), Buffer.from('\nzwei: Müller naïve café αβγ 😀\n')]);
    const latin1 = iconv.encode('Ünïcödé in Latin-1\nsecond line: café\n', 'windows-1252');
    for (const size of [1, 2, 3, 5, 1024]) {
      expect(decodeIn(utf8WithBadByte, size)).toEqual({ text: 'line one \uFFFD\nzwei: Müller naïve café αβγ 😀\n', warnings: ['x:1'] });
      expect(decodeIn(latin1, size)).toEqual({ text: 'Ünïcödé in Latin-1\nsecond line: café\n', warnings: ['x:1'] });
    }
    // While undecided, text after the first bad byte waits, but never more than the window.
    const d = new StreamDecoder('utf-8', 0, 'x');
    expect(d.decode(Buffer.from([0x61, 0xe9]))).toBe('a');
    const filler = Buffer.alloc(DECIDE_WINDOW, 0x62);
    expect(d.decode(filler)).toBe('é' + filler.toString('latin1'));
    expect(d.encoding).toBe('windows-1252');
  });

  it('once UTF-8 has shown, a bad byte far into a stream is replaced and located by line and offset', () => {
    const e = new StreamDecoder('utf-8', 0, 'big.txt');
    expect(e.decode(Buffer.from('é\n', 'utf8'))).toBe('é\n');
    const filler = Buffer.alloc(2 * 1024 * 1024, 0x61);
    filler[1000] = 0x0a;
    expect(e.decode(filler).length).toBe(filler.length);
    expect(e.decode(Buffer.from([0x62, 0xe9, 0x63]))).toBe('b\uFFFDc');
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toMatchObject({ locator: 'big.txt:3' });
    expect(e.warnings[0].message).toContain(`offset ${3 + filler.length + 1}`);
    expect(e.encoding).toBe('utf-8');
  });

  it('warns about the first lines with bad bytes one by one and counts the rest', () => {
    const d = new StreamDecoder('utf-8', 0, 'many.txt');
    let text = d.decode(Buffer.from('ok ✓\n'));
    for (let i = 0; i < MAX_LINE_WARNINGS + 5; i++) text += d.decode(Buffer.from([0x78, 0xc3, 0x28, 0xc3, 0x0a]));
    text += d.end();
    expect(text.split('\n')[1]).toBe('x\uFFFD(\uFFFD');
    expect(d.warnings).toHaveLength(MAX_LINE_WARNINGS + 1);
    expect(d.warnings[0].locator).toBe('many.txt:2');
    expect(d.warnings[MAX_LINE_WARNINGS].message).toMatch(/^invalid UTF-8 on 5 more line\(s\) besides the 20 listed/);
  });

  it('says when a UTF-8 file ends inside a character', () => {
    const d = new StreamDecoder('utf-8', 0, 'cut.txt');
    expect(d.decode(Buffer.from([0x61, 0xe2, 0x82])) + d.end()).toBe('a\uFFFD');
    expect(d.warnings[0].message).toMatch(/^the file ends inside a UTF-8 character \(line 1, offset 1\)/);
  });
});

describe('readInput: inputs that cannot be read at all', () => {
  it('a missing file, a directory, an empty file, only white space', async () => {
    const dir = tempDir();
    expect((await unreadable({ path: join(dir, 'nope.jsonl') })).reason).toBe('no such file');
    mkdirSync(join(dir, 'sub'));
    expect((await unreadable({ path: join(dir, 'sub') })).reason).toMatch(/directory/);
    const empty = await unreadable({ path: write(dir, 'empty.bib', '') });
    expect(empty.message).toBe(`${join(dir, 'empty.bib')}: the file is empty`);
    expect((await unreadable({ name: 'blank.txt', bytes: Buffer.from('  \n\n  ') })).reason).toMatch(/empty \(only white space\)/);
    expect((await unreadable({ name: 'empty.gz', bytes: gzipSync(Buffer.alloc(0)) })).reason).toMatch(/gzip file holds no data/);
  });

  it('a binary file', async () => {
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 256;
    expect((await unreadable({ name: 'blob.bin', bytes: noise })).reason).toMatch(/binary data/);
    expect((await unreadable({ name: 'paper.pdf', bytes: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj') })).reason).toMatch(/PDF document/);
    expect((await unreadable({ name: 'corrupt.gz', bytes: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff, 0xff]) })).reason).toMatch(/gzip/);
  });

  it('an unknown format, with the list of formats it could have been', async () => {
    const err = await unreadable({ name: 'papers.csv', bytes: Buffer.from('id,title\n2501.00001,Hello\n') });
    expect(err.message).toMatch(/^papers\.csv: could not tell what format papers\.csv is in; Paper Radar reads arXiv API/);
  });
});

describe('readInput: broken content', () => {
  it('keeps the records of truncated XML', async () => {
    const xml = readFileSync(join(FIXTURES, 'oai-arxivraw.xml'), 'utf8');
    const { records, problems } = await readAll({ name: 'cut.xml', bytes: Buffer.from(xml.slice(0, xml.indexOf('Juan M. Maldacena'))) });
    expect(records.map((r) => r.arxivId)).toEqual(['0704.0001']);
    expect(problems.map((p) => p.severity)).toEqual(['error']);
    expect(problems[0].message).toMatch(/record starting at line 20 was cut off/);
  });

  it('skips a 50 MB line without buffering it, and reads the lines around it', async () => {
    const huge = JSON.stringify({ id: '2501.00002', title: 'Huge', abstract: 'x'.repeat(50 * 1024 * 1024) });
    const text = [JSON.stringify({ id: '2501.00001', title: 'Before' }), huge, JSON.stringify({ id: '2501.00003', title: 'After' })].join('\n');
    const { records, problems } = await readAll({ name: 'huge.jsonl', bytes: Buffer.from(text) });
    expect(records.map((r) => r.title)).toEqual(['Before', 'After']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ locator: 'huge.jsonl:2', severity: 'error' });
    expect(problems[0].message).toMatch(/^line 2 is 52\.4 million characters long; a record line can be at most 8 MB/);
  });

  it('reads a 50 MB XML element only up to a bound, with a warning', async () => {
    const xml = readFileSync(join(FIXTURES, 'arxiv-api.xml'), 'utf8').replace('entirely.\n</summary>', `entirely. ${'y'.repeat(50 * 1024 * 1024)}</summary>`);
    const { records, problems } = await readAll({ name: 'big.xml', bytes: Buffer.from(xml) });
    expect(records).toHaveLength(3);
    expect(records[0].abstract!.length).toBeLessThanOrEqual(100_000);
    expect(problems[0]).toMatchObject({ locator: 'big.xml:10', field: 'summary', severity: 'warning' });
    expect(problems[0].message).toMatch(/<summary> is 52,42\d,\d{3} characters; only the first part was read/);
  });

  it('reads a Kaggle snapshot saved as a JSON array as Kaggle, not as generic JSON', async () => {
    const lines = readFileSync(join(FIXTURES, 'kaggle-snapshot.jsonl'), 'utf8').split('\n').filter(Boolean);
    const bytes = Buffer.from(`[\n${lines.join(',\n')}\n]\n`);
    expect((await openInput({ name: 'arxiv-metadata.json', bytes }, opts)).format).toBe('kaggle');
    const { records, problems } = await readAll({ name: 'arxiv-metadata.json', bytes });
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.arxivId, r.source.kind, r.signals?.submitter])).toEqual([
      ['0704.0001', 'arxiv-snapshot', 'Pavel Nadolsky'],
      ['hep-th/9711200', 'arxiv-snapshot', 'Juan Maldacena'],
      ['1706.03762', 'arxiv-snapshot', 'Ashish Vaswani'],
      ['1810.04805', 'arxiv-snapshot', 'Jacob Devlin'],
    ]);
  });

  it('names files in locators by a path that tells same-named files apart', () => {
    expect(locatorName('a/papers.bib', '/work/x')).toBe('a/papers.bib');
    expect(locatorName('./b/../a/papers.bib', '/work/x')).toBe('a/papers.bib');
    expect(locatorName('/work/x/a/papers.bib', '/work/x')).toBe('a/papers.bib');
    expect(locatorName('../shared/papers.bib', '/work/x')).toBe('/work/shared/papers.bib');
    expect(locatorName('/data/papers.bib', '/work/x')).toBe('/data/papers.bib');
  });

  it('reads on after a malformed XML entry in a streamed file', async () => {
    const xml = readFileSync(join(FIXTURES, 'arxiv-api.xml'), 'utf8').replace('<title>The Large N', '<title>The Large & N');
    const path = write(tempDir(), 'amp.xml', xml);
    const { records, problems } = await readAll({ path });
    expect(records.map((r) => r.arxivId)).toEqual(['1706.03762', '2510.05069']);
    expect(problems).toEqual([expect.objectContaining({ locator: `${path}:38`, severity: 'error' })]);
  });

  it('reports progress up to the whole input', async () => {
    const bytes = readFileSync(join(FIXTURES, 'kaggle-snapshot.jsonl'));
    const seen: { bytesRead: number; totalBytes?: number; records: number }[] = [];
    for await (const _ of readInput({ name: 'k.jsonl', bytes }, { ...opts, onProgress: (p) => seen.push(p) })) void _;
    expect(seen[seen.length - 1]).toEqual({ bytesRead: bytes.length, totalBytes: bytes.length, records: 4 });
  });
});
