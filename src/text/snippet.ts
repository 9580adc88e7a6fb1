/**
 * Snippets: the window of an abstract around the densest cluster of matched
 * words, as structured segments (`[{ text, hit }]`, for any renderer) and as
 * HTML in which every character of the abstract is escaped and only the
 * `<mark>` elements are ours. So LaTeX (`$\alpha < \beta$`) and markup in
 * abstracts (`<script>`) show as the text they are, never as markup.
 *
 * The window prefers, in order: more distinct query terms, more hits, an
 * earlier position; it starts at the beginning of the sentence when that is
 * close, never cuts a word, and does not cut through a `$…$` formula when it
 * can avoid it.
 */
import { Highlighter, segmentsOf, segmentsToHtml, tokenizeWithSpans, type HighlightTerms, type Segment } from './highlight.ts';

export interface Snippet {
  /** Segments of the snippet text, in order; `…` marks elided text at either end. */
  segments: Segment[];
  /** The same, as HTML: escaped text with `<mark>` around hits. */
  html: string;
  /** The text was cut at the start / end. */
  cutStart: boolean;
  cutEnd: boolean;
}

export interface SnippetOptions {
  /** Longest snippet text, in characters (default 260). */
  maxChars?: number;
}

const ELLIPSIS = '…';

/** Collapses runs of whitespace (abstracts arrive with hard line breaks). */
export function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `$…$` and `$$…$$` spans, so a window can avoid cutting a formula in half. */
function mathSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /\$\$[^$]+\$\$|(?<!\\)\$[^$]+?(?<!\\)\$/g;
  for (const m of text.matchAll(re)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}

function build(text: string, from: number, to: number, tokens: ReturnType<typeof tokenizeWithSpans>, hits: Map<number, number>): Snippet {
  const cutStart = from > 0;
  const cutEnd = to < text.length;
  const segments = segmentsOf(text, tokens, hits, from, to);
  if (segments.length) {
    if (!segments[0].hit) segments[0] = { text: segments[0].text.trimStart(), hit: false };
    const last = segments.length - 1;
    if (!segments[last].hit) segments[last] = { text: segments[last].text.trimEnd(), hit: false };
  }
  const out = segments.filter((s) => s.text.length > 0);
  if (cutStart) out.unshift({ text: `${ELLIPSIS} `, hit: false });
  if (cutEnd) out.push({ text: ` ${ELLIPSIS}`, hit: false });
  // Merge neighbouring plain segments (the ellipsis with the text next to it).
  const merged: Segment[] = [];
  for (const s of out) {
    const prev = merged[merged.length - 1];
    if (prev && !prev.hit && !s.hit) prev.text += s.text;
    else merged.push({ ...s });
  }
  return { segments: merged, html: segmentsToHtml(merged), cutStart, cutEnd };
}

/** Start of a word at or after `i` (or `i` when inside no word). */
function wordStartAfter(text: string, i: number): number {
  while (i > 0 && i < text.length && /[\p{L}\p{N}]/u.test(text[i - 1]) && /[\p{L}\p{N}]/u.test(text[i])) i++;
  return i;
}

/** End of a word at or before `i`. */
function wordEndBefore(text: string, i: number): number {
  while (i > 0 && i < text.length && /[\p{L}\p{N}]/u.test(text[i - 1]) && /[\p{L}\p{N}]/u.test(text[i])) i--;
  return i;
}

/**
 * The best window of `text` for the query terms. With no hits (the paper
 * matched on its title or authors) it is the opening of the text.
 */
export function makeSnippet(rawText: string, terms: HighlightTerms | Highlighter, opts: SnippetOptions = {}): Snippet {
  const text = tidy(rawText ?? '');
  const max = Math.max(40, opts.maxChars ?? 260);
  const h = terms instanceof Highlighter ? terms : new Highlighter(terms);
  const tokens = tokenizeWithSpans(text);
  const hits = h.empty ? new Map<number, number>() : h.match(tokens);
  if (text.length <= max) return build(text, 0, text.length, tokens, hits);

  const hitIdx = [...hits.keys()].sort((a, b) => a - b);
  let from = 0;
  if (hitIdx.length) {
    // Best window starting at some hit: most distinct terms, then most hits, then earliest.
    let best = { distinct: -1, count: -1, first: 0 };
    for (let a = 0; a < hitIdx.length; a++) {
      const start = tokens[hitIdx[a]].start;
      const ids = new Set<number>();
      let count = 0;
      for (let b = a; b < hitIdx.length && tokens[hitIdx[b]].end - start <= max * 0.8; b++) {
        ids.add(hits.get(hitIdx[b])!);
        count++;
      }
      if (ids.size > best.distinct || (ids.size === best.distinct && count > best.count)) best = { distinct: ids.size, count, first: start };
    }
    // Some context before the first hit: the sentence start when near, else a few words.
    const sentence = Math.max(text.lastIndexOf('. ', best.first), text.lastIndexOf('? ', best.first), text.lastIndexOf('! ', best.first));
    from = sentence >= 0 && best.first - (sentence + 2) <= max * 0.3 ? sentence + 2 : wordStartAfter(text, Math.max(0, best.first - Math.floor(max * 0.15)));
    if (from <= Math.floor(max * 0.15)) from = 0;
  }
  let to = wordEndBefore(text, Math.min(text.length, from + max));
  for (const [a, b] of mathSpans(text)) {
    if (a < from && b > from) from = b - a <= max / 2 ? a : wordStartAfter(text, b);
    if (a < to && b > to) to = b - from <= max * 1.25 ? b : a;
  }
  if (to <= from) to = Math.min(text.length, from + max);
  return build(text, from, to, tokens, hits);
}

/** The whole text with hits marked (titles). */
export function highlightText(rawText: string, terms: HighlightTerms | Highlighter): Snippet {
  const text = tidy(rawText ?? '');
  const h = terms instanceof Highlighter ? terms : new Highlighter(terms);
  const tokens = tokenizeWithSpans(text);
  return build(text, 0, text.length, tokens, h.empty ? new Map() : h.match(tokens));
}

