/** @jsxRuntime automatic */
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { MarkedMath, MathText, PageStyles, snippetOf, splitMath, StylesContext } from '../../src/web/math.tsx';

function render(text: string): { html: string; styles: PageStyles } {
  const styles = new PageStyles();
  const html = renderToString(h(StylesContext.Provider, { value: styles }, h(MathText, { text })));
  return { html, styles };
}

/** Highlighted segments as a search result renders them; `[word]` marks a hit. */
function marked(spec: string, withStyles = true): string {
  const segments = spec.split(/(\[[^\]]*\])/).filter(Boolean).map((t) => (t.startsWith('[') ? { text: t.slice(1, -1), hit: true } : { text: t, hit: false }));
  const node = h(MarkedMath, { segments });
  return withStyles ? renderToString(h(StylesContext.Provider, { value: new PageStyles() }, node)) : renderToString(node);
}

/** What a reader sees: the HTML without its tags and KaTeX's MathML copy of the source. */
const visible = (html: string) => html.replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, '').replace(/<[^>]+>/g, '');

describe('math in titles and abstracts', () => {
  it('splits text and math on the usual delimiters', () => {
    expect(splitMath('a $x^2$ b $$\\sum_i$$ c \\(y\\) d \\[z\\]')).toEqual([
      { math: false, text: 'a ' },
      { math: true, tex: 'x^2', display: false, source: '$x^2$' },
      { math: false, text: ' b ' },
      { math: true, tex: '\\sum_i', display: true, source: '$$\\sum_i$$' },
      { math: false, text: ' c ' },
      { math: true, tex: 'y', display: false, source: '\\(y\\)' },
      { math: false, text: ' d ' },
      { math: true, tex: 'z', display: true, source: '\\[z\\]' },
    ]);
  });

  it('leaves prices, lone and escaped dollars as text', () => {
    for (const t of ['costs $5 and $10 today', 'a lone $ sign', 'US\\$ 3 and \\$4', '$ x$', '$x $']) {
      expect(splitMath(t).every((s) => !s.math), t).toBe(true);
    }
    expect(splitMath('US\\$ 3')).toEqual([{ math: false, text: 'US$ 3' }]);
  });

  it('escapes the text around math and renders only the math with KaTeX, without inline styles', () => {
    const { html, styles } = render('<script>alert(1)</script> with $\\alpha < \\beta$ & more');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('class="katex"');
    expect(html).not.toMatch(/\sstyle="/);
    expect(styles.size).toBeGreaterThan(0);
    expect(styles.usedMath).toBe(true);
    expect(styles.css()).toMatch(/^\[data-k="[0-9a-f]{12}"\]\{[^}<]+\}/);
    // An id names its style on every page and fragment, so a fragment's rules never clash with the page's.
    const again = render('$\\beta > \\alpha$').styles;
    const shared = styles.entries().filter(([id]) => again.entries().some(([other]) => other === id));
    expect(shared.length).toBeGreaterThan(0);
    for (const [id, style] of shared) expect(again.entries()).toContainEqual([id, style]);
  });

  it('does not let TeX make links or scripts, and shows bad TeX instead of failing', () => {
    const { html } = render('see $\\href{javascript:alert(1)}{x}$ and $\\url{http://e.example}$ and $\\frac{1}{$');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('<a ');
    expect(render('bad $\\frac{1}{$ tex').html).toBeTruthy();
  });

  it('renders math in highlighted search text, keeping the marks outside formulas', () => {
    const html = marked('Fast [sorting] in $\\mathcal{O}(n \\log n)$ time');
    expect(html).toContain('<mark>sorting</mark>');
    expect(html).toContain('class="katex"');
    expect(visible(html)).not.toContain('$');
    expect(visible(html)).not.toContain('\\mathcal');
    expect(html).not.toMatch(/\sstyle="/);
    // Without a page's styles (no KaTeX stylesheet to go with it) the text stays as it is, marked.
    expect(marked('Fast [sorting] in $O(n)$', false)).toBe('Fast <mark>sorting</mark> in $O(n)$');
  });

  it('marks a formula whole when a highlighted word is inside it, never a mark inside KaTeX', () => {
    const html = marked('in $\\mathcal{O}(n \\[log] n)$ time');
    expect(html).toMatch(/^in <mark class="math-hit"><span class="math"><span class="katex">/);
    const inside = /<span class="math">([\s\S]*)<\/span><\/mark>/.exec(html)![1];
    expect(inside).not.toContain('<mark');
    // A mark that runs from text into a formula: the text part and the formula are both marked.
    const across = marked('[bound $x$] holds');
    expect(across).toMatch(/^<mark>bound <\/mark><mark class="math-hit"><span class="math">/);
    expect(across).toContain('</mark> holds');
  });

  it('escapes highlighted text around math and never interprets its markup', () => {
    const html = marked('<b>bold</b> [<script>] $x<y$ & an escaped \\$[5] price');
    expect(html).toContain('&lt;b>bold&lt;/b> <mark>&lt;script></mark> ');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('class="katex"');
    expect(html).toContain('&amp; an escaped $<mark>5</mark> price');
  });

  it('cuts snippets at a word, never inside a formula', () => {
    const text = `We bound the error by ${'word '.repeat(40)}$\\mathcal{O}(n \\log n)$ and then more words follow here.`;
    const s = snippetOf(text, 220);
    expect(s.cut).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(220);
    expect((s.text.match(/\$/g) ?? []).length % 2).toBe(0);
    expect(snippetOf('short', 100)).toEqual({ text: 'short', cut: false });
    const plain = snippetOf('alpha beta gamma delta epsilon', 14);
    expect(plain).toEqual({ text: 'alpha beta', cut: true });
  });
});
