import { Command, CommanderError } from 'commander';
import { registerDigest } from './commands/digest.ts';
import { registerExport } from './commands/export.ts';
import { registerFetch } from './commands/fetch.ts';
import { registerImport } from './commands/import.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerEval } from './commands/eval.ts';
import { registerFeed } from './commands/feed.ts';
import { registerFeedback } from './commands/feedback.ts';
import { registerProfile } from './commands/profile.ts';
import { registerSearch } from './commands/search.ts';
import { registerShow } from './commands/show.ts';
import { registerSimilar } from './commands/similar.ts';
import { registerServe } from './commands/serve.ts';
import { registerStats } from './commands/stats.ts';
import { registerWorker } from './commands/worker.ts';
import { CliError, makeContext, type CliContext, type GlobalOptions } from './context.ts';

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Each command module adds itself to the program; `ctx()` is built from the global options at run time. */
export type Register = (program: Command, ctx: () => CliContext) => void;

const COMMANDS: Register[] = [registerStats, registerShow, registerSearch, registerSimilar, registerEval, registerImport, registerServe, registerProfile, registerFeed, registerFeedback, registerFetch, registerWorker, registerDigest, registerMigrate, registerExport];

export function buildProgram(io: MainIo): Command {
  const program = new Command('radar')
    .description('Paper Radar: a self-hosted research-paper discovery engine')
    .option('--db <path>', 'database: SQLite file or postgres:// URL (default: env RADAR_DB, else ./radar.db)')
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stderr.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  // Options may come before or after the command name: `radar --db x stats` and `radar stats --db x`.
  program.enablePositionalOptions(false);
  const ctx = () => makeContext(program.opts<GlobalOptions>(), io);
  for (const register of COMMANDS) register(program, ctx);
  for (const sub of program.commands) {
    sub.option('--db <path>', 'database: SQLite file or postgres:// URL').option('--json', 'machine-readable output on stdout');
    sub.hook('preAction', (_this, action) => {
      const local = action.opts<GlobalOptions>();
      if (local.db) program.setOptionValue('db', local.db);
      if (local.json) program.setOptionValue('json', true);
    });
  }
  return program;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.stderr.write(`radar: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`radar: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
