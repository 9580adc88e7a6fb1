/**
 * Streaming XML into small per-record trees. The arXiv API and OAI-PMH
 * formats are "a list of records": each record element (`entry`, `record`)
 * is built as a tiny tree, handed over when it closes and then forgotten, so
 * memory stays bounded by one record however long the file. Parsing is strict
 * (saxes), but one bad record must not cost the rest of the file: at a
 * well-formedness error the broken record is reported and reading goes on
 * record by record (`xml-recover.ts`); a file cut off early keeps everything
 * before the cut.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Problem } from '../paper/types.ts';
import { AmpersandCheck } from './xml-ampersand.ts';
import { XmlRecovery } from './xml-recover.ts';

export interface XmlNode {
  /** Local name, namespace prefix dropped (`arxiv:comment` → `comment`). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** This element's own text (not its children's), capped at `MAX_TEXT` characters. */
  text: string;
  /** Characters of own text seen, including any past the cap. */
  textLength: number;
  /** Line the start tag was on (1-based). */
  line: number;
}

/**
 * No metadata field is longer than this; text beyond it is counted but not
 * kept, so a hostile 50 MB element costs no more than this much memory here.
 */
export const MAX_TEXT = 100_000;

/**
 * Metadata nests a few elements deep; a record nesting deeper than this is
 * rejected rather than built (the tree walks would overflow the stack).
 */
export const MAX_DEPTH = 64;

function localName(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
}

/** Text of a node and its descendants, whitespace collapsed. */
export function textOf(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node.children.length === 0) return node.text.replace(/\s+/g, ' ').trim();
  const parts: string[] = [node.text];
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      parts.push(c.text);
      walk(c);
    }
  };
  walk(node);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** Descendant at a path of local names: `path(rec, 'metadata', 'arXiv')`. */
export function path(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let n = node;
  for (const name of names) {
    if (!n) return undefined;
    n = child(n, name);
  }
  return n;
}

