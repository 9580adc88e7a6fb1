/**
 * Text → terms for the term-based features (TF-IDF, and the built-in dense
 * model built on it). The words are those of the shared tokenizer
 * (src/text/tokenize.ts: NFKD-folded, lower-cased runs of letters/digits of two
 * or more characters, stop words dropped, Porter-stemmed), so a term here
 * means the same as in the full-text index and in explanations.
 *
 * This is the hot loop of index maintenance (every imported paper passes
 * through it), so it scans characters itself instead of running the
 * tokenizer's regular expressions, caches stems, and hashes n-grams by
 * combining the hashes of their words instead of building strings. A test
 * checks it produces the shared tokenizer's words exactly.
 *
 * N-grams never cross a field boundary or a sentence end, so "… network. Loss
 * …" does not produce the bigram "network loss".
 */
import { foldText } from '../paper/normalise.ts';
import { isStopWord, stem } from '../text/tokenize.ts';
import type { TextDoc } from './types.ts';

export type TextField = 'title' | 'abstract' | 'authors';

export interface AnalyzerConfig {
  /** Which fields are read (default title + abstract). */
  fields: TextField[];
  /** Smallest and largest n-gram length (1–2 is arxiv-sanity's recipe). */
  ngramMin: number;
  ngramMax: number;
  /** Title terms are counted this many times: a title says what the paper is about more densely than its abstract. */
  titleRepeat: number;
}

export const DEFAULT_ANALYZER: AnalyzerConfig = { fields: ['title', 'abstract'], ngramMin: 1, ngramMax: 2, titleRepeat: 1 };

/** 32-bit FNV-1a over UTF-16 code units, finished with murmur3's avalanche so low bits are well mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of an n-gram from its words' hashes (order matters). */
export function combineHash(prefix: number, next: number): number {
  return fmix(Math.imul(prefix ^ 0x9e3779b9, 0x01000193) ^ next);
}

/** Hash of a term as a string (`"neural collapse"` → the same value the analyzer gives that bigram). */
export function termHash(term: string): number {
  const parts = term.split(' ');
  let h = hashString(parts[0]);
  for (let i = 1; i < parts.length; i++) h = combineHash(h, hashString(parts[i]));
  return h;
}

export interface Word {
  stem: string;
  hash: number;
}

/**
 * Lower-cased word → its stem and the stem's hash (`null` for stop words),
 * looked up by the word's characters in place: the scan hashes each word as
 * it reads it and compares characters, so a known word (nearly every word of
 * a large import) costs no substring and no string hashing. Open addressing
 * over typed arrays; cleared when half full, so a huge corpus cannot grow it
 * forever.
 */
class WordCache {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly keys: (string | undefined)[];
  private readonly words: (Word | null)[];
  private used = 0;

  constructor(bits = 20) {
    const size = 2 ** bits;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.words = new Array<Word | null>(size).fill(null);
  }

  /** The entry of `text[start, end)`, whose hash (`wordHash`) is `h`. */
  get(text: string, start: number, end: number, h: number): Word | null {
    const len = end - start;
    let i = h & this.mask;
    for (;;) {
      const key = this.keys[i];
      if (key === undefined) break;
      if (this.hashes[i] === h && key.length === len) {
        let k = 0;
        while (k < len && key.charCodeAt(k) === text.charCodeAt(start + k)) k++;
        if (k === len) return this.words[i];
      }
      i = (i + 1) & this.mask;
    }
    if (this.used * 2 >= this.mask) {
      this.keys.fill(undefined);
      this.words.fill(null);
      this.used = 0;
      i = h & this.mask;
    }
    const w = text.slice(start, end);
    const e = isStopWord(w) ? null : this.wordOf(w);
    this.keys[i] = w;
    this.hashes[i] = h;
    this.words[i] = e;
    this.used++;
    return e;
  }

  private wordOf(w: string): Word {
    const s = stem(w);
    return { stem: s, hash: hashString(s) };
  }
}

const wordCache = new WordCache();

const MARKS = /[\u0300-\u036f]/g;
const WORD_CHAR = /[\p{L}\p{N}]/u;

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** True for '.', '!', '?', ';', ':' — a sentence end when followed by white space. */
function isStop(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0;
}

