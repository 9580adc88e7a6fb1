/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * LaTeX in titles and abstracts, rendered on the server with KaTeX so the
 * page arrives finished (no client script, no flash of raw TeX).
 *
 * Safety: text is split into plain-text and math segments; plain text is
 * rendered by Preact (escaped); only the TeX between delimiters goes to KaTeX,
 * with `trust: false` (no \href, \url, \includegraphics…) and
 * `throwOnError: false` (bad TeX shows as red source, never an error), and
 * limits on expansion. KaTeX escapes what it emits.
 *
 * CSP: KaTeX positions glyphs with inline `style` attributes, which a strict
 * `style-src 'self'` blocks. Each distinct style becomes a `data-k` attribute
 * and one rule in a per-page <style> element carrying the response's nonce
 * (see html.tsx), so no inline style is needed.
 */
import { createHash } from 'node:crypto';
import katex from 'katex';
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';

export type Segment = { math: false; text: string } | { math: true; tex: string; display: boolean; source: string };

/**
 * Splits text into text and math. Delimiters: `$$…$$`, `\[…\]` (display),
 * `$…$`, `\(…\)` (inline). A `$` opens math only when followed by a non-space
 * and closes only when preceded by a non-space and not followed by a digit
 * (pandoc's rule), so prices like "$5 and $10" stay text. `\$` is a dollar.
 */
const PAIRS: [string, string, boolean][] = [
  ['$$', '$$', true],
  ['\\[', '\\]', true],
  ['\\(', '\\)', false],
];

/** Cheap test for any math delimiter: most abstracts have none and skip the scan. */
const MAYBE_MATH = /\$|\\\(|\\\[/;

export function splitMath(text: string): Segment[] {
  return scanMath(text).map(({ start: _s, end: _e, ...seg }) => seg);
}

/** A segment with where it stands in the source text (`\$` makes a text segment shorter than its source). */
type Located = Segment & { start: number; end: number };

function scanMath(text: string): Located[] {
  if (!MAYBE_MATH.test(text)) return text ? [{ math: false, text, start: 0, end: text.length }] : [];
  const out: Located[] = [];
  let buf = '';
  let bufStart = 0;
  let i = 0;
  const flush = () => {
    if (buf) out.push({ math: false, text: buf, start: bufStart, end: i });
    buf = '';
    bufStart = i;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      buf += '$';
      i += 2;
      continue;
    }
    let matched = false;
    for (const [open, close, display] of c === '$' || c === '\\' ? PAIRS : []) {
      if (text.startsWith(open, i)) {
        const end = text.indexOf(close, i + open.length);
        if (end > i + open.length && end - i < 4000) {
          flush();
          const tex = text.slice(i + open.length, end);
          out.push({ math: true, tex, display, source: text.slice(i, end + close.length), start: i, end: end + close.length });
          i = end + close.length;
          bufStart = i;
          matched = true;
        }
        break;
      }
    }
    if (matched) continue;
    if (c === '$' && text[i + 1] !== '$' && text[i + 1] !== undefined && !/\s/.test(text[i + 1])) {
      let j = i + 1;
      let end = -1;
      while (j < text.length && j - i < 2000) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text[j] === '$') {
          if (!/\s/.test(text[j - 1]) && !/\d/.test(text[j + 1] ?? '')) end = j;
          break;
        }
        if (text[j] === '\n' && text[j + 1] === '\n') break;
        j++;
      }
      if (end > i + 1) {
        flush();
        out.push({ math: true, tex: text.slice(i + 1, end), display: false, source: text.slice(i, end + 1), start: i, end: end + 1 });
        i = end + 1;
        bufStart = i;
        continue;
      }
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

export function hasMath(text: string): boolean {
  return MAYBE_MATH.test(text) && splitMath(text).some((s) => s.math);
}

/**
 * Collects KaTeX's inline styles for one page (html.tsx emits them as a
 * nonce'd stylesheet) or one fragment (the client script adds them to the
 * page's). An id is a hash of its style, so it means the same style on every
 * page and fragment and a fragment's rules never clash with the page's.
 */
export class PageStyles {
  private readonly ids = new Map<string, string>();
  id(style: string): string {
    let id = this.ids.get(style);
    if (id === undefined) {
      id = createHash('sha256').update(style).digest('hex').slice(0, 12);
      this.ids.set(style, id);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
  /** Whether any math was rendered (the page then links KaTeX's stylesheet). */
  usedMath = false;
  /** `[id, style]` pairs, for a fragment to carry to the page. */
  entries(): [string, string][] {
    return [...this.ids].map(([style, id]) => [id, style]);
  }
  css(): string {
    // Style values come from KaTeX (numbers and units); `<` cannot occur, but make sure the element cannot be closed early.
    return [...this.ids].map(([style, id]) => `[data-k="${id}"]{${style}}`).join('\n').replace(/</g, '\\3c ');
  }
}

export const StylesContext = createContext<PageStyles | null>(null);

const cache = new Map<string, string>();
const CACHE_MAX = 5000;

function renderTex(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 200,
      output: 'htmlAndMathml',
    });
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, html);
  }
  return html;
}

