import type { Command } from 'commander';
import { fitProductFeaturizer, runExpertiseEval, type ExpertiseReport } from '../../eval/expertise.ts';
import { formatInterval, formatPaired } from '../../eval/stats.ts';
import { CliError, type CliContext } from '../context.ts';

function printReport(c: CliContext, r: ExpertiseReport) {
  c.say(`\nreviewer-match: ${r.researchers} researchers, ${r.ratings} ratings; features ${r.features}; background: ${r.background.path ? `${r.background.papers} papers from ${r.background.path}` : 'none (cold start)'}`);
  c.say('weighted Kendall-tau loss (lower is better; 0.5 = constant) [95% bootstrap interval over researchers];');
  c.say('default minus each method, paired by researcher (negative: default loses less) [95% interval], sign-flip p; default better in % of random halves');
  const rows = Object.entries(r.methods).sort((a, b) => a[1].loss - b[1].loss);
  for (const [name, m] of rows) {
    const vs = m.vsDefault ? `${formatPaired(m.vsDefault)}   ${Math.round((r.splitHalf.defaultWins[name] ?? 0) * 100)}% of halves` : '';
    c.say(`  ${name.padEnd(24)} ${formatInterval(m.ci)}   ${vs}`);
  }
  if (r.selection) {
    const s = r.selection;
    c.say(`selection by ${s.folds}-fold cross-validation over researchers × ${s.repeats} repeats among the model's variants:`);
    c.say(`  chosen: ${Object.entries(s.chosen).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')} (of ${s.folds * s.repeats} folds)`);
    c.say(`  held-out loss of the selection ${formatInterval(s.heldOut)}; default minus selection ${formatPaired(s.defaultVsSelection)}`);
  }
  c.say('published, same 38 researchers and profiles: ' + Object.entries(r.published).map(([k, v]) => `${k} ${v}`).join(', '));
  c.say('zotero-arxiv-daily uses our built-in dense embedder in place of its sentence-transformer.');
  for (const p of r.problems.slice(0, 10)) c.say(`problem: ${p}`);
}

/** `radar eval expertise DIR` (registered on the `eval` command). */
export function addEvalExpertise(evalCmd: Command, ctx: () => CliContext): void {
  evalCmd
    .command('expertise')
    .description('rank reviewer-match researchers\' rated papers from their own papers; weighted Kendall-tau loss per method')
    .argument('<dir>', 'reviewer-match directory (profiles.jsonl, papers.jsonl, ratings.tsv)')
    .option('--background <file>', 'background corpus, JSON lines (.gz ok) with title/abstract (default: ../arxiv-daily/papers.jsonl.gz beside DIR)')
    .option('--no-background', 'measure without any background corpus (cold start: the classifier has no negatives)')
    .option('--background-limit <n>', 'use only the first N background papers')
    .option('--method <name>', 'only this method (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--splits <n>', 'random halves for the split-half check (default 50)')
    .option('--db <path>', 'ignored (the evaluation uses no database)')
    .option('--json', 'machine-readable output on stdout')
    .action(async (dir: string, o: { background?: string | false; backgroundLimit?: string; method?: string[]; splits?: string }) => {
      const c = ctx();
      let report: ExpertiseReport;
      try {
        report = await runExpertiseEval(dir, fitProductFeaturizer, {
          background: typeof o.background === 'string' ? o.background : undefined,
          noBackground: o.background === false,
          backgroundLimit: o.backgroundLimit ? Number(o.backgroundLimit) : undefined,
          methods: o.method,
          splits: o.splits ? Number(o.splits) : undefined,
          progress: (line) => c.say(line),
        });
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (c.json) return c.emitJson(report);
      printReport(c, report);
    });
}
