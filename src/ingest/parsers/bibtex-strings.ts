/**
 * `@string` macros, expanded here with a budget rather than by the parser
 * library, which concatenates without limit: eight definitions of ten
 * references each make a gigabyte out of a few hundred bytes. A definition
 * that would grow past `MAX_STRING_CHARS` is refused, and so is an entry
 * whose references would together pass `MAX_ENTRY_EXPANSION`.
 */

/** Longer than any journal name or abbreviation a @string holds. */
export const MAX_STRING_CHARS = 10_000;
/** What the macros of one entry may add to it, all references together. */
export const MAX_ENTRY_EXPANSION = 100_000;

export class BibStrings {
  private readonly values = new Map<string, string>();
  /** Names whose definition was refused: an entry using one is skipped. */
  private readonly refused = new Set<string>();

  /**
   * Reads `@string{name = part # part …}`; parts are "quoted", {braced},
   * numbers or earlier names. Returns why it was refused, or undefined.
   */
  define(chunk: string): { name?: string; error?: string } {
    const m = /^@\s*string\s*[{(]\s*([^\s=#{}()",]+)\s*=\s*/i.exec(chunk);
    if (!m) return { error: 'it is not of the form @string{name = value}' };
    const name = m[1];
    const parts: string[] = [];
    let length = 0;
    let i = m[0].length;
    const body = chunk.replace(/\s*[})]\s*$/, '');
    while (i < body.length) {
      const c = body[i];
      let part: string;
      if (c === '"' || c === '{') {
        const end = closing(body, i);
        if (end < 0) return { name, error: `its value is not closed` };
        part = body.slice(i + 1, end);
        i = end + 1;
      } else {
        const word = /[^\s#{}"]+/y;
        word.lastIndex = i;
        const w = word.exec(body)?.[0];
        if (!w) return { name, error: `unexpected "${c}" in its value` };
        i += w.length;
        const upper = w.toUpperCase();
        if (this.refused.has(upper)) {
          this.refused.add(name.toUpperCase());
          return { name, error: `it uses @string ${w}, which was refused` };
        }
        part = /^\d+$/.test(w) ? w : (this.values.get(upper) ?? w);
      }
      length += part.length;
      if (length > MAX_STRING_CHARS) {
        this.refused.add(name.toUpperCase());
        return { name, error: `it would expand to more than ${MAX_STRING_CHARS.toLocaleString('en')} characters` };
      }
      parts.push(part);
      const sep = /\s*(?:#\s*)?/y;
      sep.lastIndex = i;
      i += sep.exec(body)![0].length;
    }
    this.values.set(name.toUpperCase(), parts.join(''));
    this.refused.delete(name.toUpperCase());
    return { name };
  }

  /**
   * The macros an entry refers to (a name after `=` or `#`), to hand to the
   * parser with it; or why the entry is skipped.
   */
  forEntry(chunk: string): { strings: Record<string, string>; error?: string } {
    const strings: Record<string, string> = {};
    let expansion = 0;
    for (const m of chunk.matchAll(/[=#]\s*([A-Za-z_][^\s#{}"(),=]*)/g)) {
      const upper = m[1].toUpperCase();
      if (this.refused.has(upper)) return { strings, error: `it uses @string ${m[1]}, which was refused` };
      const v = this.values.get(upper);
      if (v === undefined) continue;
      expansion += v.length;
      if (expansion > MAX_ENTRY_EXPANSION) return { strings, error: `its @string references would expand to more than ${MAX_ENTRY_EXPANSION.toLocaleString('en')} characters` };
      strings[upper] = v;
    }
    return { strings };
  }
}

/** Index of the `"` or `}` closing the value opened at `start`, braces balanced; -1 if none. */
function closing(s: string, start: number): number {
  const quote = s[start] === '"';
  let depth = quote ? 0 : 1;
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (!quote && depth === 0) return i;
    } else if (c === '"' && quote && depth === 0) return i;
  }
  return -1;
}
