/**
 * BibTeX/BibLaTeX as Zotero, Mendeley, Google Scholar and arXiv export it,
 * read with @retorquere/bibtex-parser (the parser behind Better BibTeX): it
 * turns LaTeX into Unicode, splits names, and skips a broken entry without
 * losing the ones around it.
 */
import { parse, type Creator, type Entry } from '@retorquere/bibtex-parser';
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';
import { dropUndefined } from '../fields.ts';
import { dayFromParts, monthNumber, toDay } from '../text.ts';
import type { ParseContext } from '../types.ts';

// The parser renders `\emph{x}` as `<i>x</i>` and, following TeX's OT1 font
// encoding, a literal `<` as `¡`. We want plain text with a user's literal
// `<script>` kept verbatim, so literal angle brackets are swapped for
// private-use characters before parsing, the parser's own markup is removed
// after, and the brackets are put back.
const LT = '\uE000';
const GT = '\uE001';

function plain(value: string): string {
  return value
    .replace(/<[^<>]*>/g, '')
    .replaceAll(LT, '<')
    .replaceAll(GT, '>')
    .replace(/\s+/g, ' ')
    .replace(/ı(?=[\u0300-\u036f])/g, 'i') // {\'\i}: dotless i plus accent is just í
    .normalize('NFC')
    .trim();
}

function creatorName(c: Creator): string {
  if (c.name) return plain(c.name);
  return plain([c.firstName, c.prefix, c.lastName, c.suffix].filter(Boolean).join(' '));
}

/** Line numbers for increasing offsets, counted once over the text. */
function lineCounter(text: string) {
  let pos = 0;
  let line = 1;
  return (to: number) => {
    if (to < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < to; pos++) if (text.charCodeAt(pos) === 10) line++;
    return line;
  };
}

const ARXIV_MENTION = /arxiv[:./\s]*(?:abs\/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)/i;

/** Google Scholar's `journal={arXiv preprint arXiv:2510.05069}` names the preprint, not a venue. */
const ARXIV_ONLY = /^\s*(?:arxiv\s+preprint\s+)?(?:arxiv\s*:?\s*)?(?:abs\/)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?:\s*\[[^\]]*\])?\s*$/i;

function venueOf(v: string | undefined): string | undefined {
  return v && !ARXIV_ONLY.test(v) && !/^arxiv(?:\s+preprint)?$/i.test(v.trim()) ? v : undefined;
}

/**
 * Mendeley puts LaTeX in citation keys (`M{\"{u}}ller2021`), which the parser
 * cannot read, losing the whole entry; the key only has to be unique, so the
 * markup is dropped from it (on the same line, so line numbers hold).
 */
function plainKeys(input: string): string {
  return input.replace(/^(\s*@[A-Za-z]+\s*\{\s*)([^,\s]*[{}\\][^,\n]*?)(\s*,)/gm, (_m, start: string, key: string, comma: string) => {
    return start + key.replace(/[{}\\"'`^~]/g, '') + comma;
  });
}

function entryToRecord(entry: Entry, locator: string, seenAt: string): PaperRecord {
  const f = entry.fields as Record<string, unknown>;
  const text = (k: string) => (typeof f[k] === 'string' ? plain(f[k] as string) || undefined : undefined);
  const creators = Array.isArray(f.author) ? (f.author as Creator[]) : [];
  const etAl = creators.some((c) => /^others$/i.test(c.lastName ?? c.name ?? ''));
  const authors = creators.filter((c) => !/^others$/i.test(c.lastName ?? c.name ?? '')).map(creatorName).filter(Boolean);

  let arxivId: string | undefined;
  const archive = (text('archiveprefix') ?? text('eprinttype') ?? '').toLowerCase();
  const eprint = text('eprint');
  if (eprint && (archive === 'arxiv' || !archive)) arxivId = parseArxivId(eprint)?.id;
  // Mendeley writes the id as `arxivId` too (sometimes only there).
  for (const k of ['arxivid', 'url', 'doi', 'journal', 'note', 'howpublished', 'volume']) {
    if (arxivId) break;
    const v = text(k);
    if (v) arxivId = (parseArxivId(v) ?? parseArxivId(ARXIV_MENTION.exec(v)?.[1]))?.id;
  }

  const year = Number(text('year')?.match(/\d{4}/)?.[0]) || undefined;
  const month = text('month');
  const monthNo = month ? (/^\d{1,2}$/.test(month) ? Number(month) : monthNumber(month)) : undefined;
  const day = Number(text('day')) || undefined;
  const published = toDay(text('date')) ?? (year && monthNo && day ? dayFromParts(year, monthNo, day) : undefined);
  const primary = text('primaryclass');
  const url = text('url');
  const keywords = Array.isArray(f.keywords) ? (f.keywords as string[]).map(plain).filter(Boolean) : undefined;

  return dropUndefined({
    source: { kind: 'bibtex', locator, seenAt },
    arxivId,
    doi: text('doi'),
    title: text('title'),
    abstract: text('abstract'),
    authors: authors.length ? authors : undefined,
    authorsComplete: etAl ? false : undefined,
    categories: primary ? [primary] : undefined,
    published,
    year,
    venue: venueOf(text('journal') ?? text('booktitle') ?? text('journaltitle')),
    comment: text('note'),
    links: url && /^https?:\/\//.test(url) ? { abs: url } : undefined,
    signals: keywords?.length ? { keywords } : undefined,
  } satisfies PaperRecord);
}

export function parseBibtex(text: string, ctx: ParseContext): ParseResult {
  const input = plainKeys(text.replace(/^\uFEFF/, '')).replaceAll('<', LT).replaceAll('>', GT);
  const out: ParseResult = { records: [], problems: [] };
  let lib;
  try {
    lib = parse(input, { english: false, sentenceCase: false, caseProtection: false, unsupported: 'ignore' });
  } catch (err) {
    out.problems.push({ locator: ctx.name, severity: 'error', message: `BibTeX could not be read: ${(err as Error).message}` });
    return out;
  }
  // Entries do not carry positions: find each one's text to give a line number.
  let searchFrom = 0;
  const lineAt = lineCounter(input);
  const errorLineAt = lineCounter(input);
  const locate = (raw: string | undefined): string => {
    if (!raw) return ctx.name;
    const at = input.indexOf(raw.slice(0, 200), searchFrom);
    if (at < 0) return ctx.name;
    searchFrom = at + 1;
    return `${ctx.name}:${lineAt(at)}`;
  };
  const broken = new Set<string>();
  const errorProblems: Problem[] = [];
  for (const e of lib.errors) {
    const raw = e.input ?? '';
    const key = /^@\w+\s*[{(]\s*([^,\s]+)/.exec(raw)?.[1];
    if (key) broken.add(key);
    const at = raw ? input.indexOf(raw.slice(0, 200)) : -1;
    const locator = at >= 0 ? `${ctx.name}:${errorLineAt(at)}` : ctx.name;
    const message = plain(e.error).replace(/ at line \d+, column \d+/, '');
    errorProblems.push({ locator, severity: 'error', message: `BibTeX entry${key ? ` ${key}` : ''} is broken and was skipped: ${message}` });
  }
  for (const entry of lib.entries) {
    // What is left of a broken entry (its key, maybe cut short, and no fields) was reported above.
    if (Object.keys(entry.fields).length === 0 && [...broken].some((k) => k.startsWith(entry.key))) continue;
    const locator = locate(entry.input);
    out.records.push(entryToRecord(entry, locator === ctx.name ? `${ctx.name}#${entry.key}` : locator, ctx.seenAt));
  }
  out.problems.push(...errorProblems);
  return out;
}

