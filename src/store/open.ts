import type { Store } from './types.ts';

export interface OpenOptions {
  now?: () => Date;
  /** SQLite: create the file's directory when it is missing (otherwise an error: likely a mistyped path). */
  createDir?: boolean;
}

/** The database location from `--db`, else env `RADAR_DB`, else `./radar.db`. */
export function resolveDbLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.RADAR_DB ?? './radar.db';
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store a location names: a `postgres://` URL or an SQLite file path. */
export async function openStore(location: string, opts: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    // Loaded on demand: the embedded default never pays for the PostgreSQL driver.
    const { PostgresStore } = await import('./postgres/store.ts');
    return PostgresStore.open(location, opts);
  }
  // Loaded on demand too, so a command that never opens a database (help, --version) loads neither driver.
  const { SqliteStore } = await import('./sqlite/store.ts');
  return new SqliteStore(location, opts);
}
