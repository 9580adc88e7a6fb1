/**
 * bin/radar.js as a process: it runs dist/cli while that build is newer than
 * every source file and the TypeScript sources otherwise, and a keyword
 * search loads none of the vector, model or web-server packages.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SEARCH_FIXTURE } from '../store/search-fixture.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

function node(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A package with the real bin/radar.js and stand-in entry points that say which one ran. */
function fakePackage(): { dir: string; bin: string; source: string; built: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'radar.js'), join(dir, 'bin', 'radar.js'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const source = join(dir, 'src', 'cli', 'main.ts');
  const built = join(dir, 'dist', 'cli', 'main.js');
  // Type annotations: only tsx can run this file.
  writeFileSync(source, "export async function main(argv: string[]): Promise<number> { process.stdout.write('source ' + argv.join(' ')); return 0; }\n");
  writeFileSync(built, "export async function main(argv) { process.stdout.write('dist ' + argv.join(' ')); return 0; }\n");
  return { dir, bin: join(dir, 'bin', 'radar.js'), source, built };
}

const at = (path: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, t, t);
};

describe('bin/radar.js', () => {
  it('runs the build while it is newer than every source, the sources once one is edited, and the sources when there is no build', () => {
    const p = fakePackage();
    at(p.source, 60);
    at(p.built, 10);
    expect(node([p.bin, 'stats']).stdout).toBe('dist stats');

    at(p.source, 1); // edited after the build
    expect(node([p.bin, 'stats']).stdout).toBe('source stats');

    at(p.built, 0); // rebuilt
    expect(node([p.bin, 'stats']).stdout).toBe('dist stats');
    expect(node([p.bin, 'stats'], { env: { RADAR_FROM_SOURCE: '1' } }).stdout).toBe('source stats');

    rmSync(join(p.dir, 'dist'), { recursive: true });
    expect(node([p.bin, 'stats']).stdout).toBe('source stats');
  });

  it('--version prints the package version on stdout', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = node([join(ROOT, 'bin', 'radar.js'), '--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a keyword search loads no vector index, embedding model or web server', async () => {
    const db = join(tempDir(), 'radar.db');
    const store = new SqliteStore(db);
    await store.papers.upsertPapers(SEARCH_FIXTURE, '2025-06-01T00:00:00Z');
    await store.close();
    const r = node(['--import', join(ROOT, 'test', 'helpers', 'trace-loads.mjs'), join(ROOT, 'bin', 'radar.js'), 'search', 'collapse', '--db', db, '--json'], {
      env: { RADAR_FROM_SOURCE: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(0);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('LOAD '));
    expect(loaded.some((l) => l.includes('better-sqlite3'))).toBe(true); // the trace works
    for (const heavy of ['hnswlib-node', '@huggingface/transformers', 'onnxruntime', 'fastify', 'zod', '/src/vectors/retrieval.ts', '/src/vectors/ann', '/src/server/', '/src/web/']) {
      expect(loaded.filter((l) => l.includes(heavy)), heavy).toEqual([]);
    }
  });
});