/**
 * Content words of a passage, stemmed, in runs an n-gram may span (split at
 * sentence ends and blank lines).
 */
export function wordRuns(text: string): Word[][] {
  let folded = text;
  // Non-ASCII text takes the shared tokenizer's folding (accents off, compatibility forms); ASCII needs only lower-casing.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) folded = text.normalize('NFKD').replace(MARKS, '');
  folded = folded.toLowerCase();
  const runs: Word[][] = [];
  let run: Word[] = [];
  let start = -1;
  // FNV-1a of the current word's code units, for the word cache.
  let h = 0;
  const n = folded.length;
  const endWord = (end: number) => {
    if (start >= 0 && end - start >= 2) {
      const w = wordCache.get(folded, start, end, h);
      if (w) run.push(w);
    }
    start = -1;
  };
  const endRun = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (let i = 0; i < n; i++) {
    const c = folded.charCodeAt(i);
    let word: boolean;
    let width = 1;
    if (c < 128) word = isAsciiWordChar(c);
    else {
      const cp = folded.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      word = WORD_CHAR.test(String.fromCodePoint(cp));
    }
    if (word) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ c, 0x01000193);
      if (width === 2) h = Math.imul(h ^ folded.charCodeAt(++i), 0x01000193);
      continue;
    }
    endWord(i);
    if (isStop(c) && i + 1 < n && isSpace(folded.charCodeAt(i + 1))) endRun();
    else if (c === 10) {
      // A blank line (paragraph break) ends a run too.
      let j = i + 1;
      while (j < n && (folded.charCodeAt(j) === 32 || folded.charCodeAt(j) === 9 || folded.charCodeAt(j) === 13)) j++;
      if (j < n && folded.charCodeAt(j) === 10) endRun();
    }
  }
  endWord(n);
  endRun();
  return runs;
}

/** The text of the n-gram `run[at, at + len)` (built only when asked for, e.g. to name a feature). */
export function termText(run: readonly Word[], at: number, len: number): string {
  if (len === 1) return run[at].stem;
  let t = run[at].stem;
  for (let j = 1; j < len; j++) t += ` ${run[at + j].stem}`;
  return t;
}

/**
 * Calls `emit(hash, single, run, at, len)` for every n-gram of a document,
 * with repeats: the n-gram is `run[at, at + len)` (`termText` builds its text,
 * so none is built unless asked for); `single` is true for one-word terms (not
 * n-grams or author names, which come as one-element runs). No object is
 * made per term: this is the hot loop of index maintenance.
 */
export function forEachTerm(doc: TextDoc, cfg: AnalyzerConfig, emit: (hash: number, single: boolean, run: readonly Word[], at: number, len: number) => void): void {
  for (const field of cfg.fields) {
    if (field === 'authors') {
      // Whole names, so "Yann LeCun" is one feature and does not match "Yann" in a title.
      for (const a of doc.authors ?? []) {
        const key = foldText(a).replace(/\s+/g, '_');
        if (!key) continue;
        const h = hashString(`@${key}`);
        emit(h, false, [{ stem: `@${key}`, hash: h }], 0, 1);
      }
      continue;
    }
    const text = field === 'title' ? doc.title : doc.abstract;
    if (!text) continue;
    const times = field === 'title' ? Math.max(1, cfg.titleRepeat) : 1;
    for (const run of wordRuns(text)) {
      for (let t = 0; t < times; t++) {
        for (let len = cfg.ngramMin; len <= cfg.ngramMax; len++) {
          for (let i = 0; i + len <= run.length; i++) {
            let h = run[i].hash;
            for (let j = 1; j < len; j++) h = combineHash(h, run[i + j].hash);
            emit(h, len === 1, run, i, len);
          }
        }
      }
    }
  }
}

/** The terms of a document as strings, with repeats (for vocabulary-based models and tests). */
export function analyze(doc: TextDoc, cfg: AnalyzerConfig = DEFAULT_ANALYZER): string[] {
  const out: string[] = [];
  forEachTerm(doc, cfg, (_h, _single, run, at, len) => out.push(termText(run, at, len)));
  return out;
}
