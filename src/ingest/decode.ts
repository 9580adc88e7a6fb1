/**
 * Bytes to text for inputs of unknown origin: UTF-8 (with or without BOM),
 * UTF-16 (BOM, or the zero-byte pattern of ASCII text), and the common case
 * of a Latin-1/Windows-1252 file saved by an old tool: invalid UTF-8 is read
 * as Windows-1252 from the first bad byte on, with a warning saying where.
 * Streaming: chunks in, text out, a character split across chunks is kept
 * for the next one.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Problem } from '../paper/types.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a file's first bytes announce or betray, and how many BOM bytes to skip. */
export function sniffEncoding(head: Buffer): { encoding: TextEncoding; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // No BOM: ASCII-range text in UTF-16 has a zero in every other byte.
  const n = Math.min(head.length, 1024) & ~1;
  if (n >= 8) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0 && head[i + 1] !== 0) evenZero++;
      if (head[i + 1] === 0 && head[i] !== 0) oddZero++;
    }
    if (oddZero > n * 0.4 && evenZero === 0) return { encoding: 'utf-16le', bom: 0 };
    if (evenZero > n * 0.4 && oddZero === 0) return { encoding: 'utf-16be', bom: 0 };
  }
  return { encoding: 'utf-8', bom: 0 };
}

const MAGIC: [string, number[]][] = [
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive (or an Office document)', [0x50, 0x4b, 0x03, 0x04]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['an SQLite database', [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66]],
  ['an executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf]],
  ['an xz archive', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['a bzip2 archive', [0x42, 0x5a, 0x68]],
  ['a zstd archive', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** Why these first bytes are not text, or undefined when they may be. */
export function binaryReason(head: Buffer, encoding: TextEncoding): string | undefined {
  for (const [what, magic] of MAGIC) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) {
      if (what.startsWith('a bzip2') && !(head[3] >= 0x31 && head[3] <= 0x39)) continue;
      return `this is ${what}, not paper metadata`;
    }
  }
  if (encoding !== 'utf-8') return undefined;
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return `this is binary data (a zero byte at offset ${i}), not text`;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) control++;
  }
  if (n > 0 && control / n > 0.02) return `this is binary data (${control} control bytes in the first ${n}), not text`;
  return undefined;
}

/** Offset of the first byte that breaks UTF-8 in `buf`, ignoring a sequence cut off at the end. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [len, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [len, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [len, min] = [4, 0x10000];
    else return i;
    if (i + len > n) {
      // Cut off by the end of the buffer: valid so far is all we can say.
      for (let j = i + 1; j < n; j++) if ((buf[j] & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (0xff >> (len + 1));
    for (let j = 1; j < len; j++) {
      const c = buf[i + j];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return -1;
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the buffer does not finish. */
function incompleteTail(buf: Buffer): number {
  for (let k = 1; k <= Math.min(3, buf.length); k++) {
    const b = buf[buf.length - k];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Streaming decoder; `warnings` collects the one encoding warning, if any. */
export class StreamDecoder {
  private mode: TextEncoding | 'windows-1252';
  private pending = Buffer.alloc(0);
  private offset = 0;
  private skipBom: number;
  private readonly utf16?: iconv.DecoderStream;
  readonly warnings: Problem[] = [];

  constructor(
    encoding: TextEncoding,
    bom: number,
    private readonly name: string,
  ) {
    this.mode = encoding;
    this.skipBom = bom;
    if (encoding !== 'utf-8') this.utf16 = iconv.getDecoder(encoding, { stripBOM: false });
  }

  get encoding(): string {
    return this.mode;
  }

  decode(chunk: Buffer): string {
    if (this.skipBom > 0) {
      const skip = Math.min(this.skipBom, chunk.length);
      chunk = chunk.subarray(skip);
      this.skipBom -= skip;
      this.offset += skip;
    }
    if (this.utf16) return this.utf16.write(chunk);
    if (this.mode === 'windows-1252') {
      this.offset += chunk.length;
      return iconv.decode(chunk, 'windows-1252');
    }
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const whole = buf.subarray(0, buf.length - tail);
    if (isUtf8(whole)) {
      this.pending = Buffer.from(buf.subarray(buf.length - tail));
      this.offset += whole.length;
      return whole.toString('utf8');
    }
    const bad = firstInvalidUtf8(buf);
    const at = this.offset + bad;
    this.warnings.push({
      locator: this.name,
      severity: 'warning',
      message: `not valid UTF-8 (byte 0x${buf[bad].toString(16).toUpperCase().padStart(2, '0')} at offset ${at}); read as Windows-1252 (Latin-1) from there on`,
    });
    this.mode = 'windows-1252';
    this.pending = Buffer.alloc(0);
    this.offset += buf.length;
    return buf.subarray(0, bad).toString('utf8') + iconv.decode(buf.subarray(bad), 'windows-1252');
  }

  end(): string {
    if (this.utf16) return this.utf16.end() ?? '';
    if (this.pending.length === 0) return '';
    // A sequence cut off by the end of the file.
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    this.warnings.push({
      locator: this.name,
      severity: 'warning',
      message: `the file ends inside a UTF-8 character (offset ${this.offset}); the last ${rest.length} byte(s) were dropped`,
    });
    return '';
  }
}
