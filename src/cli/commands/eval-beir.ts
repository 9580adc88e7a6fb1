import type { Command } from 'commander';
import { BEIR_MODES, SIMILAR_VARIANTS, runBeirEval, type BeirMode, type BeirReport } from '../../eval/beir.ts';
import { formatInterval, formatPaired } from '../../eval/stats.ts';
import { BeirFormatError } from '../../eval/beir-data.ts';
import { chooseEmbedder } from '../../vectors/select.ts';
import { defaultKeywordRetriever, defaultSearchRetriever } from '../../eval/beir-retrievers.ts';
import { CliError, type CliContext } from '../context.ts';

function printTable(c: CliContext, r: BeirReport): void {
  c.say(`\n${r.dataset}: ${r.corpus} papers, ${r.queries} queries (${r.queriesByExample} by example), dense model ${r.embedder}; background: ${r.background ? `${r.background} papers from ${r.backgroundPath}` : 'none (fitted on the corpus alone)'}`);
  c.say('mean [95% bootstrap interval over queries]');
  c.say(`  ${'mode'.padEnd(16)} ${'nDCG@10'.padEnd(22)} ${'Recall@100'.padEnd(22)} ${'MRR@10'.padEnd(22)}`);
  const names = [...BEIR_MODES.filter((m) => r.modes[m]), ...Object.keys(r.variants)];
  for (const name of names) {
    const i = r.intervals[name];
    if (i) c.say(`  ${name.padEnd(16)} ${formatInterval(i['ndcg@10']).padEnd(22)} ${formatInterval(i['recall@100']).padEnd(22)} ${formatInterval(i['mrr@10']).padEnd(22)}`);
  }
  for (const mode of BEIR_MODES) if (r.skipped[mode]) c.say(`  ${mode.padEnd(16)} skipped: ${r.skipped[mode]}`);
  if (Object.keys(r.variants).length) c.say('  (variants: queries by example only)');
  if (Object.keys(r.paired).length) {
    c.say('default minus each, paired by query: difference [95% interval], sign-flip p');
    for (const [name, p] of Object.entries(r.paired)) c.say(`  ${name.padEnd(16)} nDCG@10 ${formatPaired(p['ndcg@10'])}   Recall@100 ${formatPaired(p['recall@100'])}`);
  }
  if (r.selection) {
    const s = r.selection;
    c.say(`selection by ${s.folds}-fold cross-validation × ${s.repeats} repeats among ${s.candidates.join(', ')}:`);
    c.say(`  chosen: ${Object.entries(s.chosen).map(([k, v]) => `${k} ${v}`).join(', ')} (of ${s.folds * s.repeats} folds)`);
    c.say(`  held-out nDCG@10 of the selection ${formatInterval(s.heldOut)}; default minus selection ${formatPaired(s.defaultVsSelection)}`);
  }
  if (r.byKind) {
    for (const kind of ['text', 'example'] as const) {
      c.say(`  ${kind === 'text' ? 'text queries' : 'queries by example'}:`);
      for (const mode of BEIR_MODES) {
        const m = r.byKind[kind][mode];
        if (m) c.say(`    ${mode.padEnd(7)} ${m['ndcg@10'].toFixed(4).padStart(8)} ${m['recall@100'].toFixed(4).padStart(11)} ${m['mrr@10'].toFixed(4).padStart(8)}`);
      }
    }
  }
}

/** `radar eval beir DIR` (registered on the `eval` command). */
export function addEvalBeir(evalCmd: Command, ctx: () => CliContext): void {
  evalCmd
    .command('beir')
    .description('nDCG@10, Recall@100 and MRR@10 of every retrieval mode on a BEIR-layout benchmark, indexed into a throwaway database')
    .argument('<dir>', 'directory with corpus.jsonl, queries.jsonl and qrels/test.tsv')
    .option('--background <file>', 'also fit the built-in model on these papers (JSON lines, .gz ok), e.g. ../shared/data/arxiv-daily/papers.jsonl.gz')
    .option('--background-limit <n>', 'use only the first N background papers')
    .option('--import <files...>', 'take the corpus from these files (any import format) instead of DIR/corpus.jsonl; corpus ids are paper ids')
    .option('--mode <mode>', `only this mode (repeatable): ${BEIR_MODES.join(', ')}`, (v: string, prev: string[] = []) => [...prev, v])
    .option('--queries <n>', 'only the first N queries')
    .option('--ablations', `also score variants of the default on queries by example (${Object.keys(SIMILAR_VARIANTS).join(', ')}), paired with it and cross-validated`)
    .option('--embedder <spec>', 'dense model: builtin (default), onnx:DIR, openai:URL?model=NAME')
    .option('--db <path>', 'keep the evaluation database here: an SQLite file, or a postgres:// URL of an empty database to evaluate that backend (default: a temporary file, removed)')
    .option('--json', 'machine-readable output on stdout')
    .action(async (dir: string, o: { background?: string; backgroundLimit?: string; import?: string[]; mode?: string[]; queries?: string; embedder?: string; db?: string; ablations?: boolean }) => {
      const c = ctx();
      const modes = o.mode as BeirMode[] | undefined;
      for (const m of modes ?? []) if (!BEIR_MODES.includes(m)) throw new CliError(`--mode must be one of ${BEIR_MODES.join(', ')}, got "${m}"`, 2);
      const positive = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new CliError(`${name} must be a positive whole number, got "${v}"`, 2);
        return n;
      };
      let report: BeirReport;
      try {
        report = await runBeirEval(dir, {
          background: o.background,
          backgroundLimit: positive(o.backgroundLimit, '--background-limit'),
          importFiles: o.import,
          modes: modes && o.ablations && !modes.includes('default') ? [...modes, 'default'] : modes,
          variants: o.ablations ? SIMILAR_VARIANTS : undefined,
          limitQueries: positive(o.queries, '--queries'),
          embedder: chooseEmbedder(o.embedder),
          keyword: defaultKeywordRetriever,
          search: defaultSearchRetriever,
          db: o.db ?? c.dbFlag,
          progress: (line) => c.say(line),
        });
      } catch (err) {
        if (err instanceof BeirFormatError) throw new CliError(err.message, 2);
        throw err;
      }
      if (c.json) return c.emitJson(report);
      printTable(c, report);
    });
}