/** Names and lengths of elements whose text went past `MAX_TEXT`. */
export function oversizedText(node: XmlNode): { name: string; length: number }[] {
  const out: { name: string; length: number }[] = [];
  const walk = (n: XmlNode) => {
    if (n.textLength > MAX_TEXT) out.push({ name: n.name, length: n.textLength });
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}

export interface XmlRecordHandlers {
  /** Local names of the record elements. */
  records: Set<string>;
  onRecord(node: XmlNode): void;
  /** A non-record element closed outside any record (OAI `resumptionToken`, OpenSearch totals, root). */
  onOther?(node: XmlNode, depth: number): void;
  /** Elements outside records to look for again once a break has stopped normal parsing (OAI `resumptionToken`, `error`). */
  afterBreak?: Set<string>;
  /** A malformed part of the input; reading goes on after it (except at the end of the input). */
  onBreak(b: XmlBreak): void;
}

export interface XmlBreak {
  /**
   * `skipped`: a record was left out and reading went on; `outside`: the break was between records;
   * `cut-off`: the input ended early; `rejected`: a well-formed record was refused (nested too deep).
   */
  kind: 'skipped' | 'outside' | 'cut-off' | 'rejected';
  line: number;
  column?: number;
  message: string;
  /** The record element the break is in: its name, number in the file (1-based) and first line. */
  record?: { name: string; index: number; line: number; /** Stream position after its start tag, when known. */ pos?: number };
}

export interface XmlReaderOptions {
  /** Added to every line number: the reader is parsing a piece of a larger text starting on line `lineOffset + 1`. */
  lineOffset?: number;
  /** Added to column numbers on the first line, for the same reason. */
  columnOffset?: number;
  /** Whether to go on after a break (default true); the per-record re-parse of `XmlRecovery` does not. */
  recover?: boolean;
  /** Numbers records from `firstIndex` on (default 1). */
  firstIndex?: number;
}

/**
 * Text of an open record kept to re-read it after a break; a record larger than
 * this is not kept (reading then resumes at the break itself).
 */
const MAX_KEPT_RECORD = 4 * 1024 * 1024;
/** Characters of each chunk held for the next one: more than the longest reference or markup opener checked. */
const HOLD_BACK = 80;
/** Incremental reader: `write` chunks of text, then `close`. */
export class XmlRecordReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: XmlNode[] = [];
  /** Depth at which the open record starts, or -1. */
  private recordDepth = -1;
  private openRecord: { name: string; index: number; line: number; pos: number; rawLine: number } | undefined;
  /** Records started so far (numbering goes on through a recovery). */
  private recordCount: number;
  private failure: { b: XmlBreak; pos: number; rawLine: number } | undefined;
  /** Text held back from the last chunk, and the bare-`&` check that runs ahead of the parser. */
  private carry = '';
  private readonly amp = new AmpersandCheck();
  private recovery: XmlRecovery | undefined;
  /** Characters written to the parser, and the text from `keptStart` on that a break may need again. */
  private written = 0;
  private kept = '';
  private keptStart = 0;
  private readonly lineOffset: number;
  private readonly columnOffset: number;
  private readonly recover: boolean;
  /** Elements open below `MAX_DEPTH`, not built; and the line where the open record first went too deep. */
  private tooDeep = 0;
  private tooDeepLine = 0;

  constructor(
    private readonly handlers: XmlRecordHandlers,
    opts: XmlReaderOptions = {},
  ) {
    this.lineOffset = opts.lineOffset ?? 0;
    this.columnOffset = opts.columnOffset ?? 0;
    this.recover = opts.recover ?? true;
    this.recordCount = (opts.firstIndex ?? 1) - 1;
    const p = this.parser;
    p.on('opentag', (tag: SaxesTagPlain) => {
      if (this.failure) return;
      if (this.tooDeep || this.stack.length >= MAX_DEPTH) {
        if (!this.tooDeep && this.recordDepth >= 0) this.tooDeepLine = p.line + this.lineOffset;
        this.tooDeep++;
        return;
      }
      const node: XmlNode = {
        name: localName(tag.name),
        attrs: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [localName(k), String(v)])),
        children: [],
        text: '',
        textLength: 0,
        line: p.line + this.lineOffset,
      };
      if (this.recordDepth >= 0 && handlers.records.has(node.name)) {
        // Records do not nest: the open one lost its end tag. Failing here, not at
        // the mismatched close tag much later, keeps the records after it apart.
        this.fail(`no </${this.openRecord!.name}> before the next <${node.name}>`);
        return;
      }
      if (this.recordDepth < 0 && handlers.records.has(node.name)) {
        this.recordDepth = this.stack.length;
        this.openRecord = { name: node.name, index: ++this.recordCount, line: node.line, pos: p.position, rawLine: p.line };
      }
      this.stack.push(node);
    });
    const onText = (text: string) => {
      if (this.failure || this.tooDeep) return;
      const top = this.stack[this.stack.length - 1];
      if (!top) return;
      top.textLength += text.length;
      if (top.text.length < MAX_TEXT) top.text += text.length > MAX_TEXT - top.text.length ? text.slice(0, MAX_TEXT - top.text.length) : text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', () => {
      if (this.failure) return;
      if (this.tooDeep) {
        this.tooDeep--;
        return;
      }
      const node = this.stack.pop();
      if (!node) return;
      const depth = this.stack.length;
      if (depth === this.recordDepth) {
        const rec = this.openRecord!;
        this.recordDepth = -1;
        this.openRecord = undefined;
        if (this.tooDeepLine) {
          const line = this.tooDeepLine;
          this.tooDeepLine = 0;
          handlers.onBreak({ kind: 'rejected', line, message: `its elements nest more than ${MAX_DEPTH} deep (line ${line})`, record: rec });
        } else handlers.onRecord(node);
      } else if (this.recordDepth >= 0 && depth > this.recordDepth) {
        this.stack[depth - 1].children.push(node);
      } else {
        handlers.onOther?.(node, depth);
        // Keep the few elements near the root (OpenSearch totals, OAI tokens) for
        // their parents too; deeper ones outside records are not metadata we read.
        if (depth > 0 && depth <= 2) this.stack[depth - 1].children.push(node);
      }
    });
    p.on('error', (err: Error) => this.fail(err.message.replace(/^\d+:\d+:\s*/, '').replace(/\.$/, '')));
  }

  /** Notes the first well-formedness error, at the parser's current position. */
  private fail(message: string): void {
    if (this.failure) return;
    const p = this.parser;
    const rec = this.openRecord;
    const column = p.column + (p.line === 1 ? this.columnOffset : 0);
    // Re-read from just after the broken record's start tag when its text is
    // still kept: the error may show only in a later record (an unclosed quote
    // runs on), which must not be lost with it.
    const fromRecord = !!rec && rec.pos >= this.keptStart && this.kept.length > 0;
    this.failure = {
      b: {
        kind: rec ? 'skipped' : 'outside',
        line: p.line + this.lineOffset,
        column,
        message,
        record: rec && { name: rec.name, index: rec.index, line: rec.line, pos: rec.pos },
      },
      pos: fromRecord ? rec.pos : p.position,
      rawLine: fromRecord ? rec.rawLine : p.line,
    };
  }

  write(chunk: string): void {
    if (this.recovery) return this.recovery.write(chunk);
    if (this.failure) return;
    this.feed(this.carry + chunk, false);
  }

  close(): void {
    if (this.recovery) return this.recovery.close();
    if (this.failure) return;
    this.feed(this.carry, true);
    if (this.recovery) return (this.recovery as XmlRecovery).close();
    if (this.failure) return;
    this.parser.close();
    // An error only at the end: the input stops inside an element, or an
    // unclosed quote or comment ran on to the end. Re-reading the kept text
    // after the record's start tells the two apart: records found there mean
    // the break was in the middle.
    const f = this.failure as XmlRecordReader['failure'];
    if (!f) return;
    if (!this.recover || !f.b.record || f.pos !== f.b.record.pos) return this.report({ ...f.b, kind: 'cut-off' });
    const text = this.kept.slice(Math.max(0, f.pos - this.keptStart));
    this.kept = '';
    const found = this.recoverFrom(text, f.rawLine, () => this.report({ ...f.b, kind: 'skipped' }));
    if (!found) this.report({ ...f.b, kind: 'cut-off' });
  }

  /**
   * Hands `text` to the parser, all of it when `final`, else all but a short
   * tail kept for the next chunk (so a reference or `<!--` cut by the chunk
   * boundary is judged whole). A bare `&` is caught here: saxes would read
   * everything up to the next `;` as one entity name, swallowing the records
   * after it.
   */
  private feed(text: string, final: boolean): void {
    const limit = final ? text.length : Math.max(0, text.length - HOLD_BACK);
    const bad = this.amp.scan(text, limit);
    const now = bad >= 0 ? text.slice(0, bad) : text.slice(0, limit);
    this.carry = bad >= 0 ? '' : text.slice(limit);
    if (this.recover) {
      if (!this.kept) this.keptStart = this.written;
      this.kept += now;
    }
    if (now) this.parser.write(now);
    this.written += now.length;
    if (!this.failure && bad >= 0) this.fail('a bare "&" (write &amp; for the character, or &name; / &#nn; for a reference)');
    if (this.failure as XmlRecordReader['failure']) return this.startRecovery(bad >= 0 ? text.slice(bad) : this.carry);
    if (!this.recover) return;
    const rec = this.openRecord;
    if (rec && rec.pos >= this.keptStart && this.kept.length - (rec.pos - this.keptStart) <= MAX_KEPT_RECORD) {
      this.kept = this.kept.slice(rec.pos - this.keptStart);
      this.keptStart = rec.pos;
    } else this.kept = '';
  }

  private report(b: XmlBreak): void {
    this.handlers.onBreak(b);
  }

  /** After an error in the middle: report it and read the rest piece by piece. */
  private startRecovery(unwritten: string): void {
    const f = this.failure!;
    this.report(f.b);
    if (!this.recover) return;
    const text = this.kept.slice(Math.max(0, f.pos - this.keptStart)) + unwritten;
    this.kept = '';
    this.carry = '';
    this.recoverFrom(text, f.rawLine);
  }

  /** Starts reading piece by piece at `text` (which begins on raw line `rawLine`); true when a piece was found in it. */
  private recoverFrom(text: string, rawLine: number, onFirstPiece?: () => void): boolean {
    let found = false;
    this.recovery = new XmlRecovery(this.handlers, {
      line: rawLine + this.lineOffset,
      nextIndex: () => ++this.recordCount,
      onBreak: (b) => this.report(b),
      onPiece: () => {
        if (!found) onFirstPiece?.();
        found = true;
      },
    });
    this.recovery.write(text);
    if (onFirstPiece) this.recovery.close();
    return found;
  }
}

