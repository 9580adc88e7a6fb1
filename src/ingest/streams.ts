/**
 * Byte and text plumbing for `readInput`: a byte source whose head can be
 * looked at before the rest streams, gzip, decoding, and a line splitter
 * that refuses to buffer a line without end.
 */
import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { StreamDecoder } from './decode.ts';

const CHUNK = 1 << 20;

/** Raw chunks of a file or buffer, counting the bytes handed out. */
export class ByteSource {
  bytesRead = 0;
  private readonly iter: AsyncIterator<Buffer>;
  private buffered: Buffer[] = [];

  constructor(chunks: AsyncIterable<Buffer>) {
    this.iter = chunks[Symbol.asyncIterator]();
  }

  static fromPath(path: string): ByteSource {
    return new ByteSource(createReadStream(path, { highWaterMark: CHUNK }));
  }

  static fromBytes(bytes: Buffer): ByteSource {
    async function* slices() {
      for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
    }
    return new ByteSource(slices());
  }

  private async pull(): Promise<Buffer | undefined> {
    const next = await this.iter.next();
    if (next.done) return undefined;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    this.bytesRead += chunk.length;
    return chunk;
  }

  /** At least `n` bytes from the start (fewer at end of input), kept for `chunks()` to hand out again. */
  async head(n: number): Promise<Buffer> {
    let have = this.buffered.reduce((s, b) => s + b.length, 0);
    while (have < n) {
      const chunk = await this.pull();
      if (!chunk) break;
      this.buffered.push(chunk);
      have += chunk.length;
    }
    return Buffer.concat(this.buffered);
  }

  /** Drops what `head` buffered: the caller has used it. */
  consumeHead(): void {
    this.buffered = [];
  }

  async *chunks(): AsyncGenerator<Buffer> {
    const first = this.buffered;
    this.buffered = [];
    yield* first;
    for (let c = await this.pull(); c; c = await this.pull()) yield c;
  }
}

/** Paper metadata compresses about tenfold; past this a file is built to expand, not to be read. */
export const MAX_GZIP_RATIO = 100;
/** The ratio is judged only once this much has come out (a small file's header skews it). */
export const GZIP_RATIO_AFTER = 1024 * 1024;
/** More than the largest metadata dump there is (arXiv's full snapshot is about 5 GB). */
export const MAX_GZIP_OUTPUT = 64 * 1024 ** 3;
/** Compressed bytes handed to the decompressor at a time. */
const GZIP_SLICE = 16 * 1024;

/** A gzip input expanding past `MAX_GZIP_RATIO` or `MAX_GZIP_OUTPUT`: reading stops. */
export class DecompressionLimitError extends Error {}

function mb(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  return n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/**
 * The decompressed bytes of a gzip byte source, stopped with a
 * `DecompressionLimitError` when they outgrow the compressed ones by
 * `MAX_GZIP_RATIO` or pass `MAX_GZIP_OUTPUT` (a "gzip bomb" would otherwise
 * keep a core busy for minutes).
 */
export function gunzip(source: ByteSource): ByteSource {
  // The compressed bytes go in small slices, one ahead, so the count of those
  // handed over tracks what the decompressor has consumed: a bomb's ratio shows
  // within a few megabytes of output, not after the whole (small) file was read.
  let consumed = 0;
  async function* slices(): AsyncGenerator<Buffer> {
    for await (const chunk of source.chunks()) {
      for (let i = 0; i < chunk.length; i += GZIP_SLICE) {
        const slice = chunk.subarray(i, i + GZIP_SLICE);
        consumed += slice.length;
        yield slice;
      }
    }
  }
  const out = pipeline(Readable.from(slices(), { highWaterMark: 1 }), createGunzip({ chunkSize: 256 * 1024 }), () => {
    // Errors surface to the consumer through iteration.
  });
  async function* bounded(): AsyncGenerator<Buffer> {
    let total = 0;
    for await (const chunk of out as AsyncIterable<Buffer>) {
      total += chunk.length;
      const ratio = total / Math.max(1, consumed);
      if (total > MAX_GZIP_OUTPUT) {
        throw new DecompressionLimitError(`the gzip data expands past ${mb(MAX_GZIP_OUTPUT)}, more than any metadata file; reading stopped there`);
      }
      if (total > GZIP_RATIO_AFTER && ratio > MAX_GZIP_RATIO) {
        throw new DecompressionLimitError(
          `the gzip data expands ${Math.round(ratio)}-fold (${mb(total)} from ${mb(consumed)} so far), ` +
            `more than the ${MAX_GZIP_RATIO}-fold of any metadata file (a decompression bomb?); reading stopped there`,
        );
      }
      yield chunk;
    }
  }
  return new ByteSource(bounded());
}

export interface StreamState {
  /** A read error that ended the input early (truncated gzip, I/O error). */
  error?: Error;
}

/**
 * Decoded text: `first` (already decoded head), then the rest of the bytes.
 * A read error ends the text quietly and is left in `state` for the caller to
 * report after the records that did arrive.
 */
export async function* decodeText(first: string, rest: AsyncIterable<Buffer>, decoder: StreamDecoder, state: StreamState): AsyncGenerator<string> {
  if (first) yield first;
  try {
    for await (const chunk of rest) {
      const text = decoder.decode(chunk);
      if (text) yield text;
    }
  } catch (err) {
    state.error = err as Error;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

export type Line = { no: number; text: string } | { no: number; tooLong: number };

/**
 * Lines of a text stream (`\n` or `\r\n`). A line longer than `maxLine`
 * characters is not buffered: it is skipped and reported by its length, so a
 * file without line breaks cannot exhaust memory.
 */
export async function* splitLines(texts: AsyncIterable<string>, maxLine: number): AsyncGenerator<Line> {
  let carry = '';
  let skipping = 0;
  let no = 0;
  for await (const chunk of texts) {
    let start = 0;
    for (let nl = chunk.indexOf('\n', start); nl >= 0; nl = chunk.indexOf('\n', start)) {
      no++;
      if (skipping) {
        yield { no, tooLong: skipping + nl - start };
        skipping = 0;
      } else {
        let text = carry ? carry + chunk.slice(start, nl) : chunk.slice(start, nl);
        carry = '';
        if (text.endsWith('\r')) text = text.slice(0, -1);
        yield { no, text };
      }
      start = nl + 1;
    }
    const rest = start === 0 ? chunk : chunk.slice(start);
    if (skipping) skipping += rest.length;
    else if (carry.length + rest.length > maxLine) {
      skipping = carry.length + rest.length;
      carry = '';
    } else carry += rest;
  }
  if (skipping) yield { no: no + 1, tooLong: skipping };
  else if (carry) yield { no: no + 1, text: carry.endsWith('\r') ? carry.slice(0, -1) : carry };
}
