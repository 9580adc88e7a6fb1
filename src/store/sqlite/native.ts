/**
 * Loads Paper Radar's FTS5 ranking functions (native/radar_fts.c) into a
 * connection, compiling the extension on first use with the C compiler that
 * native npm modules already need (cc / $CC), against the SQLite headers that
 * better-sqlite3 ships. The library is cached under node_modules/.cache (or
 * the temp dir) keyed by a hash of the source, so it is built once per
 * checkout and rebuilt when the source changes.
 *
 * Without a compiler the search still works: it falls back to FTS5's built-in
 * bm25() (same matches, simpler scoring, slower on very common words).
 * `RADAR_NO_NATIVE=1` forces the fallback.
 */
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SOURCE = join(ROOT, 'native', 'radar_fts.c');
const ENTRY = 'sqlite3_radarfts_init';

export interface NativeStatus {
  loaded: boolean;
  /** Why not, when not loaded (for `radar stats`-style diagnostics). */
  reason?: string;
  path?: string;
}

let built: { path?: string; reason?: string } | undefined;

function headersDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
    return existsSync(join(dir, 'sqlite3ext.h')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function libraryPath(): { path?: string; reason?: string } {
  if (built) return built;
  if (!existsSync(SOURCE)) return (built = { reason: `${SOURCE} is missing` });
  const headers = headersDir();
  if (!headers) return (built = { reason: 'the SQLite headers of better-sqlite3 were not found' });
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(process.platform).update(process.arch).digest('hex').slice(0, 12);
  const ext = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
  const candidates = [join(ROOT, 'node_modules', '.cache', 'paper-radar'), join(tmpdir(), 'paper-radar-native')];
  for (const dir of candidates) {
    const path = join(dir, `radar_fts-${hash}.${ext}`);
    if (existsSync(path)) return (built = { path });
  }
  let lastError = '';
  for (const dir of candidates) {
    const path = join(dir, `radar_fts-${hash}.${ext}`);
    // Several processes may build at once: each writes its own file and renames it into place.
    const part = `${path}.${process.pid}.part`;
    try {
      mkdirSync(dir, { recursive: true });
      const cc = process.env.CC || 'cc';
      const shared = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
      execFileSync(cc, ['-O2', '-fPIC', ...shared, '-I', headers, SOURCE, '-o', part], { stdio: 'pipe', timeout: 60_000 });
      renameSync(part, path);
      return (built = { path });
    } catch (err) {
      rmSync(part, { force: true });
      const e = err as { stderr?: Buffer; message?: string };
      lastError = (e.stderr?.toString() || e.message || String(err)).trim().split('\n')[0];
    }
  }
  return (built = { reason: `could not compile ${SOURCE}: ${lastError}` });
}

/** Loads the ranking functions into `db`; never throws. */
export function loadRankFunctions(db: Database.Database): NativeStatus {
  if (process.env.RADAR_NO_NATIVE === '1') return { loaded: false, reason: 'RADAR_NO_NATIVE=1' };
  const lib = libraryPath();
  if (!lib.path) return { loaded: false, reason: lib.reason };
  try {
    // better-sqlite3 takes the entry point as a second argument (its typings only know the first).
    (db.loadExtension as (path: string, entry: string) => Database.Database)(lib.path, ENTRY);
    return { loaded: true, path: lib.path };
  } catch (err) {
    return { loaded: false, reason: `could not load ${lib.path}: ${(err as Error).message}`, path: lib.path };
  }
}
