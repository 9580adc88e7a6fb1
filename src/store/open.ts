import { SqliteStore } from './sqlite/store.ts';
import type { Store } from './types.ts';

export interface OpenOptions {
  now?: () => Date;
}

/** The database location from `--db`, else env `RADAR_DB`, else `./radar.db`. */
export function resolveDbLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.RADAR_DB ?? './radar.db';
}

/** Opens the store a location names: a `postgres://` URL or an SQLite file path. */
export async function openStore(location: string, opts: OpenOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    throw new Error(`PostgreSQL is not available in this build (asked for ${location.replace(/:[^:@/]*@/, ':***@')})`);
  }
  return new SqliteStore(location, opts);
}
