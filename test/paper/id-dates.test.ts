import { describe, expect, it } from 'vitest';
import { arxivIdMonth, yearFromArxivId } from '../../src/paper/id-dates.ts';
import { emptyPaper, mergeRecord } from '../../src/paper/merge.ts';
import type { PaperRecord } from '../../src/paper/types.ts';

describe('arxivIdMonth', () => {
  it('reads new- and old-style ids', () => {
    expect(arxivIdMonth('2508.01234')).toEqual({ year: 2025, month: 8 });
    expect(arxivIdMonth('0704.0001v2')).toEqual({ year: 2007, month: 4 });
    expect(arxivIdMonth('hep-th/9901001')).toEqual({ year: 1999, month: 1 });
    expect(arxivIdMonth('math.AG/0312001')).toEqual({ year: 2003, month: 12 });
  });
  it('says nothing for what is not an arXiv id', () => {
    expect(arxivIdMonth(undefined)).toBeUndefined();
    expect(arxivIdMonth('10.1000/xyz')).toBeUndefined();
    expect(arxivIdMonth('2513.01234')).toBeUndefined();
  });
});

describe('yearFromArxivId', () => {
  it('gives a year-less day the id\'s year when the months agree', () => {
    expect(yearFromArxivId('2026-08-13', '2508.01234')).toBe('2025-08-13');
  });
  it('and in the month after, across a year boundary too', () => {
    expect(yearFromArxivId('2026-09-02', '2508.01234')).toBe('2025-09-02');
    expect(yearFromArxivId('2026-01-03', '2412.09999')).toBe('2025-01-03');
  });
  it('says nothing when the months do not fit, or the day does not exist that year', () => {
    expect(yearFromArxivId('2026-10-13', '2508.01234')).toBeUndefined();
    expect(yearFromArxivId('2026-07-31', '2508.01234')).toBeUndefined();
    expect(yearFromArxivId('2024-02-29', '2502.00001')).toBeUndefined();
    expect(yearFromArxivId('2026-08-13', undefined)).toBeUndefined();
  });
});

describe('mergeRecord and year-less listing dates', () => {
  const listing = (r: Partial<PaperRecord>): PaperRecord => ({
    title: 'A Paper',
    source: { kind: 'listing', locator: 'paste:1', seenAt: '2026-12-01T00:00:00Z' },
    ...r,
  });
  const merge = (...recs: PaperRecord[]) => recs.reduce((acc, r) => mergeRecord(acc.paper, acc.titleRank, r), { paper: emptyPaper('2026-12-01T00:00:00Z'), titleRank: -1 }).paper;

  it('re-dates a guessed year by the arXiv id, in the record or already on the paper', () => {
    expect(merge(listing({ arxivId: '2508.01234', published: '2026-08-13', publishedYearGuessed: true }))).toMatchObject({ published: '2025-08-13', year: 2025, listingDate: '2025-08-13' });
    const known = merge(listing({ arxivId: '2508.01234', title: 'A Paper' }), listing({ published: '2026-09-01', publishedYearGuessed: true }));
    expect(known).toMatchObject({ published: '2025-09-01', year: 2025 });
  });
  it('keeps a printed year, and a guess the id cannot vouch for', () => {
    expect(merge(listing({ arxivId: '2508.01234', published: '2026-08-13' })).published).toBe('2026-08-13');
    expect(merge(listing({ arxivId: '2508.01234', published: '2026-11-13', publishedYearGuessed: true })).published).toBe('2026-11-13');
    expect(merge(listing({ published: '2026-08-13', publishedYearGuessed: true })).published).toBe('2026-08-13');
  });
});
