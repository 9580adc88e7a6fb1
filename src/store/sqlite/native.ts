/**
 * Loads Paper Radar's FTS5 ranking functions (native/radar_fts.c) into a
 * connection. The library is built at install time (`npm install` runs
 * scripts/build-native.mjs; `npm run build:native` by hand) into
 * native/build/ of this checkout, named by a hash of the source, and is
 * loaded from there only: never compiled while the app runs (that blocked
 * the event loop) and never looked for in a shared directory (where another
 * user could plant a library).
 *
 * When it is not there the search still works: it falls back to FTS5's
 * built-in bm25() (same matches, simpler scoring, slower on very common
 * words). `radar stats` says which is in use. `RADAR_NO_NATIVE=1` forces the
 * fallback.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SOURCE = join(ROOT, 'native', 'radar_fts.c');
/** Where scripts/build-native.mjs puts the library. */
export const NATIVE_BUILD_DIR = join(ROOT, 'native', 'build');
const ENTRY = 'sqlite3_radarfts_init';

export interface NativeStatus {
  loaded: boolean;
  /** Why not, when not loaded (for `radar stats`). */
  reason?: string;
  path?: string;
}

/** The library built from this source, as scripts/build-native.mjs names it. */
export function nativeLibraryPath(source: Buffer = readFileSync(SOURCE), dir = NATIVE_BUILD_DIR): string {
  const hash = createHash('sha256').update(source).update(process.platform).update(process.arch).digest('hex').slice(0, 12);
  const ext = process.platform === 'darwin' ? 'dylib' : process.platform === 'win32' ? 'dll' : 'so';
  return join(dir, `radar_fts-${hash}.${ext}`);
}

function library(dir: string): { path?: string; reason?: string } {
  if (!existsSync(SOURCE)) return { reason: `${SOURCE} is missing` };
  const path = nativeLibraryPath(readFileSync(SOURCE), dir);
  if (!existsSync(path)) return { reason: `not built (no ${path}); run \`npm run build:native\` (needs a C compiler)` };
  return { path };
}

/** Loads the ranking functions into `db` from `dir` (this checkout's native/build); never throws. */
export function loadRankFunctions(db: Database.Database, dir = NATIVE_BUILD_DIR): NativeStatus {
  if (process.env.RADAR_NO_NATIVE === '1') return { loaded: false, reason: 'RADAR_NO_NATIVE=1' };
  const lib = library(dir);
  if (!lib.path) return { loaded: false, reason: lib.reason };
  try {
    // better-sqlite3 takes the entry point as a second argument (its typings only know the first).
    (db.loadExtension as (path: string, entry: string) => Database.Database)(lib.path, ENTRY);
    return { loaded: true, path: lib.path };
  } catch (err) {
    return { loaded: false, reason: `could not load ${lib.path}: ${(err as Error).message}`, path: lib.path };
  }
}
