import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/text/escape.ts';
import { Highlighter, tokenizeWithSpans } from '../../src/text/highlight.ts';
import { highlightText, makeSnippet } from '../../src/text/snippet.ts';

const hitsOf = (segments: { text: string; hit: boolean }[]) => segments.filter((s) => s.hit).map((s) => s.text);
const plain = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

describe('highlighting', () => {
  it('marks words by stem: collapse marks collapsed, Collapses and collapsing', () => {
    const s = highlightText('Features collapsed; Collapses happen while collapsing.', { words: ['collapse'], prefixes: [], phrases: [] });
    expect(hitsOf(s.segments)).toEqual(['collapsed', 'Collapses', 'collapsing']);
  });

  it('marks phrases only where the words stand together, as one mark', () => {
    const s = highlightText('Neural collapse, not collapse of neural nets; neural-collapse again.', { words: [], prefixes: [], phrases: [['neural', 'collapse']] });
    expect(hitsOf(s.segments)).toEqual(['Neural collapse', 'neural-collapse']);
  });

  it('marks prefixes and folds accents', () => {
    const s = highlightText('Grokking and grokked: Schrödinger too.', { words: ['schrodinger'], prefixes: ['grok'], phrases: [] });
    expect(hitsOf(s.segments)).toEqual(['Grokking', 'grokked', 'Schrödinger']);
  });

  it('phrase with a prefix last word', () => {
    const s = highlightText('neural collapsing here, neural nets there', { words: [], prefixes: [], phrases: [['neural', 'coll*']] });
    expect(hitsOf(s.segments)).toEqual(['neural collapsing']);
  });

  it('segments rebuild the text exactly', () => {
    const text = 'A title: with — punctuation (and) "quotes" & <tags>';
    expect(plain(highlightText(text, { words: ['title', 'tags'], prefixes: [], phrases: [] }).segments)).toBe(text);
  });

  it('tokenizes with spans that point into the original text', () => {
    const text = 'Ünïcode ﬁne-tuning';
    for (const t of tokenizeWithSpans(text)) expect(text.slice(t.start, t.end).length).toBeGreaterThan(0);
    expect(tokenizeWithSpans(text).map((t) => t.folded)).toEqual(['unicode', 'fine', 'tuning']);
  });
});

describe('snippets', () => {
  const LONG =
    'Deep networks are trained well past zero training error. ' +
    'Many unrelated sentences follow here to push the interesting part far away from the start of the abstract. '.repeat(4) +
    'At the terminal phase, neural collapse appears: the last-layer features collapse to their class means. ' +
    'More filler text that does not matter for the query at all. '.repeat(4);

  it('is a window around the densest cluster of hits, cut at word boundaries, with ellipses', () => {
    const s = makeSnippet(LONG, { words: [], prefixes: [], phrases: [['neural', 'collapse']] }, { maxChars: 160 });
    expect(hitsOf(s.segments)).toContain('neural collapse');
    expect(s.cutStart).toBe(true);
    expect(s.cutEnd).toBe(true);
    const text = plain(s.segments);
    expect(text.startsWith('… ')).toBe(true);
    expect(text.endsWith(' …')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(160 + 4);
    // Starts at the sentence holding the hit.
    expect(text).toMatch(/^… At the terminal phase/);
  });

  it('prefers a window with more distinct query words', () => {
    const text = `${'collapse '.repeat(3)}${'filler words here. '.repeat(20)}neural networks and their collapse. ${'tail text. '.repeat(20)}`;
    const s = makeSnippet(text, { words: ['neural', 'collapse'], prefixes: [], phrases: [] }, { maxChars: 80 });
    expect(hitsOf(s.segments)).toEqual(expect.arrayContaining(['neural', 'collapse']));
  });

  it('without hits (matched on title or authors) it is the opening of the abstract', () => {
    const s = makeSnippet(LONG, { words: ['zebra'], prefixes: [], phrases: [] }, { maxChars: 100 });
    expect(s.cutStart).toBe(false);
    expect(plain(s.segments).startsWith('Deep networks are trained')).toBe(true);
  });

  it('short abstracts are shown whole; whitespace is tidied', () => {
    const s = makeSnippet('Short\n  abstract\twith collapse.', { words: ['collapse'], prefixes: [], phrases: [] });
    expect(plain(s.segments)).toBe('Short abstract with collapse.');
    expect(s.cutStart || s.cutEnd).toBe(false);
  });

  it('escapes LaTeX and HTML in abstracts: shown as text, only <mark> is markup', () => {
    const abstract = 'We bound $\\alpha < \\beta$ & prove <script>alert("x")</script> collapse <b>bold</b>.';
    const s = makeSnippet(abstract, { words: ['collapse'], prefixes: [], phrases: [] });
    expect(s.html).toBe(
      'We bound $\\alpha &lt; \\beta$ &amp; prove &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>collapse</mark> &lt;b&gt;bold&lt;/b&gt;.',
    );
    expect(s.html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(plain(s.segments)).toBe(abstract);
  });

  it('a hit inside markup is escaped inside its mark', () => {
    const s = highlightText('<collapse>', { words: ['collapse'], prefixes: [], phrases: [] });
    expect(s.html).toBe('&lt;<mark>collapse</mark>&gt;');
  });

  it('does not cut a $…$ formula in half when it can avoid it', () => {
    const formula = '$\\mathcal{L}(\\theta) = \\sum_i \\ell(f_\\theta(x_i), y_i) + \\lambda \\|\\theta\\|^2$';
    const text = `${'Intro words go here. '.repeat(8)}We minimise ${formula} and observe collapse. ${'Later words. '.repeat(10)}`;
    const s = makeSnippet(text, { words: ['collapse'], prefixes: [], phrases: [] }, { maxChars: 120 });
    const shown = plain(s.segments);
    const dollars = (shown.match(/(?<!\\)\$/g) ?? []).length;
    expect(dollars % 2).toBe(0);
  });

  it('survives odd input', () => {
    for (const t of ['', '   ', '$', '$$$$', '\u0000\u0001', '🔥'.repeat(500), 'x'.repeat(5000), '<'.repeat(1000)]) {
      const s = makeSnippet(t, new Highlighter({ words: ['x'], prefixes: ['xx'], phrases: [['x', 'y']] }));
      expect(typeof s.html).toBe('string');
      expect(s.html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
  });

  it('escapeHtml escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
