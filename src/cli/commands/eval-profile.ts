import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { corpusFromStore, readDatedCorpus, type CorpusPaper } from '../../eval/background.ts';
import { runProfileEval } from '../../eval/profile-eval.ts';
import { fitProductFeaturizer } from '../../eval/expertise.ts';
import { formatInterval, formatPaired } from '../../eval/stats.ts';
import { CliError, type CliContext } from '../context.ts';

const DEFAULT_CORPUS = '../shared/data/arxiv-daily/papers.jsonl.gz';

const whole = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${name} must be a positive whole number, got "${v}"`, 2);
  return n;
};

/** `radar eval profile [FILE]` (registered on the `eval` command). */
export function addEvalProfile(evalCmd: Command, ctx: () => CliContext): void {
  evalCmd
    .command('profile')
    .description('the feed model on replayed days: authors with many papers as synthetic researchers, earlier papers → profile, later ones → positives among their day; AUC, nDCG@10, P@10 per method')
    .argument('[file]', `corpus, JSON lines (.gz ok) with title, abstract, authors and a day (default: the database named by --db/RADAR_DB, else ${DEFAULT_CORPUS})`)
    .option('--researchers <n>', 'synthetic researchers (default 40)')
    .option('--days <n>', 'at most N days per researcher, the first after their profile (a quicker, sampled run)')
    .option('--min-papers <n>', 'papers an author needs (default 12)')
    .option('--limit <n>', 'read only the first N papers of the corpus')
    .option('--sanity-negatives <n>', "cap arxiv-sanity-lite's negatives at N random papers (default: every other paper, as its svm_rank; slower)")
    .option('--json', 'machine-readable output on stdout')
    .action(async (file: string | undefined, o: { researchers?: string; days?: string; minPapers?: string; limit?: string; sanityNegatives?: string }) => {
      const c = ctx();
      const limit = whole(o.limit, '--limit') ?? Infinity;
      let corpus: CorpusPaper[];
      let from: string;
      if (!file && c.dbNamed) {
        from = c.dbLocation;
        corpus = await c.withStore((store) => corpusFromStore(store.papers, limit));
      } else {
        from = file ?? DEFAULT_CORPUS;
        if (!existsSync(from)) throw new CliError(`${from}: not found (give a JSON-lines corpus such as ${DEFAULT_CORPUS}, or --db DATABASE to replay a database)`, 2);
        corpus = readDatedCorpus(from, limit);
      }
      if (corpus.length === 0) throw new CliError(`${from}: no paper with a title, authors and a day`, 2);
      c.say(`corpus: ${corpus.length.toLocaleString('en')} dated papers from ${from}`);
      const r = await runProfileEval(corpus, fitProductFeaturizer, {
        researchers: whole(o.researchers, '--researchers'),
        days: whole(o.days, '--days'),
        minPapers: whole(o.minPapers, '--min-papers'),
        sanityNegatives: whole(o.sanityNegatives, '--sanity-negatives'),
        progress: (line) => c.say(line),
      });
      if (c.json) return c.emitJson(r);
      c.say(`\n${r.researchers} synthetic researchers, ${r.days} (researcher, day) cases; features ${r.features}; author names hidden from every method`);
      c.say('means over researchers [95% bootstrap interval over researchers]');
      c.say(`  ${'method'.padEnd(22)} ${'AUC'.padEnd(22)} ${'nDCG@10'.padEnd(22)} ${'P@10'.padEnd(22)}`);
      for (const [m, i] of Object.entries(r.intervals)) c.say(`  ${m.padEnd(22)} ${formatInterval(i.auc).padEnd(22)} ${formatInterval(i['ndcg@10']).padEnd(22)} ${formatInterval(i['p@10']).padEnd(22)}`);
      c.say('default minus each, paired by researcher: difference [95% interval], sign-flip p');
      for (const [m, p] of Object.entries(r.paired)) c.say(`  ${m.padEnd(22)} AUC ${formatPaired(p.auc)}   nDCG@10 ${formatPaired(p['ndcg@10'])}`);
      for (const [m, why] of Object.entries(r.skipped)) c.say(`  ${m.padEnd(22)} skipped: ${why}`);
    });
}
