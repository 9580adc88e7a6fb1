/**
 * Exact word forms before stem-only matches. Keyword retrieval matches on
 * stems (Porter: "grokking" and "Grok" are both `grok`), which finds the
 * inflections people mean ("networks" for "network"), but when some papers
 * carry the very word typed and others only share its stem, the word typed is
 * what was meant: a search for "grokking" wants the grokking papers before
 * those about the Grok model. Pure: the retrieval order, the papers' text and
 * the typed words in; a stable re-order out (papers with more of the typed
 * forms first, the retrieval order within each group).
 */
import { words as tokenWords } from '../text/tokenize.ts';
import type { ParsedQuery } from '../query/ast.ts';

/** The words the query asks for as typed (not prefixes, not excluded), lower-cased. */
export function typedForms(q: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const c of q.clauses) {
    const atoms = c.kind === 'any' ? c.atoms : [c];
    for (const a of atoms) {
      if (a.kind === 'term' && !a.prefix) for (const w of tokenWords(a.word)) out.add(w);
      if (a.kind === 'phrase') for (const w of a.words ?? []) for (const t of tokenWords(w)) out.add(t);
    }
  }
  return [...out];
}

/** How many of `forms` occur as whole words in the text. */
export function exactFormCount(forms: string[], text: string): number {
  if (!forms.length) return 0;
  const have = new Set(tokenWords(text));
  let n = 0;
  for (const f of forms) if (have.has(f)) n++;
  return n;
}

/** Re-orders `ranked` so papers holding more of the typed forms come first; ties keep their order. */
export function exactFormsFirst<T>(ranked: T[], forms: string[], textOf: (item: T) => string | undefined): T[] {
  if (forms.length === 0 || ranked.length < 2) return ranked;
  const keyed = ranked.map((item, i) => ({ item, i, n: exactFormCount(forms, textOf(item) ?? '') }));
  keyed.sort((a, b) => b.n - a.n || a.i - b.i);
  return keyed.map((k) => k.item);
}
