/**
 * Access to ../shared (seed listings and real data sets). Tests that need it
 * use `describeShared`, which skips with a message naming the missing path when
 * the project is cloned without it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = resolve(PROJECT_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export const SEEDS = {
  publicationList: sharedPath('seeds', '000_ce7cc7f2da94cefb.txt'),
  dailyPapers1: sharedPath('seeds', '001_73fefdafc637b9f9.txt'),
  abstracts: sharedPath('seeds', '002_7536356f948e08b0.txt'),
  dailyPapers2: sharedPath('seeds', '003_67bb0901c62c62da.txt'),
  dailyPapers3: sharedPath('seeds', '004_d0e73d1649c49f1f.txt'),
};
export const ALL_SEEDS = Object.values(SEEDS);

/** `describe` that runs only when every given shared path exists, and says why it skipped otherwise. */
export function describeShared(name: string, paths: string[], fn: () => void): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) {
    describe.skip(`${name} (skipped: ${missing.join(', ')} not found; ../shared is absent)`, fn);
  } else {
    describe(name, fn);
  }
}
