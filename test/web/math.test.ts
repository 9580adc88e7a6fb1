/** @jsxRuntime automatic */
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { MathText, PageStyles, snippetOf, splitMath, StylesContext } from '../../src/web/math.tsx';

function render(text: string): { html: string; styles: PageStyles } {
  const styles = new PageStyles();
  const html = renderToString(h(StylesContext.Provider, { value: styles }, h(MathText, { text })));
  return { html, styles };
}

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
    expect(styles.css()).toMatch(/^\[data-k="0"\]\{[^}<]+\}/);
  });

  it('does not let TeX make links or scripts, and shows bad TeX instead of failing', () => {
    const { html } = render('see $\\href{javascript:alert(1)}{x}$ and $\\url{http://e.example}$ and $\\frac{1}{$');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('<a ');
    expect(render('bad $\\frac{1}{$ tex').html).toBeTruthy();
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
