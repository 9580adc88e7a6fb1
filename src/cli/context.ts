import { EXIT } from '../config/exit.ts';
import { openStore, resolveDbLocation } from '../store/open.ts';
import type { Store } from '../store/types.ts';

/** An error the user can act on: printed without a stack, with this exit code (config/options.ts EXIT; default: a usage error). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** What every command gets: where output goes, the store, the clock. */
export interface CliContext {
  readonly json: boolean;
  /** `--db` as given, if given. */
  readonly dbFlag?: string;
  readonly dbLocation: string;
  /** The database was named (--db or RADAR_DB), not the ./radar.db default. */
  readonly dbNamed: boolean;
  /** Machine output (`--json`): one JSON document on stdout. */
  emitJson(value: unknown): void;
  /** Machine output that is not JSON (a BibTeX file written to `-`): as is, on stdout. */
  emitText(text: string): void;
  /** Human output: stderr, so stdout stays clean for pipes. */
  say(line: string): void;
  now(): Date;
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export function makeContext(opts: GlobalOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): CliContext {
  const dbLocation = resolveDbLocation(opts.db);
  return {
    json: !!opts.json,
    dbFlag: opts.db,
    dbLocation,
    dbNamed: opts.db !== undefined || !!process.env.RADAR_DB,
    emitJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    emitText: (text) => io.stdout.write(text),
    say: (line) => io.stderr.write(`${line}\n`),
    now: () => new Date(),
    async withStore(fn) {
      // A database that cannot be opened (no such directory, PostgreSQL refusing) is the user's to fix: no stack.
      const store = await openStore(dbLocation).catch((err: Error) => {
        throw new CliError(err.message, EXIT.usage);
      });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
  };
}
