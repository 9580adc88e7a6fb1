/**
 * The benchmark corpus beyond the real papers: SYNTHETIC papers (text from a
 * word-bigram model of the real ones, bench/lib/search-corpus.ts) written
 * once as JSON Lines into a cache directory, under the name bench/backends.ts
 * gives it, so benchmarks and helpers running side by side share one file.
 * A writer holds `<file>.tmp` (created exclusively); another process that
 * finds it waits for the file instead of writing a second copy.
 */
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readArxivDaily, syntheticRecord, syntheticSource } from './search-corpus.ts';

export const REAL_PAPERS = 74_728;

/** The file of `count` synthetic papers in `cacheDir`, written first when missing. */
export async function syntheticFile(dailyPath: string, cacheDir: string, count: number, log: (s: string) => void = () => {}): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `synthetic-${count}.jsonl`);
  const tmp = `${file}.tmp`;
  for (;;) {
    if (existsSync(file)) return file;
    try {
      closeSync(openSync(tmp, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      log(`waiting for another process writing ${tmp} …`);
      await sleep(15_000);
    }
  }
  log(`writing ${count.toLocaleString('en')} synthetic papers (bigram model of the real ones) to ${file} …`);
  const src = syntheticSource(await readArxivDaily(dailyPath));
  const out = createWriteStream(tmp);
  for (let i = 0; i < count; i++) {
    const r = syntheticRecord(src, i);
    const line = JSON.stringify({ doi: r.doi, title: r.title, abstract: r.abstract, authors: r.authors, categories: r.categories, announced: r.announced, upvotes: r.signals?.upvotes });
    if (!out.write(`${line}\n`)) await new Promise<void>((ok) => out.once('drain', () => ok()));
  }
  await new Promise<void>((ok) => out.end(() => ok()));
  renameSync(tmp, file);
  return file;
}
