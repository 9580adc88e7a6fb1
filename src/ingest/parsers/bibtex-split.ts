/**
 * Cuts a BibTeX file into its entries in one pass, before any entry is
 * parsed. The parser library, given a whole file, rescans to the end of the
 * file for every entry whose quote or brace is never closed (quadratic: 20,000
 * such entries took a minute) and lets one unclosed brace swallow the entries
 * after it. Here an entry ends where its braces balance, or, when they never
 * do, at the next line that starts a new entry (`@article{…`): the broken one
 * is reported with what is wrong, and the next one is read as it is.
 */

export interface BibChunk {
  /** Lower-case entry type: `article`, `string`, `comment`… */
  type: string;
  /** The citation key as written (before the first comma), when there is one. */
  key?: string;
  /** Line (1-based) the entry starts on. */
  line: number;
  text: string;
  /** Why the entry cannot be read (it is not parsed). */
  broken?: string;
}

/** No paper's BibTeX entry is near this long; a longer one is reported, not parsed. */
export const MAX_ENTRY_CHARS = 1024 * 1024;

const ENTRY_START = /@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])/y;
const LINE_ENTRY_START = /[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]/y;

function startsEntryAt(text: string, at: number): RegExpExecArray | null {
  ENTRY_START.lastIndex = at;
  return ENTRY_START.exec(text);
}

function lineStartsEntry(text: string, at: number): boolean {
  LINE_ENTRY_START.lastIndex = at;
  return LINE_ENTRY_START.test(text);
}

/** What is left open at `end` of an entry that never closed. */
function openWhat(depth: number, inQuote: boolean, close: string): string {
  if (inQuote) return 'a "-quoted value is not closed';
  if (depth === 0) return `its closing "${close}" is missing`;
  return depth === 1 ? 'a brace is not closed' : `${depth} braces are not closed`;
}

export function splitBibtex(text: string): BibChunk[] {
  const chunks: BibChunk[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    const at = text.indexOf('@', pos);
    if (at < 0) break;
    for (let i = text.indexOf('\n', pos); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
    pos = at;
    const m = startsEntryAt(text, at);
    if (!m) {
      pos = at + 1;
      continue;
    }
    const type = m[1].toLowerCase();
    const close = m[2] === '{' ? '}' : ')';
    const startLine = line;
    // Braces opened so far, the entry's own `{` included.
    let depth = m[2] === '{' ? 1 : 0;
    const top = depth;
    let inQuote = false;
    let i = at + m[0].length;
    for (let k = at; k < i; k++) if (text.charCodeAt(k) === 10) line++;
    let end = -1;
    let cut = false;
    // `@comment{…}` holds free text: only its braces count.
    const freeText = type === 'comment' || type === 'preamble';
    for (; i < n; i++) {
      const c = text[i];
      if (c === '\n') {
        line++;
        if (lineStartsEntry(text, i + 1)) {
          cut = true;
          i++;
          break;
        }
      } else if (c === '\\') {
        if (text[i + 1] !== '\n') i++;
      } else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (close === '}' && depth === 0 && !inQuote) {
          end = i + 1;
          break;
        }
        if (depth < 0) depth = 0;
      } else if (c === ')' && close === ')' && depth === 0 && !inQuote) {
        end = i + 1;
        break;
      } else if (c === '"' && !freeText && depth === top) {
        // A quoted value ends at a `"` outside its own braces.
        inQuote = !inQuote;
      }
    }
    const chunkEnd = end >= 0 ? end : i;
    const body = text.slice(at, chunkEnd);
    const key = type === 'string' || type === 'comment' || type === 'preamble' ? undefined : /^[^,\s]+/.exec(text.slice(at + m[0].length, Math.min(chunkEnd, at + m[0].length + 500)).trimStart())?.[0];
    const chunk: BibChunk = { type, key, line: startLine, text: body };
    if (end < 0) {
      chunk.broken = cut
        ? `${openWhat(depth, inQuote, close)} before the next entry (line ${line}) starts, so it ends there`
        : `${openWhat(depth, inQuote, close)} when the file ends`;
    } else if (body.length > MAX_ENTRY_CHARS) {
      chunk.broken = `it is ${(body.length / 1e6).toFixed(1)} million characters long; an entry can be at most ${MAX_ENTRY_CHARS / (1024 * 1024)} MB`;
    }
    chunks.push(chunk);
    pos = chunkEnd;
  }
  return chunks;
}
