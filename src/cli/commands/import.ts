import cliProgress from 'cli-progress';
import { importInputs, type ImportProgress, type ImportResult } from '../../ingest/import.ts';
import type { FileReport } from '../../ingest/types.ts';
import type { Problem } from '../../paper/types.ts';
import { refreshIndexesHook } from '../../vectors/hook.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';

/** Problems printed per file in human output; `--json` carries up to the report's own cap. */
const SHOWN_PROBLEMS = 20;
/** Without a terminal, a progress line at most this often. */
const LINE_EVERY_MS = 5_000;

function fmt(n: number): string {
  return n.toLocaleString('en');
}

function countsLine(c: { added: number; updated: number; unchanged: number; merged: number }, rejected: number): string {
  return `added ${fmt(c.added)}, updated ${fmt(c.updated)}, unchanged ${fmt(c.unchanged)}, merged duplicates ${fmt(c.merged)}, rejected ${fmt(rejected)}`;
}

interface ProgressReporter {
  update(p: ImportProgress): void;
  /** A line of other long work (the after-import index refresh), printed as it comes. */
  message(line: string): void;
  stop(): void;
}

function progressReporter(c: CliContext): ProgressReporter {
  if (c.json === false && process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{file} |{bar}| {percentage}% | {records} records | {added} added, {updated} updated',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    const stopBar = () => {
      if (current) bar.stop();
      current = '';
    };
    return {
      update(p) {
        const total = p.totalBytes ?? 0;
        const payload = { file: p.file, records: fmt(p.records), added: fmt(p.counts.added), updated: fmt(p.counts.updated) };
        if (p.file !== current) {
          stopBar();
          current = p.file;
          bar.start(total || 1, Math.min(p.bytesRead, total || 1), payload);
        } else bar.update(Math.min(p.bytesRead, total || 1), payload);
      },
      message(line) {
        // The bar owns its line; end it before printing under it.
        stopBar();
        c.say(line);
      },
      stop: stopBar,
    };
  }
  let last = Date.now();
  return {
    update(p) {
      const now = Date.now();
      if (now - last < LINE_EVERY_MS) return;
      last = now;
      const pct = p.totalBytes ? ` ${Math.min(100, Math.floor((100 * p.bytesRead) / p.totalBytes))}%,` : '';
      c.say(`importing ${p.file}:${pct} ${fmt(p.records)} records read (${fmt(p.counts.added)} added, ${fmt(p.counts.updated)} updated so far)`);
    },
    message(line) {
      c.say(line);
    },
    stop() {},
  };
}

function listProblems(c: CliContext, title: string, list: Problem[], total: number): void {
  if (total === 0) return;
  c.say(`  ${title}:`);
  for (const p of list.slice(0, SHOWN_PROBLEMS)) c.say(`    ${p.locator}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
  if (total > SHOWN_PROBLEMS) c.say(`    … and ${fmt(total - SHOWN_PROBLEMS)} more (--json lists up to ${fmt(list.length)})`);
}

function printFile(c: CliContext, f: FileReport): void {
  if (f.unreadable !== undefined) {
    c.say(`${f.name}: NOT READ: ${f.unreadable}`);
    return;
  }
  c.say(`${f.name} (${f.format}${f.gzip ? ', gzip' : ''}): ${fmt(f.records)} records; ${countsLine(f.counts, f.rejectedTotal)}`);
  listProblems(c, 'rejected', f.rejected, f.rejectedTotal);
  listProblems(c, 'warnings', f.warnings, f.warningsTotal);
}

function printReport(c: CliContext, r: ImportResult): void {
  for (const f of r.files) printFile(c, f);
  if (r.files.length > 1) c.say(`total: ${fmt(r.totals.records)} records; ${countsLine(r.totals, r.totals.rejected)}`);
  for (const h of r.hooks) if (!h.ok) c.say(`after import, ${h.name} failed: ${h.error}`);
}

export const registerImport: Register = (program, ctx) => {
  program
    .command('import')
    .description(
      'import papers from files: arXiv API (Atom) or OAI-PMH XML, the Kaggle arXiv snapshot and other JSON Lines (.gz too), ' +
        'Hugging Face Daily Papers JSON, BibTeX, CSL-JSON, or pasted listing text; the format is detected from the content',
    )
    .argument('<files...>', 'files to import')
    .option('--batch-size <n>', 'records per transaction (default 1000; 5000 in a bulk load)', (v) => Number(v))
    .option('--bulk', 'bulk load from the first record: full-text and secondary indexes rebuilt once at the end (default: switch to it once the import has added 10,000 papers and a quarter of those stored)')
    .option('--no-bulk', 'never switch to a bulk load: every batch keeps the indexes in step (a bulk load a killed import left is still finished)')
    .addHelpText(
      'after',
      '\nExit status: 0 when any record landed (inputs that could not be read, and records that could not be used,\n' +
        'are still listed on stderr and in --json); 1 when records were read but none could be used;\n' +
        '2 when no input could be read at all.',
    )
    .action(async (files: string[], local: { batchSize?: number; bulk?: boolean }) => {
      const c = ctx();
      const progress = progressReporter(c);
      const report = await c.withStore(async (store) => {
        try {
          return await importInputs(
            store,
            files.map((path) => ({ path })),
            {
              now: () => c.now(),
              batchSize: local.batchSize,
              bulk: local.bulk === undefined ? 'auto' : local.bulk ? 'always' : 'never',
              onBulkProgress: (message) => progress.message(message),
              afterImport: [refreshIndexesHook()],
              onProgress: (p) => progress.update(p),
              // The index refresh after a big import takes minutes: say what it is doing.
              onHookProgress: (message) => progress.message(message),
            },
          );
        } finally {
          progress.stop();
        }
      });
      if (c.json) c.emitJson(report);
      else printReport(c, report);
      const { unreadable, added, updated, unchanged, merged } = report.totals;
      const inputs = `${files.length > 1 ? `${unreadable} of ${files.length} inputs` : 'the input'} could not be read`;
      // The issue's rule: anything landed is a success; unreadable inputs are reported, not fatal.
      if (added + updated + unchanged + merged > 0) {
        if (unreadable > 0) c.say(`note: ${inputs} (see above); the other${files.length - unreadable > 1 ? 's were' : ' was'} imported`);
        return;
      }
      if (unreadable === files.length) throw new CliError(`nothing imported: ${inputs}`, 2);
      if (report.totals.rejected > 0) throw new CliError(`no record could be imported${unreadable ? `, and ${inputs}` : ''}`, 1);
      if (unreadable > 0) throw new CliError(`nothing imported: ${inputs}, and the others held no records`, 2);
    });
};
