import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMANDS, type CommandEntry } from './commands.ts';
import { CliError, makeContext, type GlobalOptions } from './context.ts';
import { EXIT, OptionError } from '../config/exit.ts';

export type { Register } from './commands.ts';

export interface MainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The package version; main.ts sits two folders below the package root in both src/ and dist/. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Global options that take a value: the word after them is not a command name. */
const GLOBAL_WITH_VALUE = new Set(['--db']);

/** The words of argv that are not options (nor an option's value), in order. */
function positionals(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  return words;
}

/** Which command modules this argv needs: the command it names (or asks help for), else none. */
function entriesFor(argv: string[]): CommandEntry[] {
  const words = positionals(argv);
  const name = words[0] === 'help' ? words[1] : words[0];
  const entry = COMMANDS.find((c) => c.name === name);
  return entry ? [entry] : [];
}

/**
 * The program with the commands `load` names registered for real and the
 * others as stubs that only carry their name and description (for the
 * command list in `radar --help`).
 */
export async function buildProgram(io: MainIo, load: CommandEntry[] | 'all' = 'all'): Promise<Command> {
  const program = new Command('radar')
    .description('Paper Radar: a self-hosted research-paper discovery engine')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--db <path>', 'database: SQLite file or postgres:// URL (default: env RADAR_DB, else ./radar.db)')
    .option('--json', 'machine-readable output on stdout')
    .helpCommand('help [command...]', 'show help for a command, e.g. `radar help eval expertise`')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      // Help and the version are what was asked for: stdout. Errors: stderr.
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  // Options may come before or after the command name: `radar --db x stats` and `radar stats --db x`.
  program.enablePositionalOptions(false);
  const ctx = () => makeContext(program.opts<GlobalOptions>(), io);
  const wanted = load === 'all' ? COMMANDS : load;
  const registers = new Set(await Promise.all(wanted.map((e) => e.load())));
  for (const register of registers) register(program, ctx);
  const registered = new Set(program.commands.map((c) => c.name()));
  for (const sub of program.commands) {
    sub.option('--db <path>', 'database: SQLite file or postgres:// URL').option('--json', 'machine-readable output on stdout');
    sub.hook('preAction', (_this, action) => {
      const local = action.opts<GlobalOptions>();
      if (local.db) program.setOptionValue('db', local.db);
      if (local.json) program.setOptionValue('json', true);
    });
  }
  for (const entry of COMMANDS) {
    if (registered.has(entry.name)) continue;
    // Never run: argv that names this command loads its module instead.
    program.command(entry.name).description(entry.description).allowUnknownOption().allowExcessArguments();
  }
  return program;
}

/** `radar help A B …`: the help of the innermost command named, on stdout. */
function showHelp(program: Command, path: string[], io: MainIo): number {
  let cmd = program;
  for (const name of path) {
    const sub = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!sub) {
      io.stderr.write(`radar: no command "${[...path.slice(0, path.indexOf(name)), name].join(' ')}"; \`radar help\` lists them\n`);
      return EXIT.usage;
    }
    cmd = sub;
  }
  cmd.outputHelp();
  return EXIT.ok;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = await buildProgram(io, entriesFor(argv));
  try {
    const words = positionals(argv);
    if (words[0] === 'help') return showHelp(program, words.slice(1), io);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are successes; the rest (unknown option, missing argument) are the user's to fix.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError || err instanceof OptionError) {
      io.stderr.write(`radar: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`radar: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failed;
  }
}
