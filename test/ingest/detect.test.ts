import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, unknownFormatReason } from '../../src/ingest/detect.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ingest', name), 'utf8');

describe('detectFormat', () => {
  it('recognises every fixture by content', () => {
    expect(detectFormat(fixture('arxiv-api.xml'), 'arxiv-api.xml')).toBe('arxiv-atom');
    expect(detectFormat(fixture('oai-arxiv.xml'), 'oai-arxiv.xml')).toBe('oai-pmh');
    expect(detectFormat(fixture('oai-no-records.xml'), 'x.xml')).toBe('oai-pmh');
    expect(detectFormat(fixture('kaggle-snapshot.jsonl'), 'k.jsonl')).toBe('kaggle');
    expect(detectFormat(fixture('generic.jsonl'), 'g.jsonl')).toBe('jsonl');
    expect(detectFormat(fixture('hf-daily-papers.json'), 'hf.json')).toBe('hf-daily');
    expect(detectFormat(fixture('zotero-csl.json'), 'z.json')).toBe('csl-json');
    expect(detectFormat(fixture('zotero.bib'), 'z.bib')).toBe('bibtex');
    expect(detectFormat(fixture('listings/daily-crlf.txt'), 'd.txt')).toBe('listing');
    expect(detectFormat(fixture('listings/publication-list.txt'), 'p.txt')).toBe('listing');
  });

  it('goes by content, not a misleading extension', () => {
    expect(detectFormat(fixture('zotero.bib'), 'refs.txt')).toBe('bibtex');
    expect(detectFormat(fixture('kaggle-snapshot.jsonl'), 'snapshot.json')).toBe('kaggle');
    expect(detectFormat(fixture('arxiv-api.xml'), 'response.json')).toBe('arxiv-atom');
    expect(detectFormat(fixture('listings/publication-list.txt'), 'papers.bib')).toBe('listing');
  });

  it('knows a Kaggle snapshot saved as one JSON array by its records\' fields', () => {
    const lines = fixture('kaggle-snapshot.jsonl').split('\n').filter(Boolean);
    expect(detectFormat(`[\n${lines.join(',\n')}\n]\n`, 'arxiv-metadata.json')).toBe('kaggle');
    expect(detectFormat(JSON.stringify(lines.map((l) => JSON.parse(l)), null, 2), 'x.json')).toBe('kaggle');
    // Generic papers in an array stay generic.
    expect(detectFormat('[{"id": "2501.00001", "title": "T", "abstract": "A"}]', 'x.json')).toBe('json');
  });

  it('uses the name only where the content leaves a choice', () => {
    expect(detectFormat('[]', 'my-library.csl.json')).toBe('csl-json');
    expect(detectFormat('[]', 'daily_papers.json')).toBe('hf-daily');
    expect(detectFormat('[]', 'x.json')).toBe('json');
  });

  it('reads a JSON Lines head whose first line is longer than the head', () => {
    expect(detectFormat('{"id": "2501.00001", "abstract": "' + 'x'.repeat(1000), 'big.jsonl')).toBe('jsonl');
    expect(detectFormat('{\n  "items": [\n', 'pretty.json')).toBe('json');
  });

  it('recognises gzip by its magic bytes', () => {
    expect(detectFormat('\x1f\x8b\x08\x00', 'data.bin')).toBe('gzip');
  });

  it('knows what it does not know, and says why', () => {
    expect(detectFormat('id,title\n1,Hello\n', 'papers.csv')).toBeUndefined();
    expect(detectFormat('<!DOCTYPE html><html><body>hi</body></html>', 'page.html')).toBeUndefined();
    expect(unknownFormatReason('<!DOCTYPE html><html>', 'page.html')).toMatch(/HTML page/);
    expect(detectFormat('<rss version="2.0"><channel></channel></rss>', 'feed.xml')).toBeUndefined();
    expect(unknownFormatReason('<rss version="2.0">', 'feed.xml')).toMatch(/root <rss>/);
    expect(unknownFormatReason('hello', 'notes.csv')).toMatch(/could not tell what format notes\.csv is in/);
  });
});
