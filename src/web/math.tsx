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
import katex from 'katex';
import { createContext } from 'preact';
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
  if (!MAYBE_MATH.test(text)) return text ? [{ math: false, text }] : [];
  const out: Segment[] = [];
  let buf = '';
  let i = 0;
  const flush = () => {
    if (buf) out.push({ math: false, text: buf });
    buf = '';
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
          out.push({ math: true, tex, display, source: text.slice(i, end + close.length) });
          i = end + close.length;
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
        out.push({ math: true, tex: text.slice(i + 1, end), display: false, source: text.slice(i, end + 1) });
        i = end + 1;
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

/** Collects KaTeX's inline styles for one page; html.tsx emits them as a nonce'd stylesheet. */
export class PageStyles {
  private readonly ids = new Map<string, number>();
  id(style: string): number {
    let n = this.ids.get(style);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(style, n);
    }
    return n;
  }
  get size(): number {
    return this.ids.size;
  }
  /** Whether any math was rendered (the page then links KaTeX's stylesheet). */
  usedMath = false;
  css(): string {
    // Style values come from KaTeX (numbers and units); `<` cannot occur, but make sure the element cannot be closed early.
    return [...this.ids].map(([style, n]) => `[data-k="${n}"]{${style}}`).join('\n').replace(/</g, '\\3c ');
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

/** Text with its math rendered. Plain text is escaped by Preact. */
export function MathText({ text }: { text: string }) {
  const styles = useContext(StylesContext);
  if (!styles || !hasMath(text)) return <>{text}</>;
  styles.usedMath = true;
  return (
    <>
      {splitMath(text).map((s, i) =>
        s.math ? <span key={i} class="math" dangerouslySetInnerHTML={{ __html: externaliseStyles(renderTex(s.tex, s.display), styles) }} /> : s.text,
      )}
    </>
  );
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
