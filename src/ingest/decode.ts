/**
 * Bytes to text for inputs of unknown origin: UTF-8 (with or without BOM),
 * UTF-16 (BOM, or the zero-byte pattern of ASCII text), and the common case
 * of a Latin-1/Windows-1252 file saved by an old tool.
 *
 * Invalid UTF-8 is damage in a UTF-8 file far more often than a whole file in
 * another encoding, so the two are told apart by evidence, not by the first
 * bad byte: once the text has shown a valid multi-byte UTF-8 character, every
 * invalid sequence becomes U+FFFD with a warning naming its line, and the
 * valid text around it is read as it is. Only when the first non-ASCII bytes
 * are invalid and the text around them (up to `DECIDE_WINDOW` bytes) has no
 * UTF-8 characters, or hardly any, is the file read as Windows-1252.
 * Streaming: chunks in, text out; a character split across chunks, and the
 * few bytes held back while deciding, wait for the next chunk, so memory
 * stays bounded however large the file.
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
  // A stray zero byte is damage to one line, wherever it is (the decoder
  // replaces it); only many control bytes make a file binary.
  const n = Math.min(head.length, 8192);
  let control = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) zeros++;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b) || b === 0x7f) control++;
  }
  if (n > 0 && control / n > 0.02) {
    const what = zeros > control / 2 ? `${zeros} zero bytes` : `${control} control bytes`;
    return `this is binary data (${what} in the first ${n}), not text`;
  }
  return undefined;
}

/**
 * Where `buf` breaks UTF-8, and how much valid multi-byte text it has. Each
 * invalid span is one "maximal subpart" as the WHATWG decoder counts them
 * (a lead byte and the continuation bytes that fit it), so one U+FFFD
 * replaces each, as a browser would; a sequence cut off by the end of `buf`
 * counts as invalid (the caller holds such a tail back unless the input ended).
 */
export function scanUtf8(buf: Buffer): { multibyte: number; firstMultibyte: number; invalid: { at: number; len: number }[] } {
  const invalid: { at: number; len: number }[] = [];
  let multibyte = 0;
  let firstMultibyte = -1;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // past U+10FFFF
    } else {
      invalid.push({ at: i, len: 1 });
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need && i + j < n; j++) {
      const c = buf[i + j];
      if (c < lo || c > hi) break;
      lo = 0x80;
      hi = 0xbf;
    }
    if (j > need) {
      if (firstMultibyte < 0) firstMultibyte = i;
      multibyte++;
      i += j;
    } else {
      invalid.push({ at: i, len: j });
      i += j;
    }
  }
  return { multibyte, firstMultibyte, invalid };
}

/** Bytes from the first (invalid) non-ASCII byte on that decide the encoding when nothing before did. */
export const DECIDE_WINDOW = 64 * 1024;
/** Lines with invalid UTF-8 warned about one by one; the rest are counted in one closing warning. */
export const MAX_LINE_WARNINGS = 20;
/** Invalid sequences outnumbering valid multi-byte ones by this much mean "not UTF-8 at all". */
const NOT_UTF8_RATIO = 10;

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
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

