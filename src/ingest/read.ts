/**
 * Reads one input of any supported kind into records: file or bytes, gzip or
 * not, any of the text encodings people's files come in, format detected
 * from the content. Line formats and XML stream, so memory does not grow
 * with the file; the small document formats are parsed whole.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PaperRecord, Problem } from '../paper/types.ts';
import { binaryReason, sniffEncoding, StreamDecoder } from './decode.ts';
import { detectFormat, unknownFormatReason } from './detect.ts';
import { UnreadableInputError } from './errors.ts';
import { AtomReader } from './parsers/arxiv-atom.ts';
import { bibtexEntries } from './parsers/bibtex.ts';
import { LINE_PARSERS, PARSERS } from './parsers/index.ts';
import { looksLikeJsonArray } from './parsers/jsonl.ts';
import { OaiReader } from './parsers/oai-pmh.ts';
import { ByteSource, DecompressionLimitError, decodeText, gunzip, splitLines, type StreamState } from './streams.ts';
import type { InputFormat, InputItem, InputSpec, ParseContext, ReadOptions } from './types.ts';

/** Bytes looked at to detect encoding and format. */
const HEAD_BYTES = 64 * 1024;
/** No paper's metadata line is near this; a longer line is skipped, not buffered. */
export const MAX_LINE_CHARS = 8 * 1024 * 1024;
/** Largest document the whole-document formats (BibTeX, CSL-JSON, listings…) are read into memory for. */
export const MAX_DOCUMENT_CHARS = 256 * 1024 * 1024;

/**
 * The name a file goes by in locators and so in provenance rows, which are
 * keyed by it: the path relative to the working directory when the file is
 * under it, else the absolute path. A base name alone would make
 * `a/papers.bib:3` and `b/papers.bib:3` one provenance row.
 */
export function locatorName(path: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : abs).split(sep).join('/');
}

export interface OpenedInput {
  /** The name used in locators: `locatorName` of the path, or the name given with bytes. */
  name: string;
  format: InputFormat;
  gzip: boolean;
  totalBytes?: number;
  items: AsyncIterable<InputItem>;
}

function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'something other than a file';
}

async function sourceOf(input: InputSpec): Promise<{ name: string; source: ByteSource; totalBytes?: number }> {
  if ('bytes' in input) return { name: input.name, source: ByteSource.fromBytes(input.bytes), totalBytes: input.bytes.length };
  const [path, name, display] = 'file' in input ? [input.file, input.name, input.name] : [input.path, locatorName(input.path), input.path];
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new UnreadableInputError(display, 'is a directory, not a file');
    // Opening a FIFO waits for a writer, forever if none comes; devices and sockets are no files either.
    if (!s.isFile()) throw new UnreadableInputError(display, `is ${kindOf(s)}, not a regular file; save the data to a file and import that`);
    size = s.size;
  } catch (err) {
    if (err instanceof UnreadableInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UnreadableInputError(display, why);
  }
  return { name, source: ByteSource.fromPath(path), totalBytes: size };
}

function describeGzipError(err: Error): string {
  if (err instanceof DecompressionLimitError) return `${err.message}; the records before that point were read`;
  return /unexpected end of file/i.test(err.message)
    ? 'the gzip data ends early (truncated file?); the records before that point were read'
    : `the gzip data is corrupt (${err.message}); the records before that point were read`;
}

/**
 * Opens an input and detects its format. Throws `UnreadableInputError` when
 * it cannot be read at all (missing, empty, binary, unknown format); after
 * that, every problem arrives as an item.
 */