/** KaTeX output with `style="…"` moved into the page's stylesheet (or dropped when there is none, e.g. in fragments). */
function externaliseStyles(html: string, styles: PageStyles | null): string {
  return html.replace(/ style="([^"]*)"/g, (_m, style: string) => (styles ? ` data-k="${styles.id(style)}"` : ''));
}

function Formula({ seg, styles }: { seg: Segment & { math: true }; styles: PageStyles }) {
  return <span class="math" dangerouslySetInnerHTML={{ __html: externaliseStyles(renderTex(seg.tex, seg.display), styles) }} />;
}

/** Text with its math rendered. Plain text is escaped by Preact. */
export function MathText({ text }: { text: string }) {
  const styles = useContext(StylesContext);
  if (!styles || !hasMath(text)) return <>{text}</>;
  styles.usedMath = true;
  return <>{splitMath(text).map((s) => (s.math ? <Formula seg={s} styles={styles} /> : s.text))}</>;
}

/**
 * Highlighted text (search titles and snippets, `{ text, hit }` segments)
 * with its math rendered. Marks outside formulas stay as they are; a formula
 * that contains a marked word is rendered whole and marked as a whole (a mark
 * cannot go inside KaTeX's output). Plain text is escaped by Preact.
 */
export function MarkedMath({ segments }: { segments: { text: string; hit: boolean }[] }) {
  const styles = useContext(StylesContext);
  const text = segments.map((s) => s.text).join('');
  if (!styles || !hasMath(text)) return <>{segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
  styles.usedMath = true;
  const hits: [number, number][] = [];
  let at = 0;
  for (const s of segments) {
    if (s.hit) hits.push([at, at + s.text.length]);
    at += s.text.length;
  }
  // Source text to display text, as splitMath does it (an escaped dollar is a dollar).
  const plain = (from: number, to: number) => text.slice(from, to).replace(/\\\$/g, '$');
  const out: ComponentChildren[] = [];
  for (const seg of scanMath(text)) {
    if (seg.math) {
      const f = <Formula seg={seg} styles={styles} />;
      out.push(hits.some(([a, b]) => a < seg.end && b > seg.start) ? <mark class="math-hit">{f}</mark> : f);
      continue;
    }
    let i = seg.start;
    for (const [a, b] of hits) {
      if (b <= i || a >= seg.end) continue;
      const from = Math.max(a, i);
      const to = Math.min(b, seg.end);
      if (from > i) out.push(plain(i, from));
      out.push(<mark>{plain(from, to)}</mark>);
      i = to;
    }
    if (i < seg.end) out.push(plain(i, seg.end));
  }
  return <>{out}</>;
}

/**
 * The first ~`max` characters of a text for a card, never cutting inside a
 * formula; `cut` says whether anything was left out.
 */
export function snippetOf(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  if (!MAYBE_MATH.test(text)) {
    const cutAt = text.lastIndexOf(' ', max);
    return { text: text.slice(0, cutAt > max * 0.6 ? cutAt : max).replace(/[\s,;:.(\-–]+$/, ''), cut: true };
  }
  let out = '';
  for (const s of splitMath(text)) {
    const piece = s.math ? s.source : s.text;
    if (out.length + piece.length <= max) {
      out += piece;
      continue;
    }
    if (!s.math) {
      const room = max - out.length;
      const cutAt = piece.lastIndexOf(' ', room);
      out += piece.slice(0, cutAt > room * 0.6 ? cutAt : room);
    }
    break;
  }
  return { text: out.replace(/[\s,;:.(\-–]+$/, ''), cut: true };
}