/** The problem for malformed or truncated XML: where it broke, which record was lost, and what was read anyway. */
export function xmlBreakProblem(name: string, b: XmlBreak, recordName: string): Problem {
  const where = `line ${b.line}${b.column !== undefined ? `, column ${b.column}` : ''}`;
  const rec = b.record;
  if (b.kind === 'skipped' && rec) {
    return {
      locator: `${name}:${rec.line}`,
      severity: 'error',
      message: `<${rec.name}> ${rec.index} (line ${rec.line}) is malformed XML at ${where}: ${b.message}; it was skipped, and the records after it were read`,
    };
  }
  if (b.kind === 'rejected' && rec) {
    return {
      locator: `${name}:${rec.line}`,
      severity: 'error',
      message: `<${rec.name}> ${rec.index} (line ${rec.line}) was skipped: ${b.message}, far more than any metadata needs; the records after it were read`,
    };
  }
  if (b.kind === 'outside') {
    return {
      locator: `${name}:${b.line}`,
      severity: 'error',
      message: `malformed XML at ${where}: ${b.message}; reading went on at the next <${recordName}>`,
    };
  }
  const lost = rec ? `: <${rec.name}> ${rec.index}, the record starting at line ${rec.line} was cut off` : '';
  return {
    locator: `${name}:${b.line}`,
    severity: 'error',
    message: `malformed XML at ${where}: ${b.message}; the file ends early (truncated?)${lost}, and everything before it was read`,
  };
}
