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
 */
import { OnnxEmbedder } from './embedders/onnx.ts';
import { OpenAiEmbedder } from './embedders/openai.ts';
import type { Embedder } from './types.ts';

export type EmbedderChoice = 'builtin' | Embedder;

function splitParams(rest: string): { base: string; params: URLSearchParams } {
  const q = rest.lastIndexOf('?');
  return q < 0 ? { base: rest, params: new URLSearchParams() } : { base: rest.slice(0, q), params: new URLSearchParams(rest.slice(q + 1)) };
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
      maxRetries: params.has('maxRetries') ? Number(params.get('maxRetries')) : undefined,
      timeoutMs: num(params, 'timeoutMs', spec),
      documentPrefix: params.get('documentPrefix') ?? undefined,
      queryPrefix: params.get('queryPrefix') ?? undefined,
    });
  }
  throw new Error(`embedder "${spec}": expected builtin, onnx:DIR or openai:URL?model=NAME`);
}

/** The configured embedder: `--embedder` when given, else RADAR_EMBEDDER, else the built-in model. */
export function chooseEmbedder(option?: string, env: NodeJS.ProcessEnv = process.env): EmbedderChoice {
  return parseEmbedderSpec(option ?? env.RADAR_EMBEDDER ?? 'builtin', env);
}
