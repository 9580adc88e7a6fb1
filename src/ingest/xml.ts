/**
 * Streaming XML into small per-record trees. The arXiv API and OAI-PMH
 * formats are "a list of records": each record element (`entry`, `record`)
 * is built as a tiny tree, handed over when it closes and then forgotten, so
 * memory stays bounded by one record however long the file. Parsing is strict
 * (saxes): at the first well-formedness error the reader stops, reports the
 * line and column, and everything before that point has already been emitted.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

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
}

export interface XmlBreak {
  line: number;
  column: number;
  message: string;
  /** Line where the record cut off by the break started, if one was open. */
  openRecordLine?: number;
}

/**
 * Incremental reader: `write` chunks of text, then `close`. After the first
 * error it ignores the rest of the input and `broken` says where and why.
 */
export class XmlRecordReader {
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: XmlNode[] = [];
  /** Depth at which the open record starts, or -1. */
  private recordDepth = -1;
  broken: XmlBreak | undefined;
  sawRoot = false;

  constructor(private readonly handlers: XmlRecordHandlers) {
    const p = this.parser;
    p.on('opentag', (tag: SaxesTagPlain) => {
      if (this.broken) return;
      this.sawRoot = true;
      const node: XmlNode = {
        name: localName(tag.name),
        attrs: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [localName(k), String(v)])),
        children: [],
        text: '',
        textLength: 0,
        line: p.line,
      };
      if (this.recordDepth < 0 && handlers.records.has(node.name)) this.recordDepth = this.stack.length;
      this.stack.push(node);
    });
    const onText = (text: string) => {
      if (this.broken) return;
      const top = this.stack[this.stack.length - 1];
      if (!top) return;
      top.textLength += text.length;
      if (top.text.length < MAX_TEXT) top.text += text.length > MAX_TEXT - top.text.length ? text.slice(0, MAX_TEXT - top.text.length) : text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', () => {
      if (this.broken) return;
      const node = this.stack.pop();
      if (!node) return;
      const depth = this.stack.length;
      if (depth === this.recordDepth) {
        this.recordDepth = -1;
        handlers.onRecord(node);
      } else if (this.recordDepth >= 0 && depth > this.recordDepth) {
        this.stack[depth - 1].children.push(node);
      } else {
        handlers.onOther?.(node, depth);
        // Keep the few elements near the root (OpenSearch totals, OAI tokens) for
        // their parents too; deeper ones outside records are not metadata we read.
        if (depth > 0 && depth <= 2) this.stack[depth - 1].children.push(node);
      }
    });
    p.on('error', (err: Error) => {
      if (this.broken) return;
      this.broken = {
        line: p.line,
        column: p.column,
        message: err.message.replace(/^\d+:\d+:\s*/, ''),
        openRecordLine: this.recordDepth >= 0 ? this.stack[this.recordDepth]?.line : undefined,
      };
    });
  }

  write(chunk: string): void {
    if (!this.broken) this.parser.write(chunk);
  }

  close(): void {
    if (this.broken) return;
    this.parser.close();
  }
}
