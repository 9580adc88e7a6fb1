/**
 * One page of the bioRxiv/medRxiv details API:
 * `{"messages":[{status, interval, cursor, count, total}], "collection":[…]}`,
 * each collection entry one *version* of a preprint (doi, title, authors as
 * `Last, F.; Last, F.`, date, version, type, license, category, abstract,
 * author_corresponding_institution, published = the journal DOI or "NA",
 * server). Numbers in `messages` come as numbers or strings. Pure.
 */
import type { PaperRecord, Problem } from '../../paper/types.ts';
import { isObj, type Obj } from '../fields.ts';
import { splitAuthorString, str } from '../text.ts';

export interface BiorxivPage {
  records: PaperRecord[];
  problems: Problem[];
  /** Entries on this page (the cursor advances by this). */
  count: number;
  /** Entries in the whole window, when the server said. */
  total?: number;
  /** Set when the body is not a details answer at all. */
  unreadable?: string;
}

const SITES: Record<string, string> = { biorxiv: 'https://www.biorxiv.org', medrxiv: 'https://www.medrxiv.org' };

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const present = (v: unknown): string | undefined => {
  const s = str(v)?.trim();
  return s && s.toUpperCase() !== 'NA' ? s : undefined;
};

export function biorxivEntryToRecord(e: Obj, locator: string, ctx: { seenAt: string; server: 'biorxiv' | 'medrxiv' }): { record?: PaperRecord; problems: Problem[] } {
  const doi = present(e.doi);
  const title = present(e.title);
  if (!doi && !title) return { problems: [{ locator, severity: 'error', message: 'entry has neither doi nor title' }] };
  const problems: Problem[] = [];
  const version = num(e.version);
  const date = present(e.date);
  const authors = present(e.authors) ? splitAuthorString(present(e.authors)!) : undefined;
  const server = (present(e.server)?.toLowerCase() as 'biorxiv' | 'medrxiv' | undefined) ?? ctx.server;
  const site = SITES[server] ?? SITES[ctx.server];
  const journalDoi = present(e.published);
  const record: PaperRecord = {
    doi,
    title,
    abstract: present(e.abstract),
    authors: authors?.names.length ? authors.names : undefined,
    authorsComplete: authors ? !authors.etAl : undefined,
    categories: present(e.category) ? [present(e.category)!.toLowerCase()] : undefined,
    // Version 1's day is the day the preprint appeared; a later version's is when it was revised.
    published: version === 1 ? date : undefined,
    announced: version === 1 ? date : undefined,
    updated: date,
    versions: version ? [{ version, date }] : undefined,
    license: present(e.license),
    venue: server === 'medrxiv' ? 'medRxiv' : 'bioRxiv',
    links: doi
      ? {
          abs: `${site}/content/${doi}${version ? `v${version}` : ''}`,
          pdf: `${site}/content/${doi}${version ? `v${version}` : ''}.full.pdf`,
          ...(journalDoi ? { journal: `https://doi.org/${journalDoi}` } : {}),
        }
      : undefined,
    signals: present(e.author_corresponding_institution) ? { organization: present(e.author_corresponding_institution) } : undefined,
    source: { kind: ctx.server, locator, seenAt: ctx.seenAt },
  };
  if (version === undefined && e.version !== undefined) problems.push({ locator, field: 'version', severity: 'warning', message: `"${String(e.version)}" is not a version number; ignored` });
  return { record, problems };
}

export function parseBiorxivDetails(text: string, ctx: { name: string; seenAt: string; server: 'biorxiv' | 'medrxiv' }): BiorxivPage {
  let body: unknown;
  try {
    body = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { records: [], problems: [], count: 0, unreadable: `not valid JSON: ${(err as Error).message}` };
  }
  if (!isObj(body) || !Array.isArray(body.messages)) return { records: [], problems: [], count: 0, unreadable: 'no "messages" list' };
  const msg = isObj(body.messages[0]) ? body.messages[0] : {};
  const collection = Array.isArray(body.collection) ? body.collection : [];
  const status = str(msg.status) ?? '';
  // "no posts found" is an empty window, not an error.
  if (!collection.length && status && status !== 'ok' && !/no posts found/i.test(status)) {
    return { records: [], problems: [], count: 0, unreadable: `the server said "${status}"` };
  }
  const records: PaperRecord[] = [];
  const problems: Problem[] = [];
  const cursor = num(msg.cursor) ?? 0;
  collection.forEach((e, i) => {
    const locator = `${ctx.name}#${cursor + i + 1}`;
    if (!isObj(e)) {
      problems.push({ locator, severity: 'error', message: 'entry is not an object' });
      return;
    }
    const r = biorxivEntryToRecord(e, locator, ctx);
    problems.push(...r.problems);
    if (r.record) records.push(r.record);
  });
  return { records, problems, count: collection.length, total: num(msg.total) };
}
