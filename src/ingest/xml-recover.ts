/**
 * Reading on after malformed XML. Once the streaming parser has hit a
 * well-formedness error its state is unusable, so the rest of the text is cut
 * into record-sized pieces (`<entry>…</entry>`, `<record>…</record>`, plus the
 * few other elements a caller asks for, such as OAI's `<resumptionToken>`) and
 * each piece is parsed on its own: a good record lands, a bad one is reported
 * with its number, line and the parser's reason, and neither affects the next.
 * Memory stays bounded: the buffer holds at most one piece (capped) plus the
 * chunk being scanned.
 */
import type { XmlBreak, XmlRecordHandlers } from './xml.ts';
import { XmlRecordReader } from './xml.ts';

/** A record piece longer than this without its end tag is given up on. */
const MAX_PIECE = 16 * 1024 * 1024;
/** Kept from a scanned buffer with no start tag in it: enough for a start tag cut by the chunk boundary. */
const KEEP_FOR_TAG = 256;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface RecoveryOptions {
  /** Line of the first character written. */
  line: number;
  /** Number of the next record in the file. */
  nextIndex(): number;
  onBreak(b: XmlBreak): void;
  /** Called for every piece found, good or bad. */
  onPiece?(): void;
}

export class XmlRecovery {
  private buf = '';
  private line: number;
  /** Column (0-based) of `buf[0]` on its line, for pieces that start on it. */
  private column = 0;
  private readonly names: Set<string>;
  private readonly startRe: RegExp;

  constructor(
    private readonly handlers: XmlRecordHandlers,
    private readonly opts: RecoveryOptions,
  ) {
    this.line = opts.line;
    this.names = new Set([...handlers.records, ...(handlers.afterBreak ?? [])]);
    const alt = [...this.names].map(escapeRe).join('|');
    this.startRe = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?(${alt})(?=[\\s/>])`, 'g');
  }

  write(text: string): void {
    this.buf += text;
    this.scan(false);
  }

  close(): void {
    this.scan(true);
    this.buf = '';
  }

  /** Drops the first `n` characters of the buffer, keeping line and column right. */
  private advance(n: number): void {
    ({ line: this.line, column: this.column } = this.position(n));
    this.buf = this.buf.slice(n);
  }

  private position(at: number): { line: number; column: number } {
    const before = this.buf.slice(0, at);
    let nl = 0;
    let last = -1;
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) {
      nl++;
      last = i;
    }
    return { line: this.line + nl, column: last >= 0 ? at - last - 1 : this.column + at };
  }

  private nextStart(from: number): RegExpExecArray | null {
    this.startRe.lastIndex = from;
    return this.startRe.exec(this.buf);
  }

  private scan(final: boolean): void {
    for (;;) {
      const m = this.nextStart(0);
      if (!m) {
        if (final) return;
        if (this.buf.length > KEEP_FOR_TAG) this.advance(this.buf.length - KEEP_FOR_TAG);
        return;
      }
      const at = m.index;
      const name = m[1];
      const isRecord = this.handlers.records.has(name);
      const gt = this.buf.indexOf('>', at);
      let end = -1;
      if (gt >= 0 && this.buf[gt - 1] === '/') end = gt + 1;
      else if (gt >= 0) {
        const closeRe = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?${escapeRe(name)}\\s*>`, 'g');
        closeRe.lastIndex = gt + 1;
        const c = closeRe.exec(this.buf);
        if (c) end = c.index + c[0].length;
      }
      // The next piece's start before this one's end: this one lost its end tag.
      const next = this.nextStart(at + 1);
      const pos = this.position(at);
      if (end >= 0 || next || final || this.buf.length - at > MAX_PIECE) this.opts.onPiece?.();
      if (end >= 0 && (!next || end <= next.index)) {
        this.parsePiece(this.buf.slice(at, end), name, isRecord, pos);
        this.advance(end);
        continue;
      }
      if (next) {
        this.missingEnd(name, isRecord, pos, 'skipped', `no </${name}> before the next <${next[1]}>`);
        this.advance(next.index);
        continue;
      }
      if (final) {
        this.missingEnd(name, isRecord, pos, 'cut-off', `the file ends before </${name}>`);
        return;
      }
      if (this.buf.length - at > MAX_PIECE) {
        this.missingEnd(name, isRecord, pos, 'skipped', `no </${name}> within ${MAX_PIECE / (1024 * 1024)} MB`);
        this.advance(at + 1);
        continue;
      }
      // Wait for the rest of the piece.
      this.advance(at);
      return;
    }
  }

  private missingEnd(name: string, isRecord: boolean, pos: { line: number; column: number }, kind: XmlBreak['kind'], why: string): void {
    const record = isRecord ? { name, index: this.opts.nextIndex(), line: pos.line } : undefined;
    this.opts.onBreak({ kind: record ? kind : 'outside', line: pos.line, column: pos.column, message: why, record });
  }

  private parsePiece(text: string, name: string, isRecord: boolean, pos: { line: number; column: number }): void {
    const index = isRecord ? this.opts.nextIndex() : 0;
    let broke: XmlBreak | undefined;
    const reader = new XmlRecordReader(
      {
        records: new Set([name]),
        onRecord: (node) => (isRecord ? this.handlers.onRecord(node) : this.handlers.onOther?.(node, 1)),
        onBreak: (b) => (broke ??= b),
      },
      { lineOffset: pos.line - 1, columnOffset: pos.column, recover: false, firstIndex: index || 1 },
    );
    reader.write(text);
    reader.close();
    if (!broke) return;
    this.opts.onBreak({
      ...broke,
      kind: isRecord ? 'skipped' : 'outside',
      record: isRecord ? { name, index, line: pos.line } : undefined,
    });
  }
}
