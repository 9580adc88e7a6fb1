/**
 * Real browser for the end-to-end suite: Debian's chromium driven by
 * playwright-core (never a downloaded browser). The suite skips with a
 * message when chromium or ../shared is absent, unless
 * `RADAR_TEST_BROWSER=require` (CI): then it fails, so a missing browser can
 * never pass as a green run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { PROJECT_ROOT, SHARED_DIR } from '../helpers/shared.ts';

export const CHROMIUM = process.env.RADAR_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(PROJECT_ROOT, 'artifacts', 'screenshots');

/** Run, skip (with why) or fail (with why) the browser suite, given what is missing. */
export function browserMode(missing: string[], env: NodeJS.ProcessEnv = process.env): { mode: 'run' } | { mode: 'skip' | 'fail'; reason: string } {
  if (!missing.length) return { mode: 'run' };
  const reason = `${missing.join(', ')} not found — install chromium with apt-get, and keep ../shared next to the project`;
  return { mode: env.RADAR_TEST_BROWSER === 'require' ? 'fail' : 'skip', reason };
}

export function describeBrowser(name: string, fn: () => void): void {
  const m = browserMode([CHROMIUM, SHARED_DIR].filter((p) => !existsSync(p)));
  if (m.mode === 'run') describe(name, fn);
  else if (m.mode === 'skip') describe.skip(`${name} (skipped: ${m.reason})`, fn);
  else throw new Error(`RADAR_TEST_BROWSER=require, but ${m.reason}`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The header is sticky: scrolled, it would be drawn over the middle of a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
