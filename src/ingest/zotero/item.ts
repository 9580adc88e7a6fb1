/**
 * One Zotero item → a paper record. Both readers (the local `zotero.sqlite`
 * and the Web API) produce items in the Web API's `data` shape — `itemType`,
 * field names as Zotero spells them (`title`, `abstractNote`, `DOI`, `date`,
 * `publicationTitle`, `archiveID`, `extra`, …) and `creators` as
 * `{creatorType, firstName, lastName}` or `{creatorType, name}` — so the
 * mapping is written once. Pure.
 *
 * Where the ids hide: a preprint's `archiveID` (`arXiv:2305.01234`), the URL
 * (`arxiv.org/abs/…`), the arXiv DOI (`10.48550/arXiv.…`), the "Extra" field
 * (`arXiv: 2305.01234`, `DOI: 10.…`, one per line, as Zotero's translators and
 * Better BibTeX write them), a preprint's `number`, or a `publicationTitle`
 * such as "arXiv preprint arXiv:2305.01234".
 */
import { normaliseDoi, parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, Problem, SourceRef } from '../../paper/types.ts';
import { dropUndefined } from '../fields.ts';
import { cleanName, toDay } from '../text.ts';

export interface ZoteroCreator {
  creatorType: string;
  firstName?: string;
  lastName?: string;
  /** Single-field name (an institution, or a name Zotero keeps in one piece). */
  name?: string;
}

/** An item's fields as the Web API's `data` object has them (only what the mapping reads is typed). */
export interface ZoteroItemData {
  key: string;
  itemType: string;
  creators?: ZoteroCreator[];
  /** Keys of the collections holding the item. */
  collections?: string[];
  /** 1/true when the item is in the trash. */
  deleted?: number | boolean;
  [field: string]: unknown;
}

/** Item types that are not papers: they are never followed. */
export const NON_PAPER_TYPES = new Set(['note', 'attachment', 'annotation']);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function extraLines(extra: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (extra ?? '').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][A-Za-z ._-]*?)\s*:\s*(.+?)\s*$/.exec(line);
    if (m && !out.has(m[1].toLowerCase())) out.set(m[1].toLowerCase(), m[2]);
  }
  return out;
}

function arxivOf(d: ZoteroItemData, extra: Map<string, string>): ReturnType<typeof parseArxivId> {
  const candidates = [
    text(d.archiveID),
    text(d.url),
    text(d.DOI),
    extra.get('arxiv'),
    extra.get('arxiv id'),
    text(d.itemType === 'preprint' || d.itemType === 'report' ? d.number : undefined),
    text(d.publicationTitle)?.replace(/^arxiv preprint\s+/i, ''),
    text(d.journalAbbreviation),
  ];
  for (const c of candidates) {
    if (!c) continue;
    // `arXiv:2305.01234 [cs.LG]` in Extra: the category is not part of the id.
    const ref = parseArxivId(c.replace(/\s*\[[^\]]*\]\s*$/, ''));
    if (ref && (/arxiv/i.test(c) || c === d.archiveID || /^\d{4}\.\d{4,5}(v\d+)?$/.test(c))) return ref;
  }
  return undefined;
}

function authorsOf(creators: ZoteroCreator[] | undefined): string[] {
  const named = (creators ?? []).map((c) => ({ type: c.creatorType, name: cleanName(text(c.name) ?? [text(c.firstName), text(c.lastName)].filter(Boolean).join(' ')) }));
  const authors = named.filter((c) => c.type === 'author' && c.name);
  // An edited volume or a thesis may name no "author": its first creators stand in.
  return (authors.length ? authors : named.filter((c) => c.name)).map((c) => c.name);
}

export function zoteroItemToRecord(d: ZoteroItemData, source: SourceRef): { record?: PaperRecord; problems: Problem[] } {
  if (NON_PAPER_TYPES.has(d.itemType)) return { problems: [] };
  const extra = extraLines(text(d.extra));
  const arxiv = arxivOf(d, extra);
  const doi = normaliseDoi(text(d.DOI) ?? extra.get('doi'));
  const title = text(d.title);
  const abstract = text(d.abstractNote);
  if (!arxiv && !doi && !title && !abstract) {
    return { problems: [{ locator: source.locator, severity: 'error', message: `Zotero item ${d.key} (${d.itemType}) has no title, abstract, DOI or arXiv id` }] };
  }
  const authors = authorsOf(d.creators);
  const date = text(d.date);
  const day = toDay(date);
  const year = /\b(1[5-9]\d\d|2\d\d\d)\b/.exec(date ?? '')?.[1];
  const venue = text(d.publicationTitle) ?? text(d.proceedingsTitle) ?? text(d.conferenceName) ?? text(d.bookTitle);
  const url = text(d.url);
  const record: PaperRecord = dropUndefined({
    arxivId: arxiv?.id,
    arxivVersion: arxiv?.version,
    // The arXiv DOI names the preprint the arXiv id already names.
    doi: doi && !doi.startsWith('10.48550/') ? doi : undefined,
    title,
    abstract,
    authors: authors.length ? authors : undefined,
    published: day,
    year: year ? Number(year) : undefined,
    venue: venue && !/^arxiv\b/i.test(venue) ? venue : undefined,
    links: url && /^https?:\/\//.test(url) ? { abs: url } : undefined,
    source,
  });
  return { record, problems: [] };
}
