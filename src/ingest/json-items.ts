/**
 * Reads the items of a JSON array one by one, so one broken item, or a file
 * cut off half-way, costs only that item: the ones before it still land.
 * (`JSON.parse` on the whole text would lose every item for one bad byte.)
 */

export type JsonItem =
  | { index: number; line: number; value: unknown }
  | { index: number; line: number; error: string };

function lineCounter(text: string) {
  let pos = 0;
  let line = 1;
  return (to: number) => {
    for (; pos < to; pos++) if (text.charCodeAt(pos) === 10) line++;
    return line;
  };
}

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

/** End (exclusive) of the JSON value starting at `i`, or -1 when the text ends first. */
function valueEnd(text: string, i: number): number {
  const first = text[i];
  if (first === '"') {
    for (let j = i + 1; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '"') return j + 1;
    }
    return -1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (c === '"') {
        for (j++; j < text.length; j++) {
          if (text[j] === '\\') j++;
          else if (text[j] === '"') break;
        }
        if (j >= text.length) return -1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && !/[,\]\s]/.test(text[j])) j++;
  return j;
}

/**
 * Items of the top-level array in `text` (which must start, after
 * whitespace, with `[`). Yields an error item for an item that does not parse
 * and stops at the first place where the array itself is broken.
 */
export function* jsonArrayItems(text: string, start = 0): Generator<JsonItem> {
  const lineAt = lineCounter(text);
  let i = skipWs(text, start);
  if (text[i] !== '[') {
    yield { index: 0, line: lineAt(i), error: 'expected a JSON array' };
    return;
  }
  i = skipWs(text, i + 1);
  if (text[i] === ']') return;
  for (let index = 0; ; index++) {
    i = skipWs(text, i);
    const line = lineAt(i);
    if (i >= text.length) {
      yield { index, line, error: 'the file ends inside the array (truncated?)' };
      return;
    }
    const end = valueEnd(text, i);
    if (end < 0) {
      yield { index, line, error: 'the file ends inside this item (truncated?)' };
      return;
    }
    try {
      yield { index, line, value: JSON.parse(text.slice(i, end)) };
    } catch (err) {
      yield { index, line, error: `not valid JSON: ${(err as Error).message}` };
    }
    i = skipWs(text, end);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') return;
    yield {
      index: index + 1,
      line: lineAt(i),
      error: i >= text.length ? 'the file ends inside the array (truncated?)' : `expected "," or "]" but found ${JSON.stringify(text.slice(i, i + 20))}`,
    };
    return;
  }
}

/** The array a JSON document holds its items in: the document itself, or a `key` of it. */
export function findItemsKey(text: string, keys: string[]): { start: number } | undefined {
  const head = text.slice(0, 200);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('[')) return { start: 0 };
  for (const key of keys) {
    const m = new RegExp(`"${key}"\\s*:\\s*\\[`).exec(text);
    if (m) return { start: m.index + m[0].length - 1 };
  }
  return undefined;
}
