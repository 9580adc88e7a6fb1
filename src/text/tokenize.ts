/**
 * The one tokenizer every JavaScript-side text feature shares (TF-IDF, dense
 * models, snippets, explanations), so a term means the same thing everywhere.
 * It matches SQLite FTS5's `porter unicode61 remove_diacritics 2` closely
 * enough that a highlighted snippet marks the words the full-text index matched.
 */
import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stopwords.ts';

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /[\u0300-\u036f]/g;

/** Lower-cased, accent-free words of two or more characters, in order. */
export function words(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const m of folded.matchAll(WORD)) if (m[0].length >= 2) out.push(m[0]);
  return out;
}

const stemCache = new Map<string, string>();

/** Porter stem of a lower-case word (cached: vocabularies repeat). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : stemmer(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Stemmed content words: what term-based features count. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOP_WORDS.has(w)) out.push(stem(w));
  return out;
}
