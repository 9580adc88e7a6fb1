/**
 * Reads what the labels are made of: the stored term counts of a sample of
 * each topic's papers (against the sparse index's corpus document
 * frequencies), and the texts the terms' readable forms come from.
 */
import { decodeTermsRow, TERMS_MODEL, type SparseIndex } from '../sparse-index.ts';
import { distinctiveTerms, labelOf, SurfaceForms, type TermStats } from './labels.ts';
import type { Store } from '../../store/types.ts';

/** Papers per topic whose abstracts are read (titles of the whole sample are). */
const ABSTRACTS_READ = 150;

export async function labelTopics(store: Store, sparse: SparseIndex, samples: number[][]): Promise<{ label: string; terms: string[] }[]> {
  const out: { label: string; terms: string[] }[] = [];
  for (const pks of samples) {
    const stats: TermStats = { df: new Map(), n: 0 };
    const rows = await store.vectors.getVectors(TERMS_MODEL, pks);
    for (const buf of rows.values()) {
      stats.n++;
      for (const id of decodeTermsRow(buf).counts.ids) stats.df.set(id, (stats.df.get(id) ?? 0) + 1);
    }
    const forms = new SurfaceForms();
    for (const b of await store.papers.paperBriefs(pks)) forms.add(b.title);
    for (const p of await store.papers.getPapersByPk(pks.slice(0, ABSTRACTS_READ))) forms.add(p.abstract);
    // Terms are hashed: a feature's name is the first term seen with its id, and at a large
    // corpus two bigrams share an id often enough. A term the topic's own texts never say is
    // another term's collision, not a label.
    const name = (id: number) => {
      const t = sparse.term(id);
      return t && forms.count(t) >= 2 ? t : undefined;
    };
    const terms = distinctiveTerms({ topic: stats, corpusDf: (id) => sparse.table.df[id] ?? 0, corpusN: sparse.papers, name });
    out.push({ label: labelOf(terms, forms), terms: terms.map((t) => forms.form(t.term)) });
  }
  return out;
}
