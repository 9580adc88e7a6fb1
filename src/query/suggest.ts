/**
 * "Did you mean": spelling corrections for query words from the words the
 * papers actually use. The search index holds stems, not typed words, so the
 * vocabulary is built from titles and abstracts (`buildVocabulary`), and a
 * query word that is absent or very rare in it is replaced by the most
 * frequent word within Damerau-Levenshtein distance 1 (2 for long words).
 * Phrases, fields, exclusions, prefixes and operators are left as typed.
 */
import { words } from '../text/tokenize.ts';

export interface Vocabulary {
  /** Document frequency of each lower-case word (3+ letters, in 2+ papers). */
  df: Map<string, number>;
  /** Words by first letter, for cheap candidate lists. */
  byFirst: Map<string, string[]>;
}

const LETTERS = /^\p{L}+$/u;
const MIN_LENGTH = 3;
const MIN_DF = 2;
/** A word in at most this many papers may be a typo of a much more common word. */
const RARE_DF = 2;
/** …when the correction is this many times more common. */
const RARE_RATIO = 10;
const OPERATORS = new Set(['OR', 'AND', 'NOT']);

/** Adds each text's distinct words (3+ letters) to `counts`: a document frequency when a text is one paper. */
export function countWords(texts: Iterable<string>, counts = new Map<string, number>()): Map<string, number> {
  for (const text of texts) {
    for (const w of new Set(words(text))) {
      if (w.length >= MIN_LENGTH && LETTERS.test(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

/** The vocabulary of a set of papers' texts: words of 3+ letters found in 2+ papers. */
export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  return vocabularyFrom(countWords(texts));
}

/** A vocabulary from document frequencies (drops words below the floor). */
export function vocabularyFrom(counts: Map<string, number>): Vocabulary {
  const df = new Map<string, number>();
  const byFirst = new Map<string, string[]>();
  for (const [w, n] of counts) {
    if (n < MIN_DF || w.length < MIN_LENGTH) continue;
    df.set(w, n);
    const list = byFirst.get(w[0]);
    if (list) list.push(w);
    else byFirst.set(w[0], [w]);
  }
  return { df, byFirst };
}

/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), or max + 1 once it exceeds max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The correction for one lower-case word, or undefined when it is common enough or nothing close is. */
export function correctWord(word: string, vocab: Vocabulary): string | undefined {
  if (word.length < MIN_LENGTH || !LETTERS.test(word)) return undefined;
  const own = vocab.df.get(word) ?? 0;
  if (own > RARE_DF) return undefined;
  const max = word.length >= 7 ? 2 : 1;
  let best: string | undefined;
  let bestDf = 0;
  let bestDist = max + 1;
  for (const cand of vocab.byFirst.get(word[0]) ?? []) {
    if (cand === word || Math.abs(cand.length - word.length) > max) continue;
    const n = vocab.df.get(cand)!;
    // Nearer first, then more common; a rare word is replaced only by a much more common one.
    if (own > 0 && n < own * RARE_RATIO) continue;
    const d = editDistance(word, cand, max);
    if (d > max) continue;
    if (d < bestDist || (d === bestDist && (n > bestDf || (n === bestDf && best !== undefined && cand < best)))) {
      best = cand;
      bestDf = n;
      bestDist = d;
    }
  }
  return best;
}

/**
 * The query with misspelt bare words corrected, or undefined when nothing
 * changes. Only plain words are touched: quoted phrases, `field:value`,
 * `-exclusions`, `prefix*` and OR/AND/NOT stay exactly as typed.
 */
export function suggestQuery(query: string, vocab: Vocabulary): string | undefined {
  let changed = false;
  const out = query.replace(/"[^"]*("|$)|[^\s"()]+/g, (token) => {
    if (token.startsWith('"') || OPERATORS.has(token)) return token;
    const m = /^(\+?)(\p{L}+)$/u.exec(token);
    if (!m) return token;
    const fixed = correctWord(m[2].toLowerCase(), vocab);
    if (!fixed) return token;
    changed = true;
    return m[1] + fixed;
  });
  return changed ? out : undefined;
}
