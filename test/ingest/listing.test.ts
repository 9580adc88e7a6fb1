import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitTitleAuthors } from '../../src/ingest/listing/authors.ts';
import { inferPageYear, parseDateLine, resolveListingDay } from '../../src/ingest/listing/dates.ts';
import { parseListing } from '../../src/ingest/parsers/listing.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'ingest', 'listings');
const ctx = (name: string) => ({ name, seenAt: '2026-11-22T00:00:00.000Z', today: '2026-11-22' });
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('listing dates', () => {
  it('reads dates with and without a year, with upvotes after them', () => {
    expect(parseDateLine('Sep 27')).toEqual({ month: 9, day: 27 });
    expect(parseDateLine('Jan 18, 2024')).toEqual({ month: 1, day: 18, year: 2024 });
    expect(parseDateLine('Jun 26 2')).toEqual({ month: 6, day: 26, upvotes: 2 });
    expect(parseDateLine('Oct 7, 2024 2')).toEqual({ month: 10, day: 7, year: 2024, upvotes: 2 });
    expect(parseDateLine('Published on September 3, 2025')).toEqual({ month: 9, day: 3, year: 2025 });
    expect(parseDateLine('Sep 32')).toBeUndefined();
    expect(parseDateLine('Septic tanks 3')).toBeUndefined();
  });

  it('puts a page in the year after the latest year it prints, not after today', () => {
    // Page "Nov 14" printing years up to 2024 was copied in 2025.
    expect(inferPageYear({ month: 11, day: 14 }, [2020, 2024], '2026-11-22')).toBe(2025);
    // No years printed: the latest year whose page date is not in the future.
    expect(inferPageYear({ month: 8, day: 13 }, [], '2026-11-22')).toBe(2026);
    expect(inferPageYear({ month: 12, day: 1 }, [], '2026-11-22')).toBe(2025);
    // Printed years run up to the present: the page cannot be later than today allows.
    expect(inferPageYear({ month: 4, day: 20 }, [2025, 2026], '2026-11-22')).toBe(2026);
  });

  it('puts a year-less date after the page date in the previous year', () => {
    const page = { month: 3, day: 5 };
    expect(resolveListingDay({ month: 3, day: 3 }, 2025, page)).toBe('2025-03-03');
    expect(resolveListingDay({ month: 12, day: 12 }, 2025, page)).toBe('2024-12-12');
    expect(resolveListingDay({ month: 2, day: 29 }, 2025, page)).toBeUndefined();
    expect(resolveListingDay({ month: 7, day: 1, year: 2019 }, 2025, page)).toBe('2019-07-01');
  });
});

describe('title and authors glued together', () => {
  it('splits at the start of the trailing run of names', () => {
    expect(splitTitleAuthors('SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMsDachuan Shi, Abedelkadir Asi, Keying Li et al.')).toEqual({
      title: 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs',
      authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li'],
      etAl: true,
    });
    expect(splitTitleAuthors('Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight DecayLeyan Pan, Xinyuan Cao')).toMatchObject({
      title: 'Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay',
      authors: ['Leyan Pan', 'Xinyuan Cao'],
      etAl: false,
    });
  });

  it('keeps names with particles, initials, hyphens and Mc', () => {
    expect(splitTitleAuthors('Deep NetsJ. R. R. Tolkien, Jean-Pierre van der Berg and Ronald McDonald').authors).toEqual([
      'J. R. R. Tolkien',
      'Jean-Pierre van der Berg',
      'Ronald McDonald',
    ]);
  });

  it('leaves a title alone when no name list follows', () => {
    expect(splitTitleAuthors('TikTok Dynamics in GPT-4oMini')).toEqual({ title: 'TikTok Dynamics in GPT-4oMini', etAl: false });
    expect(splitTitleAuthors('MathSE: Improving Multimodal Mathematical Reasoning')).toEqual({
      title: 'MathSE: Improving Multimodal Mathematical Reasoning',
      etAl: false,
    });
  });
});

