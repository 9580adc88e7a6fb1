/**
 * Real browser for the end-to-end suite: Debian's chromium driven by
 * playwright-core (never a downloaded browser). The suite skips with a
 * message when chromium or ../shared is absent.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { PROJECT_ROOT, SHARED_DIR } from '../helpers/shared.ts';

export const CHROMIUM = process.env.RADAR_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(PROJECT_ROOT, 'artifacts', 'screenshots');

export function describeBrowser(name: string, fn: () => void): void {
  const missing = [CHROMIUM, SHARED_DIR].filter((p) => !existsSync(p));
  if (missing.length) describe.skip(`${name} (skipped: ${missing.join(', ')} not found — install chromium with apt-get, and keep ../shared next to the project)`, fn);
  else describe(name, fn);
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
