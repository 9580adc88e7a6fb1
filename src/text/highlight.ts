/**
 * Which words of a text a query matched, with their character spans, computed
 * with the shared tokenizer's folding and Porter stemmer so the marks agree
 * with what the full-text index matched: `collapse` marks "collapsed",
 * `"neural collapse"` marks the two words only where they stand together,
 * `grok*` marks "grokking".
 */
import { escapeHtml } from './escape.ts';
import { stem } from './tokenize.ts';

/** What to mark: single words (compared by stem), prefixes, and phrases (consecutive words). */
export interface HighlightTerms {
  /** Folded words, matched by stem. */
  words: string[];
  /** Folded prefixes, matched against the folded word. */
  prefixes: string[];
  /** Folded word sequences; a last word ending in `*` is a prefix. */
  phrases: string[][];
}

export interface Segment {
  text: string;
  hit: boolean;
}

interface Token {
  start: number;
  end: number;
  folded: string;
  stem: string;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const MARKS = /[\u0300-\u036f]/g;

/** ASCII letters and digits: the common case, decided without a regex. */
function asciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/**
 * Runs of letters, digits and combining marks with their spans, folded
 * (NFKD, accents off, lower case) and stemmed. A hand-written scan: this runs
 * over every abstract on a results page, and a Unicode regex per token costs
 * several times more.
 */
export function tokenizeWithSpans(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Skip to the next word character.
    let c = text.charCodeAt(i);
    if (c < 128 ? !asciiWordChar(c) : !WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)!))) {
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      continue;
    }
    const start = i;
    let ascii = true;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 128) {
        if (!asciiWordChar(c)) break;
        i++;
      } else {
        if (!WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)!))) break;
        ascii = false;
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      }
    }
    const raw = text.slice(start, i);
    const folded = ascii ? raw.toLowerCase() : raw.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    if (folded) out.push({ start, end: i, folded, stem: stem(folded) });
  }
  return out;
}

/** A compiled matcher: tokens in, the indices of tokens that are hits (with which term each hit). */
export class Highlighter {
  private readonly stems: Map<string, number>;
  private readonly prefixes: { p: string; id: number }[];
  private readonly phrases: { words: { stem?: string; prefix?: string }[]; id: number }[];
  /** Number of distinct things a query asks for (for choosing the best snippet window). */
  readonly size: number;

  constructor(terms: HighlightTerms) {
    let id = 0;
    this.stems = new Map();
    for (const w of terms.words) if (!this.stems.has(stem(w))) this.stems.set(stem(w), id++);
    this.prefixes = terms.prefixes.filter(Boolean).map((p) => ({ p, id: id++ }));
    this.phrases = terms.phrases
      .filter((ph) => ph.length > 0)
      .map((ph) => ({
        words: ph.map((w, i) => (i === ph.length - 1 && w.endsWith('*') ? { prefix: w.slice(0, -1) } : { stem: stem(w) })),
        id: id++,
      }));
    this.size = id;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  /** For each token index that is a hit, the id of the term it matched. */
  match(tokens: Token[]): Map<number, number> {
    const hits = new Map<number, number>();
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const s = this.stems.get(t.stem);
      if (s !== undefined) hits.set(i, s);
      else {
        const p = this.prefixes.find((x) => t.folded.startsWith(x.p));
        if (p) hits.set(i, p.id);
      }
      for (const ph of this.phrases) {
        if (i + ph.words.length > tokens.length) continue;
        const first = ph.words[0];
        if (first.stem !== undefined ? t.stem !== first.stem : !t.folded.startsWith(first.prefix!)) continue;
        const ok = ph.words.every((w, j) => {
          const tok = tokens[i + j];
          return w.prefix !== undefined ? tok.folded.startsWith(w.prefix) : tok.stem === w.stem;
        });
        if (ok) for (let j = 0; j < ph.words.length; j++) hits.set(i + j, ph.id);
      }
    }
    return hits;
  }
}

/**
 * Splits `text[from, to)` into hit and non-hit segments. Hits separated only
 * by spaces or hyphens merge into one segment ("neural collapse" is one mark).
 */
export function segmentsOf(text: string, tokens: Token[], hits: Map<number, number>, from = 0, to = text.length): Segment[] {
  const out: Segment[] = [];
  let at = from;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.start < from || t.end > to || !hits.has(i)) {
      i++;
      continue;
    }
    let end = t.end;
    let j = i + 1;
    while (j < tokens.length && hits.has(j) && tokens[j].end <= to && /^[\s\-‐-―]*$/.test(text.slice(end, tokens[j].start))) {
      end = tokens[j].end;
      j++;
    }
    if (t.start > at) out.push({ text: text.slice(at, t.start), hit: false });
    out.push({ text: text.slice(t.start, end), hit: true });
    at = end;
    i = j;
  }
  if (at < to) out.push({ text: text.slice(at, to), hit: false });
  return out;
}

// Re-exported: snippet.ts and older callers import it from here.

/** Segments as HTML: every character escaped, hits wrapped in `<mark>`. */
export function segmentsToHtml(segments: Segment[]): string {
  return segments.map((s) => (s.hit ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join('');
}
