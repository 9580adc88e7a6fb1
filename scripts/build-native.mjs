#!/usr/bin/env node
// Builds native/radar_fts.c (Paper Radar's FTS5 ranking functions) into
// native/build/, with the system C compiler and the SQLite headers that
// better-sqlite3 ships. Runs on `npm install` (postinstall) and by hand:
// `npm run build:native`. The library's name carries a hash of the source, so
// the store loads only a library built from the source it has (see
// src/store/sqlite/native.ts). Without a compiler it says so and exits 0:
// search then ranks with FTS5's built-in bm25().
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'native', 'radar_fts.c');
const OUT = join(ROOT, 'native', 'build');

export function libraryName(source = readFileSync(SOURCE)) {
  const hash = createHash('sha256').update(source).update(process.platform).update(process.arch).digest('hex').slice(0, 12);
  const ext = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
  return `radar_fts-${hash}.${ext}`;
}

function headersDir() {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
  if (!existsSync(join(dir, 'sqlite3ext.h'))) throw new Error(`no sqlite3ext.h in ${dir}`);
  return dir;
}

function build() {
  const name = libraryName();
  const target = join(OUT, name);
  if (existsSync(target)) return `native ranking: ${target} is up to date`;
  mkdirSync(OUT, { recursive: true, mode: 0o755 });
  const part = `${target}.${process.pid}.part`;
  const cc = process.env.CC || 'cc';
  const shared = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
  try {
    execFileSync(cc, ['-O2', '-fPIC', ...shared, '-I', headersDir(), SOURCE, '-o', part], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(part, target);
  } finally {
    rmSync(part, { force: true });
  }
  // Libraries built from older sources are never loaded again.
  for (const f of readdirSync(OUT)) if (f.startsWith('radar_fts-') && f !== name) rmSync(join(OUT, f), { force: true });
  return `native ranking: built ${target}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.error(build());
  } catch (err) {
    const why = (err.stderr?.toString() || err.message || String(err)).trim().split('\n')[0];
    console.error(`native ranking: not built (${why}); search ranks with FTS5's built-in bm25 instead. Install a C compiler and run \`npm run build:native\` for the faster ranking.`);
  }
}
