import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/text/escape.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a> $\\alpha$ é`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt; $\\alpha$ é');
  });
});
