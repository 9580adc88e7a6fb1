/**
 * CSL-JSON, as Zotero (and Mendeley, Paperpile) export it: an array of items
 * with `title`, `author` [{family, given} | {literal}], `issued` date-parts,
 * `DOI`, `URL`, `abstract`, `container-title`. arXiv preprints carry their id
 * in `number`, `URL`, `note` or the arXiv DOI.
 */
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';
import { authorList, dropUndefined, isObj, pickStr, type Obj } from '../fields.ts';
import { findItemsKey } from '../json-items.ts';
import { dayFromParts, str, toDay } from '../text.ts';
import type { ParseContext } from '../types.ts';
import { parseJsonArray } from './jsonl.ts';

const ARXIV_MENTION = /arxiv[:./\s]*(?:abs\/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)/i;

/** `issued`: `{"date-parts": [[2017, 6, 12]]}`, `{raw: "2017-06-12"}` or `{literal: …}`. */
function cslDate(v: unknown): { day?: string; year?: number } {
  if (!isObj(v)) return {};
  const parts = Array.isArray(v['date-parts']) && Array.isArray(v['date-parts'][0]) ? (v['date-parts'][0] as unknown[]) : undefined;
  if (parts) {
    const [y, m, d] = parts.map((x) => Number(x));
    const year = Number.isInteger(y) && y > 0 ? y : undefined;
    return { year, day: year && m && d ? dayFromParts(year, m, d) : undefined };
  }
  const raw = str(v.raw) ?? str(v.literal);
  const day = toDay(raw);
  const year = raw && /^\d{4}/.test(raw) ? Number(raw.slice(0, 4)) : undefined;
  return { day, year };
}

export function cslItemToRecord(item: Obj, locator: string, ctx: ParseContext): { record?: PaperRecord; problems: Problem[] } {
  const title = item.title;
  if (title !== undefined && typeof title !== 'string') {
    return { problems: [{ locator, field: 'title', severity: 'error', message: `title is ${Array.isArray(title) ? 'a list' : typeof title}, not text` }] };
  }
  if (item.author !== undefined && !Array.isArray(item.author)) {
    return { problems: [{ locator, field: 'author', severity: 'error', message: 'author is not a list of names' }] };
  }
  let arxivId: string | undefined;
  for (const field of ['number', 'URL', 'DOI', 'note', 'archive_location', 'id']) {
    const v = str(item[field]);
    if (!v) continue;
    const ref = parseArxivId(v) ?? parseArxivId(ARXIV_MENTION.exec(v)?.[1]);
    if (ref) {
      arxivId = ref.id;
      break;
    }
  }
  const authors = authorList(item.author);
  const issued = cslDate(item.issued);
  const url = pickStr(item, 'URL');
  const rec: PaperRecord = {
    source: { kind: 'csl-json', locator, seenAt: ctx.seenAt },
    arxivId,
    doi: pickStr(item, 'DOI'),
    title: str(title),
    abstract: pickStr(item, 'abstract'),
    authors: authors?.names.length ? authors.names : undefined,
    authorsComplete: authors?.etAl ? false : undefined,
    published: issued.day,
    year: issued.year,
    venue: pickStr(item, 'container-title', 'event-title', 'collection-title'),
    links: url && /^https?:\/\//.test(url) ? { abs: url } : undefined,
  };
  return { record: dropUndefined(rec), problems: [] };
}

export function parseCslJson(text: string, ctx: ParseContext): ParseResult {
  const at = findItemsKey(text.replace(/^\uFEFF/, ''), ['items']);
  if (!at) {
    return { records: [], problems: [{ locator: ctx.name, severity: 'error', message: 'expected a CSL-JSON array of items' }] };
  }
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return parseJsonArray(text, ctx, cslItemToRecord, at.start + offset);
}
