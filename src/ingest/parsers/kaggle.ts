/**
 * The Kaggle/Cornell arXiv metadata snapshot (`arxiv-metadata-oai-snapshot.json`):
 * JSON Lines, one paper a line, fields as arXiv's OAI `arXivRaw` format has them.
 * Some mirrors re-save it as one JSON array of the same objects; that form is
 * read item by item with the same field mapping.
 */
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, PaperVersion, ParseResult } from '../../paper/types.ts';
import { dropUndefined, isObj, pickStr, type Obj } from '../fields.ts';
import { cleanName, latexAccents, splitAuthorString, str, toDay } from '../text.ts';
import type { LineParser, ParseContext } from '../types.ts';
import { jsonLineObject, looksLikeJsonArray, parseJsonArray, parseLines } from './jsonl.ts';

function versionsOf(v: unknown): PaperVersion[] {
  if (!Array.isArray(v)) return [];
  const out: PaperVersion[] = [];
  for (const item of v) {
    if (!isObj(item)) continue;
    const n = Number(String(item.version ?? '').replace(/^v/i, ''));
    if (!Number.isInteger(n) || n < 1) continue;
    const date = toDay(item.created);
    out.push(date ? { version: n, date } : { version: n });
  }
  return out.sort((a, b) => a.version - b.version);
}

/** `[["Balázs","C.",""],…]` → `C. Balázs`: the snapshot's pre-split names, better than re-splitting the string. */
function parsedAuthors(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const names: string[] = [];
  for (const a of v) {
    if (!Array.isArray(a)) return undefined;
    const [last, first, suffix] = a.map((x) => (typeof x === 'string' ? x : ''));
    const name = cleanName([first, last, suffix].filter(Boolean).join(' '));
    if (name) names.push(name);
  }
  return names.length ? names : undefined;
}

export function kaggleObjectToRecord(o: Obj, locator: string, seenAt: string): PaperRecord {
  const id = str(o.id);
  const ref = parseArxivId(id);
  const versions = versionsOf(o.versions);
  const last = versions[versions.length - 1];
  const split = typeof o.authors === 'string' ? splitAuthorString(o.authors) : undefined;
  const authors = parsedAuthors(o.authors_parsed) ?? split?.names;
  const categories = (str(o.categories) ?? '').split(/\s+/).filter(Boolean);
  const rec: PaperRecord = {
    source: { kind: 'arxiv-snapshot', locator, seenAt },
    arxivId: ref?.id ?? id,
    arxivVersion: last?.version,
    versions: versions.length ? versions : undefined,
    doi: str(o.doi)?.split(/\s+/)[0],
    title: latexAccents(str(o.title) ?? '') || undefined,
    abstract: latexAccents(str(o.abstract) ?? '') || undefined,
    authors: authors?.length ? authors : undefined,
    authorsComplete: split?.etAl ? false : undefined,
    categories: categories.length ? categories : undefined,
    published: versions[0]?.date,
    updated: last?.date ?? toDay(o.update_date),
    comment: pickStr(o, 'comments'),
    journalRef: pickStr(o, 'journal-ref'),
    license: pickStr(o, 'license'),
    links: ref ? { abs: `https://arxiv.org/abs/${ref.id}`, pdf: `https://arxiv.org/pdf/${ref.id}` } : undefined,
    signals: str(o.submitter) ? { submitter: cleanName(str(o.submitter)!) } : undefined,
  };
  return dropUndefined(rec);
}

/** One snapshot line → a record (blank lines give nothing; broken lines a problem). */
export const parseKaggleLine: LineParser = (line, lineNo, ctx) => {
  const { value, problem } = jsonLineObject(line, lineNo, ctx);
  if (!value) return { problems: problem ? [problem] : [] };
  return { record: kaggleObjectToRecord(value, `${ctx.name}:${lineNo}`, ctx.seenAt), problems: [] };
};

export function parseKaggle(text: string, ctx: ParseContext): ParseResult {
  if (looksLikeJsonArray(text)) {
    return parseJsonArray(text.replace(/^\uFEFF/, ''), ctx, (o, locator) => ({ record: kaggleObjectToRecord(o, locator, ctx.seenAt), problems: [] }));
  }
  return parseLines(text, ctx, parseKaggleLine);
}
