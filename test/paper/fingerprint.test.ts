import { describe, expect, it } from 'vitest';
import { contentFingerprint, emptyPaper, mergeRecord } from '../../src/paper/merge.ts';
import type { Paper } from '../../src/paper/types.ts';

/** The original definition: fingerprints stored by earlier versions must still compare equal. */
function referenceStableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceStableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceStableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('contentFingerprint', () => {
  it('is the sorted-key JSON of the visible fields, as before', () => {
    const p = mergeRecord(emptyPaper('2026-01-01T00:00:00Z'), -1, {
      arxivId: '2501.00001',
      title: 'A "quoted" title with ünïcode',
      abstract: 'An abstract.',
      authors: ['B', 'A'],
      categories: ['cs.LG', 'cs.AI'],
      versions: [{ version: 2, date: '2025-01-02' }, { version: 1 }],
      links: { pdf: 'https://arxiv.org/pdf/2501.00001', abs: 'https://arxiv.org/abs/2501.00001' },
      signals: { upvotes: 3, keywords: ['x', 'y'], organization: undefined },
      source: { kind: 'jsonl', locator: 'x:1', seenAt: '2026-01-01T00:00:00Z' },
    }).paper;
    const { addedAt: _a, modifiedAt: _m, ...rest } = p;
    expect(contentFingerprint(p)).toBe(referenceStableJson(rest));
    const odd = { ...p, extra: [1, undefined, null, { z: 1, a: [true, 'x'] }], empty: {}, nested: { b: undefined, a: 0 } } as unknown as Paper;
    const { addedAt: _b, modifiedAt: _n, ...restOdd } = odd;
    expect(contentFingerprint(odd)).toBe(referenceStableJson(restOdd));
  });
});
