/** Exact word forms before stem-only matches, on a real store: "grokking" finds the grokking papers before the Grok ones. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exactFormsFirst, typedForms } from '../../src/rank/exact-forms.ts';
import { parseQuery } from '../../src/query/parse.ts';
import { searchPapers } from '../../src/rank/search.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const src = (n: number) => ({ kind: 'manual' as const, locator: `t:${n}`, seenAt: '2025-01-01T00:00:00Z' });

describe('exact word forms first', () => {
  it('keeps the retrieval order within groups and puts the typed forms first', () => {
    const forms = typedForms(parseQuery('grokking transformers').query);
    expect(forms).toEqual(['grokking', 'transformers']);
    const docs = ['Grok model transformer', 'grokking in transformers', 'Grok and grokking', 'unrelated'];
    expect(exactFormsFirst(docs, forms, (d) => d)).toEqual(['grokking in transformers', 'Grok and grokking', 'Grok model transformer', 'unrelated']);
  });

  it('ranks grokking papers above papers about the Grok model in a keyword search', async () => {
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      const grok = (i: number) => ({
        title: `Evaluating Grok ${i}: Grok Grok models answer questions`,
        abstract: `We test the Grok ${i} language model from xAI, Grok, on benchmarks. Grok is compared with other chat models.`,
        source: src(i),
      });
      await store.papers.upsertPapers(
        [
          grok(1),
          grok(2),
          grok(3),
          { title: 'Towards understanding grokking', abstract: 'Delayed generalization, called grokking, appears long after overfitting on algorithmic data.', source: src(10) },
          { title: 'Omnigrok: grokking beyond algorithmic data', abstract: 'We show grokking in images and text by changing weight norm.', source: src(11) },
        ],
        '2025-01-01T00:00:00Z',
      );
      const r = await searchPapers({ store }, 'grokking', { limit: 5, mode: 'bm25' });
      expect(r.hits.map((h) => h.title).slice(0, 2).sort()).toEqual(['Omnigrok: grokking beyond algorithmic data', 'Towards understanding grokking']);
      expect(r.hits.length).toBe(5); // the Grok papers still match the stem, after

      const none = await searchPapers({ store }, 'zyxwvut qwertyuiop', { mode: 'bm25' });
      expect(none.hits).toHaveLength(0);
      expect(none.warnings.map((w) => w.message).join(' ')).not.toMatch(/some of them follow/);
    } finally {
      await store.close();
    }
  });
});
