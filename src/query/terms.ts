/** What of a parsed query a snippet should mark: its positive words, prefixes and phrases (not exclusions or filters). */
import type { HighlightTerms } from '../text/highlight.ts';
import { atomsOf, type ParsedQuery } from './ast.ts';

export function highlightTerms(q: ParsedQuery): HighlightTerms {
  const out: HighlightTerms = { words: [], prefixes: [], phrases: [] };
  for (const a of q.clauses.flatMap(atomsOf)) {
    if (a.kind === 'term') (a.prefix ? out.prefixes : out.words).push(a.word);
    else if (a.words.length === 1 && !a.prefix) out.words.push(a.words[0]);
    else out.phrases.push(a.prefix ? [...a.words.slice(0, -1), `${a.words[a.words.length - 1]}*`] : a.words);
  }
  return out;
}

/** Plain text of the query's positive words (for retrievers that read text, such as dense embedders). */
export function queryText(q: ParsedQuery): string {
  return q.clauses
    .flatMap(atomsOf)
    .map((a) => (a.kind === 'term' ? a.word : a.words.join(' ')))
    .join(' ');
}
