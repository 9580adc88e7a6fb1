/**
 * Generic JSON Lines (and plain JSON arrays) with common field names; see
 * `commonFieldsRecord` for the names. `../shared/data/arxiv-daily` is this shape.
 */
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';
import { commonFieldsRecord, isObj, type Obj } from '../fields.ts';
import { findItemsKey, jsonArrayItems } from '../json-items.ts';
import type { LineParser, ParseContext } from '../types.ts';

/** Parses one line as a JSON object; blank lines give neither value nor problem. */
export function jsonLineObject(line: string, lineNo: number, ctx: ParseContext): { value?: Obj; problem?: Problem } {
  const t = line.trim();
  if (!t) return {};
  const locator = `${ctx.name}:${lineNo}`;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch (err) {
    const cut = !/[}\]]$/.test(t) ? ' (the line ends early: truncated file?)' : '';
    return { problem: { locator, severity: 'error', message: `line ${lineNo} is not valid JSON${cut}: ${(err as Error).message}` } };
  }
  if (!isObj(value)) {
    return { problem: { locator, severity: 'error', message: `line ${lineNo} is JSON but not an object (${Array.isArray(value) ? 'an array' : typeof value})` } };
  }
  return { value };
}

export const parseJsonlLine: LineParser = (line, lineNo, ctx) => {
  const { value, problem } = jsonLineObject(line, lineNo, ctx);
  if (!value) return { problems: problem ? [problem] : [] };
  return { record: commonFieldsRecord(value, { kind: 'jsonl', locator: `${ctx.name}:${lineNo}`, seenAt: ctx.seenAt }), problems: [] };
};

/** Runs a line parser over a whole text (for small inputs and tests; `readInput` streams instead). */
export function parseLines(text: string, ctx: ParseContext, parseLine: LineParser): ParseResult {
  const out: ParseResult = { records: [], problems: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    const r = parseLine(line, i + 1, ctx);
    if (r.record) out.records.push(r.record);
    out.problems.push(...r.problems);
  });
  return out;
}

/** JSON Lines files sometimes arrive as one JSON array instead (an export, a snapshot saved as an array). */
export function looksLikeJsonArray(text: string): boolean {
  return /^\uFEFF?\s*\[/.test(text);
}

export function parseJsonl(text: string, ctx: ParseContext): ParseResult {
  // A `.jsonl` file that is really one JSON array: read it as one.
  if (looksLikeJsonArray(text)) return parseJsonArray(text.replace(/^\uFEFF/, ''), ctx);
  return parseLines(text, ctx, parseJsonlLine);
}

/** A JSON array of objects with common field names. */
export function parseJsonArray(text: string, ctx: ParseContext, toRecord = commonRecordOf, start = 0): ParseResult {
  const out: ParseResult = { records: [], problems: [] };
  for (const item of jsonArrayItems(text, start)) {
    const locator = `${ctx.name}#${item.index + 1}`;
    if ('error' in item) {
      out.problems.push({ locator, severity: 'error', message: `item ${item.index + 1} (line ${item.line}): ${item.error}` });
      continue;
    }
    if (!isObj(item.value)) {
      out.problems.push({ locator, severity: 'error', message: `item ${item.index + 1} (line ${item.line}) is not an object` });
      continue;
    }
    const r = toRecord(item.value, locator, ctx);
    if (r.record) out.records.push(r.record);
    out.problems.push(...r.problems);
  }
  return out;
}

function commonRecordOf(o: Obj, locator: string, ctx: ParseContext): { record?: PaperRecord; problems: Problem[] } {
  return { record: commonFieldsRecord(o, { kind: 'jsonl', locator, seenAt: ctx.seenAt }), problems: [] };
}

/**
 * A JSON document of papers with common field names: an array, an object
 * holding the array (`items`, `papers`, `data`, `records`, `results`), or a
 * single paper object.
 */
export function parseJson(text: string, ctx: ParseContext): ParseResult {
  const body = text.replace(/^\uFEFF/, '');
  const at = findItemsKey(body, ['items', 'papers', 'data', 'records', 'results', 'entries']);
  if (at) return parseJsonArray(body, ctx, commonRecordOf, at.start);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { records: [], problems: [{ locator: ctx.name, severity: 'error', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (!isObj(value)) return { records: [], problems: [{ locator: ctx.name, severity: 'error', message: 'expected a JSON object or array of papers' }] };
  const r = commonRecordOf(value, `${ctx.name}#1`, ctx);
  return { records: r.record ? [r.record] : [], problems: r.problems };
}
