/**
 * Runs the hostile-input corpus (test/fixtures/hostile/generate.ts) through
 * `radar import` of a given checkout and prints one row per case: exit code,
 * seconds, peak RSS, whether it crashed or hung, and which good records were
 * lost. Run it against the original code and the current one for a
 * before/after table:
 *   npx tsx bench/hostile.ts [RADAR_BIN] [--small]
 * RADAR_BIN defaults to this checkout's bin/radar.js.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { hostileCases } from '../test/fixtures/hostile/generate.ts';

const args = process.argv.slice(2);
const small = args.includes('--small');
const bin = resolve(args.find((a) => !a.startsWith('--')) ?? 'bin/radar.js');
const HANG_SECONDS = Number(process.env.HOSTILE_TIMEOUT ?? 90);

interface Run {
  code: number | null;
  seconds: number;
  rssMb: number;
  hung: boolean;
  out: string;
}

function run(file: string, db: string): Promise<Run> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'RSSKB %M', process.execPath, bin, 'import', '--json', '--db', db, file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, HANG_SECONDS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rss = Number(/RSSKB (\d+)/.exec(out)?.[1] ?? 0);
      done({ code: hung ? null : code, seconds: (performance.now() - t0) / 1000, rssMb: Math.round(rss / 1024), hung, out });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'radar-hostile-'));
try {
  console.log(`radar: ${bin}`);
  console.log('| case | exit | seconds | peak RSS MB | crash | hang | good lost | junk stored | message |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const c of hostileCases(dir)) {
    if (small && c.big) continue;
    await c.write();
    const db = join(dir, `${c.name}.db`);
    const r = await run(c.file, db);
    let stored = new Set<string>();
    try {
      const d = new Database(db, { readonly: true });
      stored = new Set((d.prepare('SELECT id FROM papers').all() as { id: string }[]).map((x) => x.id));
      d.close();
    } catch {
      // No database (refused before opening it).
    }
    const lost = c.landed.filter((id) => !stored.has(id)).length;
    const junk = [...stored].filter((id) => !c.landed.includes(id) && !/^arxiv:2501\.01\d{3}$/.test(id)).length;
    const crash = !r.hung && /RangeError|TypeError|Maximum call stack|heap out of memory|Error: .*\n\s+at /.test(r.out);
    const message = c.message.test(r.out) ? 'clear' : 'missing';
    console.log(`| ${c.name} | ${r.hung ? 'killed' : r.code} | ${r.seconds.toFixed(1)} | ${r.rssMb} | ${crash ? 'yes' : 'no'} | ${r.hung ? 'yes' : 'no'} | ${lost}/${c.landed.length} | ${junk} | ${message} |`);
    await rm(c.file, { force: true });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
