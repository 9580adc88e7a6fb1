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
import { splitBibtex } from './bibtex-split.ts';
import { BibStrings } from './bibtex-strings.ts';

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

const ARXIV_MENTION = /arxiv[:./\s]*(?:abs\/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)/i;

/** Google Scholar's `journal={arXiv preprint arXiv:2510.05069}` names the preprint, not a venue. */
const ARXIV_ONLY = /^\s*(?:arxiv\s+preprint\s+)?(?:arxiv\s*:?\s*)?(?:abs\/)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?:\s*\[[^\]]*\])?\s*$/i;

function venueOf(v: string | undefined): string | undefined {
  return v && !ARXIV_ONLY.test(v) && !/^arxiv(?:\s+preprint)?$/i.test(v.trim()) ? v : undefined;
}

/**
 * Mendeley puts LaTeX in citation keys (`M{\"{u}}ller2021`), which the parser
 * cannot read, losing the whole entry; the key only has to be unique, so the
 * markup is dropped from it.
 */
function plainKey(entry: string): string {
  return entry.replace(/^(@[A-Za-z]+\s*\{\s*)([^,\s]*[{}\\][^,\n]*?)(\s*,)/, (_m, start: string, key: string, comma: string) => {
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

const OPTIONS = { english: false, sentenceCase: false, caseProtection: false, unsupported: 'ignore' } as const;

/**
 * Entries are cut apart first (`splitBibtex`, one linear pass) and parsed one
 * at a time, so a broken entry costs its own length and no more, and is
 * reported with its neighbours read. A generator, so a caller reading a large
 * file can let other work run between entries.
 */
export function* bibtexEntries(text: string, ctx: ParseContext): Generator<{ record?: PaperRecord; problems: Problem[] }> {
  const strings = new BibStrings();
  const problem = (line: number, message: string, severity: Problem['severity'] = 'error'): Problem => ({ locator: `${ctx.name}:${line}`, severity, message });
  for (const chunk of splitBibtex(text.replace(/^\uFEFF/, ''))) {
    const what = chunk.key ? `BibTeX entry ${chunk.key}` : `BibTeX @${chunk.type}`;
    if (chunk.broken) {
      yield { problems: [problem(chunk.line, `${what} is broken and was skipped: ${chunk.broken}`)] };
      continue;
    }
    if (chunk.type === 'comment' || chunk.type === 'preamble') continue;
    if (chunk.type === 'string') {
      const r = strings.define(chunk.text);
      if (r.error) yield { problems: [problem(chunk.line, `@string${r.name ? ` ${r.name}` : ''} was ignored: ${r.error}`)] };
      continue;
    }
    const refs = strings.forEntry(chunk.text);
    if (refs.error) {
      yield { problems: [problem(chunk.line, `${what} was skipped: ${refs.error}`)] };
      continue;
    }
    const input = plainKey(chunk.text).replaceAll('<', LT).replaceAll('>', GT);
    let lib;
    try {
      lib = parse(input, { ...OPTIONS, strings: refs.strings });
    } catch (err) {
      yield { problems: [problem(chunk.line, `${what} is broken and was skipped: ${(err as Error).message}`)] };
      continue;
    }
    const errors = lib.errors.map((e) => plain(e.error).replace(/ at line \d+, column \d+/, ''));
    const fatal = errors.filter((e) => !/^Unresolved @string reference/.test(e));
    const warnings = errors.filter((x) => !fatal.includes(x)).map((e) => problem(chunk.line, `${what}: ${e}; it was read as the name itself`, 'warning'));
    const entries = lib.entries.filter((e) => Object.keys(e.fields).length > 0);
    if (fatal.length || entries.length === 0) {
      yield { problems: [...warnings, problem(chunk.line, `${what} is broken and was skipped: ${fatal[0] ?? 'it has no fields'}`)] };
      continue;
    }
    for (const [i, entry] of entries.entries()) yield { record: entryToRecord(entry, `${ctx.name}:${chunk.line}`, ctx.seenAt), problems: i === 0 ? warnings : [] };
  }
}

export function parseBibtex(text: string, ctx: ParseContext): ParseResult {
  const out: ParseResult = { records: [], problems: [] };
  for (const r of bibtexEntries(text, ctx)) {
    if (r.record) out.records.push(r.record);
    out.problems.push(...r.problems);
  }
  return out;
}
