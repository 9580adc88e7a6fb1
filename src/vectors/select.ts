/**
 * Choosing the dense model. One spec string, from the `--embedder` option or
 * the `RADAR_EMBEDDER` environment variable (the option wins):
 *
 *   builtin                                   LSA fitted on your corpus (default; offline)
 *   onnx:/models/bge-small-en-v1.5?pooling=cls&queryPrefix=Represent%20this…
 *                                             a local ONNX sentence-embedding model
 *   openai:http://localhost:11434/v1?model=nomic-embed-text&documentPrefix=search_document:%20&queryPrefix=search_query:%20
 *                                             an OpenAI-compatible /v1/embeddings endpoint;
 *                                             the API key comes from RADAR_EMBEDDER_API_KEY
 *
 * Parameters after `?`: onnx — pooling (mean|cls), dtype (fp32|q8), batchSize,
 * documentPrefix, queryPrefix; openai — model (required), batchSize,
 * maxRetries, timeoutMs, documentPrefix, queryPrefix.
 *
 * An entry point resolves the setting once (`resolveEmbedder`; `radar serve`
 * and `radar worker` through their runtime, cli/runtime.ts) and passes it to
 * everything that opens or refreshes the indexes, so one process shares one
 * ONNX session or endpoint client. Only an explicit setting may replace a
 * store's dense model (see RefreshOptions.switchModel): a process started with
 * no setting follows the model the store holds, rebuilt from the spec that
 * refresh records with the vectors.
 */
import { OnnxEmbedder } from './embedders/onnx.ts';
import { OpenAiEmbedder } from './embedders/openai.ts';
import type { Embedder } from './types.ts';

export type EmbedderChoice = 'builtin' | Embedder;

function splitParams(rest: string): { base: string; params: URLSearchParams } {
  const q = rest.lastIndexOf('?');
  return q < 0 ? { base: rest, params: new URLSearchParams() } : { base: rest.slice(0, q), params: new URLSearchParams(rest.slice(q + 1)) };
}

function wholeAtLeastZero(params: URLSearchParams, key: string, spec: string): number | undefined {
  const v = params.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  // NaN here would be a retry limit never reached: a dead endpoint retried forever.
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`embedder "${spec}": ${key} must be a whole number ≥ 0, got "${v}"`);
  return n;
}

function num(params: URLSearchParams, key: string, spec: string): number | undefined {
  const v = params.get(key);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`embedder "${spec}": ${key} must be a positive number, got "${v}"`);
  return n;
}

export function parseEmbedderSpec(spec: string, env: NodeJS.ProcessEnv = process.env): EmbedderChoice {
  const s = spec.trim();
  if (s === '' || s === 'builtin') return 'builtin';
  if (s.startsWith('onnx:')) {
    const { base, params } = splitParams(s.slice(5));
    if (!base) throw new Error(`embedder "${spec}": give the model directory, e.g. onnx:/models/all-MiniLM-L6-v2`);
    const pooling = params.get('pooling') ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls') throw new Error(`embedder "${spec}": pooling must be mean or cls`);
    const dtype = params.get('dtype') ?? 'fp32';
    if (dtype !== 'fp32' && dtype !== 'q8') throw new Error(`embedder "${spec}": dtype must be fp32 or q8`);
    return new OnnxEmbedder({
      dir: base,
      pooling,
      dtype,
      batchSize: num(params, 'batchSize', spec),
      documentPrefix: params.get('documentPrefix') ?? undefined,
      queryPrefix: params.get('queryPrefix') ?? undefined,
      spec: s,
    });
  }
  if (s.startsWith('openai:')) {
    const { base, params } = splitParams(s.slice(7));
    const model = params.get('model');
    if (!model) throw new Error(`embedder "${spec}": add ?model=NAME (the model the endpoint serves)`);
    return new OpenAiEmbedder({
      baseUrl: base,
      model,
      apiKey: env.RADAR_EMBEDDER_API_KEY || undefined,
      batchSize: num(params, 'batchSize', spec),
      maxRetries: wholeAtLeastZero(params, 'maxRetries', spec),
      timeoutMs: num(params, 'timeoutMs', spec),
      documentPrefix: params.get('documentPrefix') ?? undefined,
      queryPrefix: params.get('queryPrefix') ?? undefined,
      spec: s,
    });
  }
  throw new Error(`embedder "${spec}": expected builtin, onnx:DIR or openai:URL?model=NAME`);
}

/** The configured embedder: `--embedder` when given, else RADAR_EMBEDDER, else the built-in model. */
export function chooseEmbedder(option?: string, env: NodeJS.ProcessEnv = process.env): EmbedderChoice {
  return resolveEmbedder(option, env).choice;
}

/** A process's embedder setting: the model, and whether the user chose it. */
export interface EmbedderSetting {
  choice: EmbedderChoice;
  /** The spec it was built from (`builtin` by default). */
  spec: string;
  /**
   * Given by the user (`--embedder`, RADAR_EMBEDDER) rather than defaulted. Only
   * then may a refresh replace a store's different dense model (re-embedding
   * every paper); otherwise the store's model is kept.
   */
  explicit: boolean;
  /**
   * Embedders rebuilt from specs stored with a database's vectors, one per
   * spec for the holder of this setting (an ONNX model loads once).
   */
  rebuilt: Map<string, Embedder>;
}

export function resolveEmbedder(option?: string, env: NodeJS.ProcessEnv = process.env): EmbedderSetting {
  const given = option ?? env.RADAR_EMBEDDER;
  const explicit = given !== undefined && given.trim() !== '';
  const spec = explicit ? given!.trim() : 'builtin';
  return { choice: parseEmbedderSpec(spec, env), spec, explicit, rebuilt: new Map() };
}

/** What `refreshIndexes` takes from a setting. */
export function refreshOptionsFor(setting: EmbedderSetting): { embedder: EmbedderChoice; switchModel: boolean; rebuilt: Map<string, Embedder> } {
  return { embedder: setting.choice, switchModel: setting.explicit, rebuilt: setting.rebuilt };
}

/**
 * The embedder that produced a store's external vectors: the caller's own
 * when it is that model, else rebuilt from the spec recorded with them.
 * Undefined when neither is possible (vectors written by an embedder built in
 * code, or a model this machine cannot load); the reason goes to `warn`.
 */
export function embedderForStored(
  stored: { embedder: string; spec?: string },
  own: EmbedderChoice | undefined,
  warn?: (line: string) => void,
  rebuilt: Map<string, Embedder> = new Map(),
): Embedder | undefined {
  if (own && own !== 'builtin' && own.name === stored.embedder) return own;
  if (!stored.spec) {
    warn?.(`dense model ${stored.embedder}: this process is not configured with it (set RADAR_EMBEDDER or --embedder to its spec)`);
    return undefined;
  }
  const cached = rebuilt.get(stored.spec);
  if (cached) return cached;
  try {
    // The spec comes from the database, which may be shared or restored from
    // elsewhere: it must not decide where this process's API key is sent. An
    // endpoint that needs the key is used only when configured (RADAR_EMBEDDER).
    const { RADAR_EMBEDDER_API_KEY: _key, ...withoutKey } = process.env;
    const e = parseEmbedderSpec(stored.spec, withoutKey);
    if (e !== 'builtin' && e.name === stored.embedder) {
      rebuilt.set(stored.spec, e);
      return e;
    }
  } catch (err) {
    warn?.(`dense model ${stored.embedder}: cannot rebuild it from "${stored.spec}": ${(err as Error).message}`);
  }
  return undefined;
}
