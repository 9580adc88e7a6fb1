import { describe, expect, it } from 'vitest';
import { escapeHtml as fromHighlight } from '../../src/text/highlight.ts';
import { escapeHtml } from '../../src/text/escape.ts';
import { browserMode } from './browser.ts';

describe('the browser suite in CI', () => {
  it('runs when chromium and ../shared are there, skips when not, and fails when CI requires it', () => {
    expect(browserMode([], {})).toEqual({ mode: 'run' });
    expect(browserMode(['/usr/bin/chromium'], {})).toMatchObject({ mode: 'skip', reason: expect.stringContaining('/usr/bin/chromium not found') });
    expect(browserMode(['/usr/bin/chromium'], { RADAR_TEST_BROWSER: 'require' })).toMatchObject({ mode: 'fail' });
    expect(browserMode([], { RADAR_TEST_BROWSER: 'require' })).toEqual({ mode: 'run' });
  });
});

describe('one HTML escaper', () => {
  it('escapes the five characters that matter in content and quoted attributes, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a> $\\alpha$ é`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt; $\\alpha$ é');
    expect(fromHighlight).toBe(escapeHtml);
  });
});
