/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint: Ollama,
 * vLLM, Hugging Face TEI, llama.cpp server, or OpenAI itself.
 *
 * Texts are sent in batches; 429 and 5xx answers and network failures are
 * retried with exponential back-off (honouring Retry-After); anything else
 * fails at once with the status and the start of the server's message. A body
 * that is not the documented shape fails with what was wrong about it, never
 * with a vector of garbage.
 */
import { normalize } from '../quantize.ts';
import type { Embedder, TextDoc } from '../types.ts';

export interface OpenAiEmbedderOptions {
  /** Up to and including `/v1`, e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Texts per request (default 32). */
  batchSize?: number;
  /** Retries of a failed request (default 3). */
  maxRetries?: number;
  /** First back-off in ms, doubled each retry (default 500). */
  retryBaseMs?: number;
  /** Per-request timeout in ms (default 60 s). */
  timeoutMs?: number;
  /** Prepended to documents / queries for models trained with prefixes (e5: `passage: ` / `query: `; nomic: `search_document: ` / `search_query: `). */
  documentPrefix?: string;
  queryPrefix?: string;
  /** Characters of a document sent at most (long abstracts beyond a model's window only cost time). */
  maxChars?: number;
  /** The spec this embedder was built from (see Embedder.spec). */
  spec?: string;
}

export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function docText(d: TextDoc): string {
  return d.abstract ? `${d.title}\n\n${d.abstract}` : d.title;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class OpenAiEmbedder implements Embedder {
  readonly name: string;
  readonly spec?: string;
  private width = 0;
  private readonly url: string;

  constructor(readonly opts: OpenAiEmbedderOptions) {
    if (!/^https?:\/\//.test(opts.baseUrl)) throw new Error(`embedding endpoint: expected an http(s) URL, got "${opts.baseUrl}"`);
    if (!opts.model) throw new Error('embedding endpoint: a model name is required');
    // A retry count that is not a whole number (NaN from a typo) would never be reached: retries forever.
    if (opts.maxRetries !== undefined && !(Number.isInteger(opts.maxRetries) && opts.maxRetries >= 0)) {
      throw new Error(`embedding endpoint: maxRetries must be a whole number ≥ 0, got ${opts.maxRetries}`);
    }
    this.url = `${opts.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.name = `openai:${opts.model}`;
    this.spec = opts.spec;
  }

  get dims(): number {
    return this.width;
  }

  async embed(docs: TextDoc[]): Promise<Float32Array[]> {
    const max = this.opts.maxChars ?? 8000;
    return this.embedTexts(docs.map((d) => (this.opts.documentPrefix ?? '') + docText(d).slice(0, max)));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.embedTexts([(this.opts.queryPrefix ?? '') + text]))[0];
  }

  private async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const size = Math.max(1, this.opts.batchSize ?? 32);
    for (let i = 0; i < texts.length; i += size) out.push(...(await this.withRetries(texts.slice(i, i + size))));
    return out;
  }

  private async withRetries(batch: string[]): Promise<Float32Array[]> {
    const retries = this.opts.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request(batch);
      } catch (err) {
        const e = err instanceof EmbeddingError ? err : new EmbeddingError(`embedding endpoint ${this.url}: ${(err as Error).message}`, true);
        if (!e.retryable || attempt >= retries) {
          if (e.retryable) e.message += ` (gave up after ${attempt + 1} attempts)`;
          throw e;
        }
        const backoff = (this.opts.retryBaseMs ?? 500) * 2 ** attempt;
        await sleep(Math.min(60_000, Math.max(backoff, e.retryAfterMs ?? 0)));
      }
    }
  }

  private async request(batch: string[]): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.opts.model, input: batch }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new EmbeddingError(`embedding endpoint ${this.url} unreachable: ${cause ?? (err as Error).message}`, true);
    }
    const body = await res.text();
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      const ra = Number(res.headers.get('retry-after'));
      throw new EmbeddingError(
        `embedding endpoint ${this.url} answered ${res.status} ${res.statusText}: ${body.slice(0, 300).trim() || '(empty body)'}`,
        retryable,
        Number.isFinite(ra) && ra > 0 ? ra * 1000 : undefined,
      );
    }
    return this.parse(body, batch.length);
  }

  private parse(body: string, expected: number): Float32Array[] {
    const bad = (why: string) => new EmbeddingError(`embedding endpoint ${this.url} returned a malformed body: ${why}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw bad(`not JSON (starts with ${JSON.stringify(body.slice(0, 60))})`);
    }
    const data = (json as { data?: unknown })?.data;
    if (!Array.isArray(data)) throw bad('no "data" array');
    if (data.length !== expected) throw bad(`${data.length} embeddings for ${expected} inputs`);
    const out: (Float32Array | undefined)[] = new Array(expected);
    data.forEach((item: unknown, pos: number) => {
      const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
      const at = typeof index === 'number' ? index : pos;
      if (!Number.isInteger(at) || at < 0 || at >= expected || out[at]) throw bad(`item ${pos} has a bad or repeated "index" (${String(index)})`);
      if (!Array.isArray(embedding) || embedding.length === 0) throw bad(`item ${pos} has no "embedding" array`);
      if (!embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) throw bad(`item ${pos}: "embedding" holds a value that is not a finite number`);
      if (this.width && embedding.length !== this.width) throw bad(`item ${pos} has ${embedding.length} dimensions, earlier ones had ${this.width}`);
      this.width = embedding.length;
      out[at] = normalize(Float32Array.from(embedding as number[]));
    });
    return out as Float32Array[];
  }
}
