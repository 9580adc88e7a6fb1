import { readFileSync, writeFileSync } from 'node:fs';
import { toBibtex } from '../../app/bibtex.ts';
import { toCslJson } from '../../app/csl.ts';
import { buildExport } from '../../app/export.ts';
import { collectionWithPapers } from '../../app/library.ts';
import { RestoreError, restoreExport } from '../../app/restore.ts';
import type { StoredPaper } from '../../store/types.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../main.ts';

interface ExportOpts {
  format?: string;
  collection?: string[];
  allPapers?: boolean;
}

function write(c: CliContext, file: string, text: string) {
  if (file === '-') c.emitText(text.endsWith('\n') ? text : `${text}\n`);
  else writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * `radar export FILE`: everything made in this database as one JSON document
 * (docs/export.md), or with `--format bibtex|csl-json` the collections as a
 * bibliography. `radar restore FILE`: that document into this database.
 * FILE `-` is stdout / stdin.
 */
export const registerExport: Register = (program, ctx) => {
  program
    .command('export')
    .description('write your data — profiles and their papers, feedback, rules, notes, collections — as one JSON document, or collections as BibTeX/CSL-JSON')
    .argument('<file>', 'where to write it (- for stdout)')
    .option('--format <f>', 'json (everything, the default) | bibtex | csl-json (collections)', 'json')
    .option('--collection <name...>', 'bibtex/csl-json: only these collections (default: all, one after another)')
    .option('--all-papers', 'json: include every paper in the database, not only those your data points at')
    .action(async (file: string, o: ExportOpts) => {
      const c = ctx();
      const format = o.format ?? 'json';
      if (!['json', 'bibtex', 'csl-json'].includes(format)) throw new CliError(`--format: expected json, bibtex or csl-json, got "${format}"`, 2);
      await c.withStore(async (store) => {
        if (format === 'json') {
          const doc = await buildExport(store, { now: c.now(), allPapers: !!o.allPapers });
          write(c, file, JSON.stringify(doc, null, 2));
          c.say(
            `exported ${doc.profiles.length} profile(s), ${doc.profiles.reduce((n, p) => n + p.feedback.length, 0)} feedback entries, ${doc.notes.length} note(s), ${doc.collections.length} collection(s) and ${doc.papers.length} paper(s)${file === '-' ? '' : ` to ${file}`}`,
          );
          return;
        }
        const names = o.collection?.length ? o.collection : (await store.library.listCollections()).map((col) => col.name);
        const papers: StoredPaper[] = [];
        for (const name of names) {
          const col = await collectionWithPapers(store, name).catch((err: Error) => {
            throw new CliError(err.message, 2);
          });
          papers.push(...col.papers.map((p) => p.paper).filter((p) => !papers.some((q) => q.pk === p.pk)));
        }
        write(c, file, format === 'bibtex' ? toBibtex(papers) : JSON.stringify(toCslJson(papers), null, 2));
        c.say(`exported ${papers.length} paper(s) from ${names.length} collection(s) as ${format}${file === '-' ? '' : ` to ${file}`}`);
      });
    });

  program
    .command('restore')
    .description('load a `radar export` document into this database (SQLite or PostgreSQL)')
    .argument('<file>', 'the export document (- for stdin)')
    .option('--replace', 'replace profiles that already exist under the same name')
    .action(async (file: string, o: { replace?: boolean }) => {
      const c = ctx();
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
      } catch (err) {
        throw new CliError(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not a JSON document: ${(err as Error).message}`}`, 2);
      }
      const report = await c
        .withStore((store) => restoreExport(store, doc, { name: file, now: c.now(), replace: !!o.replace }))
        .catch((err) => {
          throw err instanceof RestoreError ? new CliError(err.message, 2) : err;
        });
      if (c.json) c.emitJson(report);
      const p = report.papers;
      c.say(
        `restored ${report.profiles.length} profile(s) (${report.profilePapers} paper link(s), ${report.feedback} feedback entries), ${report.notes} note(s), ${report.collections} collection(s) (${report.collectionPapers} paper(s)); papers: ${p.added} added, ${p.updated} updated, ${p.unchanged} unchanged, ${p.merged} merged`,
      );
      for (const line of report.problems.slice(0, 20)) c.say(`  problem: ${line}`);
      if (report.problems.length > 20) c.say(`  … ${report.problems.length - 20} more problems`);
    });
};