describe('parseListing', () => {
  it('reads a Daily Papers page: CRLF, non-breaking spaces, bullets, metadata, organisation, year inference', () => {
    const { records, problems } = parseListing(fixture('daily-crlf.txt'), ctx('daily-crlf.txt'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(3);
    const [a, b, c] = records;
    expect(a).toMatchObject({
      title: 'Scaling Laws for Tiny Transformers',
      authorCount: 5,
      published: '2025-03-03',
      signals: { upvotes: 7 },
      source: { kind: 'listing', locator: 'daily-crlf.txt:13' },
    });
    expect(a.abstract).toMatch(/^We study how tiny transformers.*checkpoints\.$/);
    expect(a.abstractTruncated).toBeUndefined();
    expect(b).toMatchObject({ title: 'A Benchmark for Grounded Reasoning', abstractTruncated: true, published: '2024-12-30', signals: { organization: 'ACME Research' } });
    expect(c).toMatchObject({ authorCount: 2, published: '2024-12-12', signals: { upvotes: 1 } });
    // Which years were printed and which inferred: an arXiv id overrules only the latter when papers merge.
    expect(records.map((r) => r.publishedYearGuessed)).toEqual([true, undefined, true]);
  });

  it('reads the same page pasted twice as the same papers twice (the store merges them)', () => {
    const page = fixture('daily-crlf.txt');
    const { records } = parseListing(page + '\r\n' + page, ctx('twice.txt'));
    expect(records).toHaveLength(6);
    expect(records.slice(3).map((r) => [r.title, r.published])).toEqual(records.slice(0, 3).map((r) => [r.title, r.published]));
  });

  it('reads a publication list: category codes, glued authors, and an abstract running into an Abstract: block', () => {
    const { records } = parseListing(fixture('publication-list.txt'), ctx('list.txt'));
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      title: 'Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay',
      authors: ['Leyan Pan', 'Xinyuan Cao'],
      categories: ['cs.LG'],
      published: '2023-09-09',
    });
    expect(records[0].authorsComplete).toBeUndefined();
    expect(records[1]).toMatchObject({
      title: "McDonald-Style Names and O'Neil Particles in Author Lists",
      authors: ['Ronald McDonald', 'Jean-Pierre van der Berg', "Shaquille O'Neil"],
      categories: ['stat.ML'],
      published: '2024-01-02',
    });
    expect(records[1].abstract).toMatch(/publication lists\.$/);
    expect(records[2].title).toBeUndefined();
    expect(records[2].abstract).toMatch(/^Here a second, title-less abstract/);
  });

  it('reads title/abstract pairs with no metadata, and bare Abstract: blocks', () => {
    const text = [
      'Compressing Features for Learning with Noisy Labels',
      '',
      'Supervised learning can be viewed as distilling relevant information from input data into feature representations. This process becomes difficult when supervision is noisy.',
      '',
      'FlexTok: Resampling Images into 1D Token Sequences',
      '',
      'Image tokenization has enabled major advances in autoregressive image generation by providing compressed, discrete representations that are more efficient to process than raw pixels. While traditional',
      'Abstract:',
      'An abstract whose marker stood on a line of its own, followed by its text on the next line, which is long enough to be prose.',
    ].join('\n');
    const { records } = parseListing(text, ctx('pairs.txt'));
    expect(records.map((r) => [r.title, r.abstractTruncated ?? false])).toEqual([
      ['Compressing Features for Learning with Noisy Labels', false],
      ['FlexTok: Resampling Images into 1D Token Sequences', true],
      [undefined, false],
    ]);
    expect(records[2].source.locator).toBe('pairs.txt:8');
  });

  it('keeps HTML in titles as text', () => {
    const text = '<script>alert(1)</script> Attacks on <b>Bold</b> Models\n\nWe show that markup in titles is just text to a listing parser, and must be kept verbatim so renderers can escape it.';
    expect(parseListing(text, ctx('html.txt')).records[0].title).toBe('<script>alert(1)</script> Attacks on <b>Bold</b> Models');
  });
});
