import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBibtex } from '../../src/ingest/parsers/bibtex.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'ingest', name), 'utf8');
const ctx = (name: string) => ({ name, seenAt: '2026-01-01T00:00:00.000Z', today: '2026-01-01' });

describe('BibTeX', () => {
  it('reads a Zotero export with a broken entry among good ones', () => {
    const r = parseBibtex(fixture('zotero.bib'), ctx('my.bib'));
    expect(r.records.map((x) => x.title)).toEqual([
      'Attention Is All You Need',
      'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
      'Über die Stabilität von neuronalen Netzen mit α-Regularisierung',
      'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ locator: 'my.bib:30', severity: 'error' });
    expect(r.problems[0].message).toMatch(/broken_entry_2020 is broken and was skipped/);
  });

  it('turns LaTeX into Unicode, keeps name particles, and marks "and others" as a partial list', () => {
    const r = parseBibtex(fixture('zotero.bib'), ctx('my.bib'));
    expect(r.records[2]).toMatchObject({
      authors: ['Jörg Müller', 'María García', 'Jan van der Berg'],
      authorsComplete: false,
      venue: 'Journal of Imaginary Results',
      year: 2021,
      source: { locator: 'my.bib:36' },
    });
  });

  it('finds arXiv ids in url, DOI and eprint fields', () => {
    const r = parseBibtex(fixture('zotero.bib'), ctx('my.bib'));
    expect(r.records[0]).toMatchObject({ arxivId: '1706.03762', abstract: expect.stringMatching(/the Transformer, based solely/) });
    expect(r.records[3]).toMatchObject({ arxivId: '1810.04805', categories: ['cs.CL'], venue: 'CoRR' });
    expect(r.records[1].doi).toBe('10.18653/v1/N19-1423');
    expect(r.records[1].arxivId).toBeUndefined();
  });

  it('keeps HTML in titles as text, verbatim', () => {
    const bib = '@article{x, title = {<script>alert("x")</script> and <b>bold</b> claims}, author = {Doe, Jane}, year = {2020}}';
    expect(parseBibtex(bib, ctx('x.bib')).records[0].title).toBe('<script>alert("x")</script> and <b>bold</b> claims');
  });
});
