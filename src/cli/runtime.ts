/**
 * The runtime of a long-running `radar` process (`radar serve`, `radar
 * worker`): built once from the validated configuration — flags over env over
 * the file over defaults, all through the one schema (src/config/schema.ts) —
 * and passed down to the server or the job runtime. The database, the port
 * and the dense model are configuration keys like the rest: `database: …`
 * in the file works as `--db` and RADAR_DB do.
 */
import { loadConfig, type FlagValues } from '../config/load.ts';
import { portRule, readOption } from '../config/options.ts';
import type { RadarConfig } from '../config/schema.ts';
import { resolveEmbedder, type EmbedderSetting } from '../vectors/select.ts';
import { CliError, type CliContext } from './context.ts';

export interface Runtime {
  config: RadarConfig;
  /** The configuration file read, if any. */
  configPath?: string;
  /** SQLite file or postgres:// URL. */
  database: string;
  port: number;
  /** The dense model; `explicit` when the configuration (flag, env or file) names one. */
  embedder: EmbedderSetting;
}

export interface RuntimeFlags {
  config?: string;
  port?: string;
  embedder?: string;
}

export function buildRuntime(c: CliContext, flags: RuntimeFlags, env: NodeJS.ProcessEnv = process.env): Runtime {
  const values: FlagValues = {
    database: { value: c.dbFlag, flag: '--db' },
    port: { value: readOption('--port', portRule, flags.port), flag: '--port' },
    embedder: { value: flags.embedder, flag: '--embedder' },
  };
  let loaded;
  try {
    loaded = loadConfig({ flag: flags.config, dbLocation: c.dbLocation, env, flags: values });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const { config, path } = loaded;
  let embedder;
  try {
    // The configuration already holds RADAR_EMBEDDER when set: '' keeps resolveEmbedder from reading it again.
    embedder = resolveEmbedder(config.embedder ?? '', env);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  return { config, configPath: path, database: config.database, port: config.port, embedder };
}
