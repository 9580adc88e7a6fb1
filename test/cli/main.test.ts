import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { buildProgram, main } from '../../src/cli/main.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runCli } from '../helpers/cli.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const run = runCli;

describe('radar help and --version', () => {
  it('--version and -V print the package version on stdout and exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('--help and `help` print every command on stdout and exit 0', async () => {
    for (const args of [['--help'], ['help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
      expect(r.stdout).toContain('keyword search');
    }
  });

  it('`help A B` shows the help of B, not of A', async () => {
    const r = await run(['help', 'eval', 'expertise']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: radar eval expertise');
    expect(r.stdout).toContain('Kendall-tau loss per method');
    // The parent's own help lists its subcommands; B's does not.
    expect(r.stdout).not.toContain('Usage: radar eval [options]');
    const sub = await run(['help', 'profile', 'create']);
    expect(sub.stdout).toContain('Usage: radar profile create');
  });

  it('`radar C --help` shows the command help on stdout', async () => {
    const r = await run(['search', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: radar search');
    expect(r.stdout).toContain('--limit');
  });

  it('help for a command that does not exist is a usage error (exit 2) on stderr', async () => {
    const r = await run(['help', 'eval', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no command "eval nonsense"');
  });

  it('the command table lists each command with the description its module registers', async () => {
    const sink = new PassThrough();
    const program = await buildProgram({ stdout: sink, stderr: sink }, 'all');
    for (const entry of COMMANDS) {
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd, entry.name).toBeDefined();
      expect(cmd!.description(), entry.name).toBe(entry.description);
    }
    expect(program.commands.map((c) => c.name()).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });
});

describe('exit codes: 2 for what the user typed wrong', () => {
  it('refuses bad option values with the flag and what it expects, exit 2', async () => {
    const db = join(tempDir(), 'radar.db');
    const cases: [string[], RegExp][] = [
      [['search', 'x', '--limit', '0'], /--limit 0: expected a whole number from 1 to 200/],
      [['search', 'x', '--offset', '1.5'], /--offset 1.5: expected a whole number from 0/],
      [['search', 'x', '--mode', 'fuzzy'], /--mode fuzzy: expected one of auto, bm25, dense, hybrid/],
      [['similar', 'arxiv:1', '--limit', 'ten'], /--limit ten: expected a whole number from 1 to 1000/],
      [['feed', 'me', '--limit', '0'], /--limit 0: expected a whole number from 1 to 200/],
      [['feed', 'me', '--cutoff', 'high'], /--cutoff high: expected a number/],
      [['feed', 'me', '--until', '2026-02-30'], /--until 2026-02-30: expected a day YYYY-MM-DD/],
      [['serve', '--port', '70000'], /--port 70000: expected a whole number from 0 to 65535/],
    ];
    for (const [args, message] of cases) {
      const r = await run([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('an unknown option or command is a usage error too', async () => {
    expect((await run(['stats', '--frobnicate'])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
