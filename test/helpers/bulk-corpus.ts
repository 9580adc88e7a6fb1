import { writeFileSync } from 'node:fs';

const WORDS = 'graph neural network diffusion transformer attention collapse reasoning tokens retrieval agents policy reward speech vision language'.split(' ');

/** Writes `n` distinct arXiv-like records as JSON Lines: enough papers for an import to switch to a bulk load and be killed mid-way. */
export function writeBulkCorpus(path: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
    lines.push(
      JSON.stringify({
        id: `2501.${String(10000 + i)}`,
        title: `Paper ${i} on ${w(1)} ${w(2)} and ${w(3)}`,
        abstract: `We study ${w(1)} ${w(4)} with ${w(5)} ${w(6)}; experiment number ${i} shows ${w(7)} ${w(8)} improves ${w(9)}.`,
        authors: [`Author ${i % 97}`, `Coauthor ${i % 31}`],
        categories: ['cs.LG'],
        announced: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
