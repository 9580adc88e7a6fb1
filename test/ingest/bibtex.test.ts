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

// Small exports written for these tests in each tool's style (not copies of real files).
describe('BibTeX as other tools export it', () => {
  it("arXiv's own export: @misc with eprint, archivePrefix and primaryClass", () => {
    const r = parseBibtex(fixture('bibtex/arxiv.bib'), ctx('arxiv.bib'));
    expect(r.problems).toEqual([]);
    expect(r.records).toHaveLength(2);
    expect(r.records[0]).toMatchObject({
      arxivId: '2510.05069',
      title: 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs',
      authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'],
      categories: ['cs.CL'],
      year: 2025,
      links: { abs: 'https://arxiv.org/abs/2510.05069' },
      source: { locator: 'arxiv.bib:1' },
    });
    expect(r.records[0].venue).toBeUndefined();
    expect(r.records[1]).toMatchObject({ arxivId: 'hep-th/9711200', authors: ['Juan M. Maldacena'], categories: ['hep-th'], year: 1997 });
  });

  it('Google Scholar: minimal @article/@inproceedings; "arXiv preprint arXiv:…" is an id, not a venue', () => {
    const r = parseBibtex(fixture('bibtex/google-scholar.bib'), ctx('scholar.bib'));
    expect(r.problems).toEqual([]);
    const [attention, bert, swi] = r.records;
    expect(attention).toMatchObject({
      title: 'Attention is all you need',
      venue: 'Advances in neural information processing systems',
      year: 2017,
      source: { locator: 'scholar.bib:1' },
    });
    expect(attention.authors).toHaveLength(8);
    expect(attention.authors?.[6]).toBe('Łukasz Kaiser');
    expect(attention.arxivId).toBeUndefined();
    expect(bert).toMatchObject({ authors: ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee', 'Kristina Toutanova'], year: 2019 });
    expect(bert.venue).toMatch(/^Proceedings of the 2019 conference of the North American chapter/);
    expect(swi).toMatchObject({ arxivId: '2510.05069', authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'], authorsComplete: false, year: 2025 });
    expect(swi.venue).toBeUndefined();
  });

  it('Mendeley: abstract, keywords, doi, url, file, text months, and LaTeX in citation keys', () => {
    const r = parseBibtex(fixture('bibtex/mendeley.bib'), ctx('mendeley.bib'));
    expect(r.problems).toEqual([]);
    const [attention, bert, muller] = r.records;
    expect(attention).toMatchObject({
      arxivId: '1706.03762',
      title: 'Attention Is All You Need',
      abstract: expect.stringMatching(/^The dominant sequence transduction models.*attention mechanisms\.$/),
      venue: 'Advances in Neural Information Processing Systems',
      year: 2017,
      links: { abs: 'http://arxiv.org/abs/1706.03762' },
      signals: { keywords: ['attention', 'machine translation', 'transformer'] },
      source: { locator: 'mendeley.bib:6' },
    });
    expect(attention.authors).toEqual(['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit', 'Llion Jones', 'Aidan N. Gomez', 'Łukasz Kaiser', 'Illia Polosukhin']);
    // A month without a day gives no publication day; the year stands.
    expect(attention.published).toBeUndefined();
    expect(bert).toMatchObject({
      doi: '10.18653/v1/N19-1423',
      venue: 'Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies',
      year: 2019,
    });
    expect(bert.arxivId).toBeUndefined();
    // Mendeley's key `M{\"{u}}ller2021` used to cost the whole entry.
    expect(muller).toMatchObject({
      title: 'Über die Stabilität von neuronalen Netzen',
      authors: ['Jörg Müller', 'María García'],
      doi: '10.1000/jir.2021.042',
      venue: 'Journal of Imaginary Results',
      year: 2021,
      source: { locator: 'mendeley.bib:38' },
    });
  });
});