export async function openInput(input: InputSpec, opts: ReadOptions): Promise<OpenedInput> {
  const display = 'path' in input ? input.path : input.name;
  const { name, source: raw, totalBytes } = await sourceOf(input);
  let rawHead: Buffer;
  try {
    rawHead = await raw.head(HEAD_BYTES);
  } catch (err) {
    throw new UnreadableInputError(display, (err as Error).message);
  }
  if (rawHead.length === 0) throw new UnreadableInputError(display, 'the file is empty');

  const isGzip = rawHead[0] === 0x1f && rawHead[1] === 0x8b;
  const bytes = isGzip ? gunzip(raw) : raw;
  let head: Buffer;
  try {
    head = await bytes.head(HEAD_BYTES);
  } catch (err) {
    throw new UnreadableInputError(display, `not a readable gzip file: ${(err as Error).message}`);
  }
  if (head.length === 0) throw new UnreadableInputError(display, isGzip ? 'the gzip file holds no data' : 'the file is empty');

  const { encoding, bom } = sniffEncoding(head);
  const binary = binaryReason(head, encoding);
  if (binary) throw new UnreadableInputError(display, binary);
  const decoder = new StreamDecoder(encoding, bom, name);
  // A head shorter than asked for is the whole input: end the decoder now, so
  // bytes it would hold back for more context are decoded before detection.
  const headText = decoder.decode(head) + (head.length < HEAD_BYTES ? decoder.end() : '');
  bytes.consumeHead();
  if (!headText.trim()) throw new UnreadableInputError(display, 'the file is empty (only white space)');

  const detected = detectFormat(headText, isGzip ? name.replace(/\.gz$/i, '') : name);
  if (!detected || detected === 'gzip') throw new UnreadableInputError(display, unknownFormatReason(headText, name));
  const format: InputFormat = detected;

  const ctx: ParseContext = { name, seenAt: opts.seenAt, today: opts.today };
  const state: StreamState = {};
  const texts = decodeText(headText, bytes.chunks(), decoder, state);
  let records = 0;
  const progress = () => opts.onProgress?.({ bytesRead: raw.bytesRead, totalBytes, records });

  async function* items(): AsyncGenerator<InputItem> {
    const drainWarnings = function* (): Generator<InputItem> {
      while (decoder.warnings.length) yield { problem: decoder.warnings.shift()! };
    };
    let inner: AsyncGenerator<InputItem>;
    const lineParser = LINE_PARSERS[format];
    // A line format written as one JSON array (a Kaggle snapshot saved as
    // `[{…},{…}]`) is a document, not lines.
    const jsonArray = looksLikeJsonArray(headText);
    if (lineParser && !jsonArray) inner = readLines(texts, lineParser, ctx);
    else if (format === 'arxiv-atom' || format === 'oai-pmh') inner = readXml(texts, format, ctx);
    else inner = readDocument(texts, format, ctx);
    let n = 0;
    for await (const item of inner) {
      yield* drainWarnings();
      if ('record' in item) records++;
      yield item;
      if (++n % 500 === 0) progress();
    }
    yield* drainWarnings();
    if (state.error) {
      const message = isGzip ? describeGzipError(state.error) : `reading stopped early: ${state.error.message}`;
      yield { problem: { locator: name, severity: 'error', message } };
    }
    progress();
  }
  return { name, format, gzip: isGzip, totalBytes, items: items() };
}

/** All records and problems of one input; see `openInput`. */
export async function* readInput(input: InputSpec, opts: ReadOptions): AsyncGenerator<InputItem> {
  const opened = await openInput(input, opts);
  yield* opened.items;
}

async function* readLines(texts: AsyncIterable<string>, parse: NonNullable<(typeof LINE_PARSERS)['jsonl']>, ctx: ParseContext): AsyncGenerator<InputItem> {
  for await (const line of splitLines(texts, MAX_LINE_CHARS)) {
    if ('tooLong' in line) {
      yield {
        problem: {
          locator: `${ctx.name}:${line.no}`,
          severity: 'error',
          message: `line ${line.no} is ${(line.tooLong / 1e6).toFixed(1)} million characters long; a record line can be at most ${MAX_LINE_CHARS / (1024 * 1024)} MB (no paper's metadata is that large), so it was skipped`,
        },
      };
      continue;
    }
    const r = parse(line.text, line.no, ctx);
    for (const problem of r.problems) yield { problem };
    if (r.record) yield { record: r.record };
  }
}

async function* readXml(texts: AsyncIterable<string>, format: 'arxiv-atom' | 'oai-pmh', ctx: ParseContext): AsyncGenerator<InputItem> {
  const queue: InputItem[] = [];
  const emit = (r: { record?: PaperRecord; problems: Problem[] }) => {
    for (const problem of r.problems) queue.push({ problem });
    if (r.record) queue.push({ record: r.record });
  };
  const reader = format === 'arxiv-atom' ? new AtomReader(ctx, emit) : new OaiReader(ctx, emit);
  for await (const text of texts) {
    reader.write(text);
    while (queue.length) yield queue.shift()!;
  }
  reader.close();
  while (queue.length) yield queue.shift()!;
  if (reader instanceof OaiReader) {
    for (const e of reader.page.errors) {
      if (e.code !== 'noRecordsMatch') yield { problem: { locator: ctx.name, severity: 'error', message: `OAI-PMH error ${e.code}: ${e.message}` } };
    }
  }
}

async function* readDocument(texts: AsyncIterable<string>, format: InputFormat, ctx: ParseContext): AsyncGenerator<InputItem> {
  const parts: string[] = [];
  let size = 0;
  for await (const text of texts) {
    size += text.length;
    if (size > MAX_DOCUMENT_CHARS) {
      yield {
        problem: {
          locator: ctx.name,
          severity: 'error',
          message: `the file is over ${MAX_DOCUMENT_CHARS / (1024 * 1024)} MB of ${format} text, more than Paper Radar reads as one document; split it`,
        },
      };
      return;
    }
    parts.push(text);
  }
  if (format === 'bibtex') {
    // Entry by entry, giving the event loop a turn now and then: a server
    // importing a large file still answers (and stops when told to).
    let n = 0;
    for (const r of bibtexEntries(parts.join(''), ctx)) {
      for (const problem of r.problems) yield { problem };
      if (r.record) yield { record: r.record };
      if (++n % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  const result = PARSERS[format](parts.join(''), ctx);
  for (const record of result.records) yield { record };
  for (const problem of result.problems) yield { problem };
}
