/**
 * Running bench/lib/backend-phases.ts in a child process (so each phase's peak
 * RSS is its own) and giving a benchmark a fresh PostgreSQL database: shared by
 * bench/backends.ts and bench/load.ts.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DAILY = resolve(ROOT, '..', 'shared', 'data', 'arxiv-daily', 'papers.jsonl.gz');
export const SEED_LIST = resolve(ROOT, '..', 'shared', 'seeds', '000_ce7cc7f2da94cefb.txt');

/** One phase (`import FILE LOCATION`, `index LOCATION`, `query …`): its figures, the last JSON line it printed. */
export function runPhase(...args: string[]): Record<string, any> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'lib', 'backend-phases.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 22,
  });
  return JSON.parse(out.toString().trim().split('\n').pop()!);
}

/** A new empty database `name` on the server at `base` (dropped first if it exists); its URL. */
export async function freshPgDatabase(base: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}
