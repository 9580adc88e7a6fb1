/**
 * A sentence-embedding model in ONNX format from a local directory (e.g. a
 * downloaded all-MiniLM-L6-v2, bge-small-en-v1.5 or SPECTER2 export), run on
 * the CPU by @huggingface/transformers (onnxruntime-node). Never downloads:
 * remote models are switched off, the directory must hold `config.json`,
 * `tokenizer.json` (+ `tokenizer_config.json`) and `onnx/model.onnx`
 * (or `onnx/model_quantized.onnx` with `dtype: 'q8'`).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { docText } from './openai.ts';
import type { Embedder, TextDoc } from '../types.ts';

export interface OnnxEmbedderOptions {
  /** The model directory. */
  dir: string;
  /** `mean` (sentence-transformers default) or `cls` (bge, SPECTER). */
  pooling?: 'mean' | 'cls';
  /** Weights file: fp32 `model.onnx` (default) or q8 `model_quantized.onnx`. */
  dtype?: 'fp32' | 'q8';
  /** Texts per forward pass (default 16). */
  batchSize?: number;
  documentPrefix?: string;
  queryPrefix?: string;
  /** The spec this embedder was built from (see Embedder.spec). */
  spec?: string;
}

type Extractor = (texts: string[], opts: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

export class OnnxEmbedder implements Embedder {
  readonly name: string;
  readonly spec?: string;
  private width = 0;
  private extractor?: Promise<Extractor>;
  private readonly dir: string;

  constructor(readonly opts: OnnxEmbedderOptions) {
    this.dir = resolve(opts.dir);
    this.name = `onnx:${basename(this.dir)}`;
    this.spec = opts.spec;
  }

  get dims(): number {
    return this.width;
  }

  private load(): Promise<Extractor> {
    this.extractor ??= (async () => {
      const file = join(this.dir, 'onnx', this.opts.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
      for (const need of [join(this.dir, 'config.json'), join(this.dir, 'tokenizer.json'), file]) {
        if (!existsSync(need)) throw new Error(`ONNX model directory ${this.dir}: ${need} is missing`);
      }
      const { env, pipeline } = await import('@huggingface/transformers');
      // Local files only: this process never fetches a model.
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = `${dirname(this.dir)}/`;
      const pipe = await pipeline('feature-extraction', basename(this.dir), { dtype: this.opts.dtype ?? 'fp32', local_files_only: true });
      return pipe as unknown as Extractor;
    })();
    return this.extractor;
  }

  async embed(docs: TextDoc[]): Promise<Float32Array[]> {
    return this.run(docs.map((d) => (this.opts.documentPrefix ?? '') + docText(d)));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.run([(this.opts.queryPrefix ?? '') + text]))[0];
  }

  private async run(texts: string[]): Promise<Float32Array[]> {
    const extract = await this.load();
    const out: Float32Array[] = [];
    const size = Math.max(1, this.opts.batchSize ?? 16);
    for (let i = 0; i < texts.length; i += size) {
      const batch = texts.slice(i, i + size);
      const t = await extract(batch, { pooling: this.opts.pooling ?? 'mean', normalize: true });
      const d = t.dims[t.dims.length - 1];
      this.width = d;
      for (let r = 0; r < batch.length; r++) out.push(Float32Array.from(t.data.subarray(r * d, (r + 1) * d)));
    }
    return out;
  }
}
