/**
 * Reading paper fields from JSON objects whose field names vary by exporter:
 * the "common field names" the generic JSON Lines importer accepts, and the
 * author shapes seen in the wild.
 */
import { normaliseDoi, parseArxivId } from '../paper/ids.ts';
import type { PaperLinks, PaperRecord, PaperSignals, SourceKind } from '../paper/types.ts';
import { cleanName, splitAuthorString, str, toCount, toDay } from './text.ts';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First present, non-empty value among `keys`. */
export function pick(o: Obj, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

export function pickStr(o: Obj, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const s = str(o[k]);
    if (s) return s;
  }
  return undefined;
}

/** One author from a string or an object in any common shape. */
export function authorName(a: unknown): string | undefined {
  if (typeof a === 'string') return cleanName(a) || undefined;
  if (!isObj(a)) return undefined;
  const full = pickStr(a, 'name', 'fullname', 'fullName', 'full_name', 'literal', 'display_name');
  if (full) return cleanName(full) || undefined;
  const given = pickStr(a, 'given', 'first', 'firstName', 'first_name', 'forenames');
  const family = pickStr(a, 'family', 'last', 'lastName', 'last_name', 'keyname', 'surname');
  const particle = pickStr(a, 'non-dropping-particle', 'dropping-particle', 'prefix');
  const suffix = pickStr(a, 'suffix');
  const name = [given, particle, family, suffix].filter(Boolean).join(' ');
  return cleanName(name) || undefined;
}

/** Authors from a list (strings or objects) or an author string; `etAl` when marked partial. */
export function authorList(v: unknown): { names: string[]; etAl: boolean } | undefined {
  if (typeof v === 'string') {
    const r = splitAuthorString(v);
    return r.names.length ? r : undefined;
  }
  if (!Array.isArray(v)) return undefined;
  const names: string[] = [];
  let etAl = false;
  for (const a of v) {
    const n = authorName(a);
    if (!n) continue;
    if (/^(?:et\.? al\.?|others)$/i.test(n)) etAl = true;
    else names.push(n);
  }
  return names.length || etAl ? { names, etAl } : undefined;
}

export function categoryList(...values: unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') {
      out.push(...v.split(/[\s,;]+/));
    } else if (Array.isArray(v)) {
      for (const c of v) if (typeof c === 'string') out.push(c.trim());
    } else if (isObj(v) && typeof v.term === 'string') {
      out.push(v.term);
    }
  }
  const clean = [...new Set(out.filter(Boolean))];
  return clean.length ? clean : undefined;
}

function organisation(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  if (isObj(v)) return pickStr(v, 'fullname', 'fullName', 'name');
  return undefined;
}

const ID_KEYS = ['arxiv_id', 'arxivId', 'arxiv', 'arXiv', 'id', 'paper_id', 'paperId', 'entry_id', '_id', 'url', 'abs_url', 'link'];

/**
 * A record from an object with common field names (`id`/`arxiv_id`, `title`,
 * `abstract`/`summary`, `authors` list or string, `categories` list or string,
 * `published`/`announced`/`update_date`, …). Unknown fields are ignored.
 */
export function commonFieldsRecord(o: Obj, source: { kind: SourceKind; locator: string; seenAt: string }): PaperRecord {
  const rec: PaperRecord = { source };
  for (const k of ID_KEYS) {
    const v = o[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const ref = parseArxivId(String(v));
    if (ref) {
      rec.arxivId = ref.id;
      if (ref.version) rec.arxivVersion = ref.version;
      break;
    }
  }
  const doi = pickStr(o, 'doi', 'DOI') ?? (typeof o.id === 'string' && normaliseDoi(o.id) ? o.id : undefined);
  if (doi) rec.doi = doi;
  const title = pick(o, 'title');
  rec.title = Array.isArray(title) ? str(title[0]) : str(title);
  // `description` and `text` are an abstract only beside a title or an id: alone they are any JSON's (a package.json's description).
  rec.abstract = pickStr(o, 'abstract', 'summary') ?? (rec.title || rec.arxivId || rec.doi ? pickStr(o, 'description', 'text') : undefined);
  const authors = authorList(pick(o, 'authors', 'author', 'creators', 'authors_list'));
  if (authors) {
    if (authors.names.length) rec.authors = authors.names;
    if (authors.etAl) rec.authorsComplete = false;
  }
  const count = toCount(pick(o, 'author_count', 'authorCount', 'num_authors'));
  if (count) rec.authorCount = count;
  rec.categories = categoryList(pick(o, 'primary_category', 'primaryCategory'), pick(o, 'categories', 'category', 'subjects'));
  rec.published = toDay(pick(o, 'published', 'published_date', 'publishedAt', 'published_at', 'date', 'created', 'created_at', 'submitted', 'first_published'));
  rec.updated = toDay(pick(o, 'updated', 'update_date', 'updated_at', 'updatedAt', 'last_updated', 'modified'));
  rec.announced = toDay(pick(o, 'announced', 'announced_date', 'announce_date', 'listing_date'));
  const year = toCount(pick(o, 'year'));
  if (year) rec.year = year;
  rec.comment = pickStr(o, 'comment', 'comments');
  rec.journalRef = pickStr(o, 'journal_ref', 'journal-ref', 'journalRef');
  rec.venue = pickStr(o, 'venue', 'journal', 'booktitle', 'conference', 'container-title');
  rec.license = pickStr(o, 'license');

  const links: PaperLinks = {};
  const url = pickStr(o, 'url', 'abs_url', 'link', 'URL');
  if (url && /^https?:\/\//.test(url)) links.abs = url;
  const pdf = pickStr(o, 'pdf_url', 'pdf', 'pdfUrl');
  if (pdf && /^https?:\/\//.test(pdf)) links.pdf = pdf;
  const code = pickStr(o, 'code', 'github', 'githubRepo', 'github_repo', 'code_url');
  if (code && /^https?:\/\//.test(code)) links.code = code;
  const project = pickStr(o, 'project_page', 'projectPage', 'homepage');
  if (project && /^https?:\/\//.test(project)) links.project = project;
  if (Object.keys(links).length) rec.links = links;

  const signals: PaperSignals = {};
  const upvotes = toCount(pick(o, 'upvotes', 'votes'));
  if (upvotes !== undefined) signals.upvotes = upvotes;
  const comments = toCount(pick(o, 'numComments', 'num_comments'));
  if (comments !== undefined) signals.comments = comments;
  const org = organisation(pick(o, 'organization', 'organisation'));
  if (org) signals.organization = org;
  const submitter = organisation(pick(o, 'submitter', 'submittedBy', 'submitted_by'));
  if (submitter) signals.submitter = submitter;
  const stars = toCount(pick(o, 'githubStars', 'github_stars', 'stars'));
  if (stars !== undefined) signals.githubStars = stars;
  const keywords = pick(o, 'keywords', 'ai_keywords', 'tags');
  if (Array.isArray(keywords)) {
    const kw = keywords.filter((k): k is string => typeof k === 'string' && !!k.trim()).map((k) => k.trim());
    if (kw.length) signals.keywords = kw;
  }
  if (Object.keys(signals).length) rec.signals = signals;
  return dropUndefined(rec);
}

/**
 * The object without its undefined members. Copies rather than deletes:
 * `delete` would drop the record into V8's slow dictionary mode for the
 * rest of its way through validation, merging and storage.
 */
export function dropUndefined<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
