/**
 * Query-side word folding. Same folding as the shared tokenizer
 * (src/text/tokenize.ts: NFKD, accents removed, lower case, runs of letters and
 * digits) so a query word means what an indexed word means, but it keeps
 * one-character words: inside a phrase (`k-means`, `GPT 4`) they matter, and
 * the full-text index holds them.
 */
import { isStopWord } from '../text/tokenize.ts';

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /[\u0300-\u036f]/g;

/** Longest word kept: nothing real is longer, and a 10 kB "word" must not reach a backend. */
export const MAX_WORD_CHARS = 64;

export function foldWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const m of folded.matchAll(WORD)) out.push(m[0].length > MAX_WORD_CHARS ? m[0].slice(0, MAX_WORD_CHARS) : m[0]);
  return out;
}

/**
 * Words from the shared stop list that carry meaning in a paper search and so
 * are kept as query terms (scikit-learn's list was made for topic features:
 * it drops "system", "first", "bottom"…, which people do search for:
 * "recommender system", "first-order", "bottom-up").
 */
const MEANINGFUL = new Set([
  'system', 'first', 'last', 'bottom', 'top', 'front', 'back', 'side', 'part', 'full', 'empty', 'detail', 'describe',
  'fire', 'bill', 'interest', 'move', 'name', 'call', 'fill', 'mill', 'thick', 'thin', 'amount', 'serious', 'found',
  'find', 'show', 'give', 'keep', 'take', 'put', 'cry', 'made', 'well', 'un',
]);

/** A word too common to search for on its own: the shared stop list minus the meaningful words above, and single letters. */
export function isQueryStopWord(word: string): boolean {
  if (word.length === 1) return !/\d/.test(word);
  return isStopWord(word) && !MEANINGFUL.has(word);
}
