import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { vocabularyLoader } from '../../src/rank/suggestion.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const paper = (n: number, title: string): PaperRecord => ({
  arxivId: `2403.0000${n}`,
  title,
  abstract: `${title}, studied.`,
  source: { kind: 'manual', locator: `vocab:${n}`, seenAt: '2025-01-01T00:00:00Z' },
});

describe('vocabularyLoader', () => {
  it('keeps the word counts in the store and adds papers written since', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      await store.papers.upsertPapers([paper(1, 'Sparse Transformer'), paper(2, 'Dense Transformer')], '2025-06-01T00:00:00Z');
      const first = await vocabularyLoader(store)();
      expect(first.df.get('transformer')).toBe(2);
      expect(first.df.has('grokking')).toBe(false);
      const stored = await store.models.getModel('vocabulary');
      expect(stored?.data.toString('utf8')).toContain('transformer\t2');

      await store.papers.upsertPapers([paper(3, 'Grokking Transformer'), paper(4, 'Grokking Again')], '2025-06-02T00:00:00Z');
      // A new loader (another process) starts from the stored counts and catches up.
      const later = await vocabularyLoader(store)();
      expect(later.df.get('transformer')).toBe(3);
      expect(later.df.get('grokking')).toBe(2);

      // A following loader (the server) sees papers added after its first answer.
      const follow = vocabularyLoader(store, { follow: true });
      expect((await follow()).df.has('diffusion')).toBe(false);
      await store.papers.upsertPapers([paper(5, 'Diffusion Models'), paper(6, 'Diffusion Again')], '2025-06-03T00:00:00Z');
      expect((await follow()).df.get('diffusion')).toBe(2);
    } finally {
      await store.close();
    }
  });
});
