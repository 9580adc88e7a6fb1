/**
 * Finding, reading and validating the configuration: `--config PATH`, else
 * env `RADAR_CONFIG`, else `radar.config.yaml|yml|json` next to the database,
 * else the defaults (no scheduled jobs, no deliveries).
 *
 * Each key is taken from, in order of precedence: a command-line flag
 * (`--db`, `--port`, `--embedder`), an environment variable (ENV_OVERRIDES:
 * RADAR_DB, PORT, RADAR_EMBEDDER, RADAR_SMTP_URL, …), the file, the default.
 * All of them pass through the one schema (schema.ts), so a bad value is
 * refused the same way wherever it came from, and the message says where.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type RadarConfig } from './schema.ts';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Env variable → dotted config key. Numbers are converted; everything else is a string. */
export const ENV_OVERRIDES: Record<string, { key: string; number?: boolean }> = {
  RADAR_DB: { key: 'database' },
  PORT: { key: 'port', number: true },
  RADAR_EMBEDDER: { key: 'embedder' },
  RADAR_BASE_URL: { key: 'baseUrl' },
  RADAR_TIMEZONE: { key: 'timezone' },
  RADAR_SECRET: { key: 'secret' },
  RADAR_SMTP_URL: { key: 'smtp.url' },
  RADAR_SMTP_FROM: { key: 'smtp.from' },
  RADAR_CONTACT: { key: 'http.contact' },
  RADAR_USER_AGENT: { key: 'http.userAgent' },
  RADAR_HTTP_MIN_INTERVAL_MS: { key: 'http.minIntervalMs', number: true },
  RADAR_ARXIV_API_URL: { key: 'sources.arxivApi' },
  RADAR_ARXIV_OAI_URL: { key: 'sources.arxivOai' },
  RADAR_ARXIV_RSS_URL: { key: 'sources.arxivRss' },
  RADAR_HF_URL: { key: 'sources.huggingFace' },
  RADAR_BIORXIV_URL: { key: 'sources.biorxivApi' },
  RADAR_OPENALEX_URL: { key: 'sources.openalexApi' },
  RADAR_OPENALEX_KEY: { key: 'sources.openalexKey' },
  RADAR_ZOTERO_URL: { key: 'sources.zoteroApi' },
};

export interface LoadedConfig {
  config: RadarConfig;
  /** The file read, or undefined when running on defaults. */
  path?: string;
}

/** Where the config file is, if anywhere. */
export function findConfigPath(opts: { flag?: string; dbLocation?: string; env?: NodeJS.ProcessEnv }): string | undefined {
  const env = opts.env ?? process.env;
  const explicit = opts.flag ?? env.RADAR_CONFIG;
  if (explicit) return resolve(explicit);
  if (!opts.dbLocation || /^postgres(ql)?:\/\//i.test(opts.dbLocation) || opts.dbLocation === ':memory:') {
    return ['radar.config.yaml', 'radar.config.yml', 'radar.config.json'].map((f) => resolve(f)).find(existsSync);
  }
  const dir = dirname(resolve(opts.dbLocation));
  return ['radar.config.yaml', 'radar.config.yml', 'radar.config.json'].map((f) => join(dir, f)).find(existsSync);
}

/** Values from command-line flags: config key (dotted) → value, and the flag's name for messages. */
export type FlagValues = Record<string, { value: unknown; flag: string }>;

export function loadConfig(opts: { flag?: string; dbLocation?: string; env?: NodeJS.ProcessEnv; flags?: FlagValues } = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const path = findConfigPath({ ...opts, env });
  let raw: unknown = {};
  if (path) {
    if (!existsSync(path)) throw new ConfigError(path, ['file not found']);
    const text = readFileSync(path, 'utf8');
    raw = parseConfigText(text, path);
  }
  return { config: validateConfig(raw, path ?? 'defaults', env, opts.flags), path };
}

export function parseConfigText(text: string, source: string): unknown {
  try {
    const value = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return value ?? {};
  } catch (err) {
    throw new ConfigError(source, [`cannot be read as ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`]);
  }
}

/** Applies env overrides to a parsed document and validates it; problems name the key (and the env variable when it came from one). */
export function validateConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env, flags: FlagValues = {}): RadarConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, ['the top level must be a mapping of keys (baseUrl, sources, jobs, profiles, …)']);
  }
  const doc = structuredClone(raw) as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, { key, number }] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (number && !/^\d+$/.test(value)) {
      problems.push(`${key} (from env ${name}): expected a whole number, got "${value}"`);
      continue;
    }
    setPath(doc, key.split('.'), number ? Number(value) : value);
    fromEnv.set(key, `env ${name}`);
  }
  for (const [key, { value, flag }] of Object.entries(flags)) {
    if (value === undefined) continue;
    setPath(doc, key.split('.'), value);
    fromEnv.set(key, flag);
  }
  const result = configSchema.safeParse(doc);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '(top level)';
      const envName = fromEnv.get(key);
      problems.push(`${key}${envName ? ` (from ${envName})` : ''}: ${issue.message}`);
    }
  }
  if (problems.length) throw new ConfigError(source, problems);
  return result.data!;
}

let defaults: RadarConfig | undefined;

/** The configuration with nothing set (no file, no env): what a server built without one runs on. Validated once. */
export function defaultConfig(): RadarConfig {
  defaults ??= validateConfig({}, 'defaults', {});
  return defaults;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown) {
  let cur = obj;
  for (const part of path.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/** arXiv asks API clients to identify themselves with a way to reach them. */
export function userAgentFor(config: RadarConfig): string {
  if (config.http.userAgent) return config.http.userAgent;
  const contact = config.http.contact ? `; mailto:${config.http.contact}` : '; contact not configured: set http.contact';
  return `PaperRadar/0.1 (self-hosted research-paper discovery${contact})`;
}
