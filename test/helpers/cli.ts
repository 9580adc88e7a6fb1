/** Runs the `radar` command in this process, as tests of the CLI do: exit code and what went to stdout and stderr. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  out.on('data', (d) => (chunks.stdout += d));
  err.on('data', (d) => (chunks.stderr += d));
  const code = await main(args, { stdout: out, stderr: err });
  return { code, ...chunks };
}