function countNewlines(buf: Buffer, from = 0, to = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function countNewlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Streaming decoder; `warnings` collects encoding warnings for the caller to drain. */
export class StreamDecoder {
  private mode: TextEncoding | 'windows-1252';
  /** A valid multi-byte character was seen: this is UTF-8, and bad bytes in it are damage. */
  private utf8Seen = false;
  private pending = Buffer.alloc(0);
  /** Bytes decoded so far (not counting `pending`), and the line they end on. */
  private offset = 0;
  private line = 1;
  private skipBom: number;
  private readonly utf16?: iconv.DecoderStream;
  private lastWarnedLine = 0;
  /** Line of the decoded text reached so far (1-based), and NUL warnings given. */
  private textLine = 1;
  private lastNulLine = 0;
  private nulLines = 0;
  private linesWarned = 0;
  private linesNotWarned = 0;
  private ended = false;
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
    return this.scrubNul(this.decodeRaw(chunk));
  }

  private decodeRaw(chunk: Buffer): string {
    if (this.skipBom > 0) {
      const skip = Math.min(this.skipBom, chunk.length);
      chunk = chunk.subarray(skip);
      this.skipBom -= skip;
      this.offset += skip;
    }
    if (this.utf16) return this.utf16.write(chunk);
    if (this.mode === 'windows-1252') return iconv.decode(chunk, 'windows-1252');
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    return this.utf8(buf, false);
  }

  /** The end of the input: bytes held back are decoded (a cut-off character becomes U+FFFD). */
  end(): string {
    if (this.ended) return '';
    const tail = this.scrubNul(this.endRaw());
    if (this.nulLines > MAX_LINE_WARNINGS) {
      this.warnings.push({
        locator: this.name,
        severity: 'warning',
        message: `NUL (zero) bytes on ${(this.nulLines - MAX_LINE_WARNINGS).toLocaleString('en')} more line(s) besides the ${MAX_LINE_WARNINGS} listed; each was replaced with U+FFFD`,
      });
    }
    return tail;
  }

  /**
   * A NUL byte is no character of any metadata: it becomes U+FFFD with a
   * warning naming its line, the same at the start of a file as at its end.
   */
  private scrubNul(text: string): string {
    let at = text.indexOf('\0');
    if (at < 0) {
      this.textLine += countNewlinesIn(text, 0, text.length);
      return text;
    }
    let from = 0;
    while (at >= 0) {
      this.textLine += countNewlinesIn(text, from, at);
      from = at;
      if (this.textLine !== this.lastNulLine) {
        this.lastNulLine = this.textLine;
        if (++this.nulLines <= MAX_LINE_WARNINGS) {
          this.warnings.push({
            locator: `${this.name}:${this.textLine}`,
            severity: 'warning',
            message: `a NUL (zero) byte on line ${this.textLine} was replaced with U+FFFD`,
          });
        }
      }
      at = text.indexOf('\0', at + 1);
    }
    this.textLine += countNewlinesIn(text, from, text.length);
    return text.replaceAll('\0', '\uFFFD');
  }

  private endRaw(): string {
    this.ended = true;
    let out = '';
    if (this.utf16) out = this.utf16.end() ?? '';
    else if (this.pending.length) {
      const rest = this.pending;
      this.pending = Buffer.alloc(0);
      out = this.mode === 'windows-1252' ? iconv.decode(rest, 'windows-1252') : this.utf8(rest, true);
    }
    if (this.linesNotWarned > 0) {
      this.warnings.push({
        locator: this.name,
        severity: 'warning',
        message: `invalid UTF-8 on ${this.linesNotWarned.toLocaleString('en')} more line(s) besides the ${MAX_LINE_WARNINGS} listed; each bad sequence was replaced with U+FFFD`,
      });
    }
    return out;
  }

  /** Marks `n` bytes of `buf` (from its start) as decoded. */
  private consume(buf: Buffer, n: number): void {
    this.line += countNewlines(buf, 0, n);
    this.offset += n;
  }

  private utf8(buf: Buffer, final: boolean): string {
    const tail = final ? 0 : incompleteTail(buf);
    const whole = tail ? buf.subarray(0, buf.length - tail) : buf;
    if (tail) this.pending = Buffer.from(buf.subarray(buf.length - tail));
    if (isUtf8(whole)) {
      const text = whole.toString('utf8');
      // Fewer characters than bytes: a multi-byte character was among them.
      if (text.length !== whole.length) this.utf8Seen = true;
      this.consume(whole, whole.length);
      return text;
    }
    const scan = scanUtf8(whole);
    const firstBad = scan.invalid[0].at;
    if (!this.utf8Seen && scan.firstMultibyte >= 0 && scan.firstMultibyte < firstBad) this.utf8Seen = true;
    // The input ends in a lead byte and continuation bytes: a UTF-8 file cut off
    // inside its character, not a Latin-1 one (whose "é" would stand alone).
    const last = scan.invalid[scan.invalid.length - 1];
    if (final && scan.invalid.length === 1 && last.len > 1 && last.at + last.len === whole.length) this.utf8Seen = true;
    if (!this.utf8Seen) {
      if (!final && whole.length - firstBad < DECIDE_WINDOW) {
        // Too little after the first bad byte to judge the file: hold it back (bounded by the window).
        this.pending = Buffer.concat([whole.subarray(firstBad), this.pending]);
        const text = whole.toString('latin1', 0, firstBad); // all ASCII up to here
        this.consume(whole, firstBad);
        return text;
      }
      if (scan.multibyte === 0 || scan.invalid.length >= NOT_UTF8_RATIO * scan.multibyte) {
        return this.switchToWindows1252(whole, firstBad, scan.multibyte);
      }
      this.utf8Seen = true;
    }
    return this.replaceInvalid(whole, scan.invalid, final);
  }

  private switchToWindows1252(whole: Buffer, firstBad: number, multibyte: number): string {
    const line = this.line + countNewlines(whole, 0, firstBad);
    const none = multibyte === 0 ? 'no' : `only ${multibyte}`;
    this.warnings.push({
      locator: `${this.name}:${line}`,
      severity: 'warning',
      message:
        `not UTF-8: byte ${hex(whole[firstBad])} on line ${line} (offset ${this.offset + firstBad}) is invalid UTF-8 and the text has ${none} ` +
        'UTF-8 characters, so the file was read as Windows-1252 (Latin-1)',
    });
    this.mode = 'windows-1252';
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    const text = whole.toString('latin1', 0, firstBad) + iconv.decode(Buffer.concat([whole.subarray(firstBad), rest]), 'windows-1252');
    this.consume(whole, whole.length);
    return text;
  }

  /** Valid text as it is, each invalid sequence as U+FFFD; one warning per line that had any. */
  private replaceInvalid(whole: Buffer, invalid: { at: number; len: number }[], final: boolean): string {
    const parts: string[] = [];
    let pos = 0;
    let line = this.line;
    for (const span of invalid) {
      line += countNewlines(whole, pos, span.at);
      parts.push(whole.toString('utf8', pos, span.at), '\uFFFD');
      this.warnLine(line, whole[span.at], this.offset + span.at, final && span.at + span.len === whole.length);
      pos = span.at + span.len;
    }
    parts.push(whole.toString('utf8', pos));
    this.consume(whole, whole.length);
    return parts.join('');
  }

  private warnLine(line: number, byte: number, offset: number, atEnd: boolean): void {
    if (line === this.lastWarnedLine) return;
    this.lastWarnedLine = line;
    if (this.linesWarned >= MAX_LINE_WARNINGS) {
      this.linesNotWarned++;
      return;
    }
    this.linesWarned++;
    this.warnings.push({
      locator: `${this.name}:${line}`,
      severity: 'warning',
      message: atEnd
        ? `the file ends inside a UTF-8 character (line ${line}, offset ${offset}); it was replaced with U+FFFD`
        : `invalid UTF-8 on line ${line} (byte ${hex(byte)} at offset ${offset}); the bad bytes were replaced with U+FFFD and the rest of the line was read as UTF-8`,
    });
  }
}
