import { describe, expect, it } from 'vitest';
import { browserMode } from './browser.ts';

describe('the browser suite in CI', () => {
  it('runs when chromium and ../shared are there, skips when not, and fails when CI requires it', () => {
    expect(browserMode([], {})).toEqual({ mode: 'run' });
    expect(browserMode(['/usr/bin/chromium'], {})).toMatchObject({ mode: 'skip', reason: expect.stringContaining('/usr/bin/chromium not found') });
    expect(browserMode(['/usr/bin/chromium'], { RADAR_TEST_BROWSER: 'require' })).toMatchObject({ mode: 'fail' });
    expect(browserMode([], { RADAR_TEST_BROWSER: 'require' })).toEqual({ mode: 'run' });
  });
});
