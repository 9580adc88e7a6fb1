import type { Command } from 'commander';
import { existsSync } from 'node:fs';

import { runProfileEval, type CorpusPaper } from '../../eval/profile-eval.ts';
import { fitProductFeaturizer } from '../../profile/deps.ts';
import { CliError, type CliContext } from '../context.ts';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Reads a JSON-lines corpus with a listing day (`announced`/`published`/`date`) per paper. */
function readCorpus(path: string, limit?: number): CorpusPaper[] {
  let raw = readFileSync(path);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const out: CorpusPaper[] = [];
  for (const line of raw.toString('utf8').split('\n')) {
    if (limit !== undefined && out.length >= limit) break;
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const day = [o.announced, o.published, o.date].find((v): v is string => typeof v === 'string');
      const authors = Array.isArray(o.authors) ? o.authors.filter((a): a is string => typeof a === 'string') : [];
      if (!day || typeof o.title !== 'string' || !authors.length) continue;
      out.push({ id: String(o.id ?? out.length), title: o.title, abstract: typeof o.abstract === 'string' ? o.abstract : '', authors, day: day.slice(0, 10) });
    } catch {
      // skip a broken line
    }
  }
  return out;
}

/** `radar eval profile [FILE]` (registered on the `eval` command). */
export function addEvalProfile(evalCmd: Command, ctx: () => CliContext): void {
  evalCmd
    .command('profile')
    .description('the feed model on replayed days: authors with many papers as synthetic researchers, earlier papers → profile, later ones → positives among their day; AUC, nDCG@10, P@10 per method')
    .argument('[file]', 'corpus, JSON lines (.gz ok) with title, abstract, authors and a day', '../shared/data/arxiv-daily/papers.jsonl.gz')
    .option('--researchers <n>', 'synthetic researchers (default 40)')
    .option('--min-papers <n>', 'papers an author needs (default 12)')
    .option('--limit <n>', 'read only the first N papers of the corpus')
    .option('--db <path>', 'ignored (the evaluation uses no database)')
    .option('--json', 'machine-readable output on stdout')
    .action(async (file: string, o: { researchers?: string; minPapers?: string; limit?: string }) => {
      const c = ctx();
      if (!existsSync(file)) throw new CliError(`${file}: not found (give a JSON-lines corpus such as ../shared/data/arxiv-daily/papers.jsonl.gz)`);
      const corpus = readCorpus(file, o.limit ? Number(o.limit) : undefined);
      if (corpus.length === 0) throw new CliError(`${file}: no paper with title, authors and a day`);
      const r = await runProfileEval(corpus, fitProductFeaturizer, {
        researchers: o.researchers ? Number(o.researchers) : undefined,
        minPapers: o.minPapers ? Number(o.minPapers) : undefined,
        progress: (line) => c.say(line),
      });
      if (c.json) return c.emitJson(r);
      c.say(`\n${r.researchers} synthetic researchers, ${r.days} (researcher, day) cases; features ${r.features}; author names hidden from every method`);
      c.say(`  ${'method'.padEnd(22)} ${'AUC'.padStart(7)} ${'nDCG@10'.padStart(8)} ${'P@10'.padStart(7)}`);
      for (const [m, v] of Object.entries(r.methods)) c.say(`  ${m.padEnd(22)} ${v.auc.toFixed(4).padStart(7)} ${v['ndcg@10'].toFixed(4).padStart(8)} ${v['p@10'].toFixed(4).padStart(7)}`);
    });
}
