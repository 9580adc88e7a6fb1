import { yearFromArxivId } from './id-dates.ts';
import { canonicalId, idStrength } from './ids.ts';
import type { Paper, PaperRecord, PaperSignals, PaperVersion, SourceKind } from './types.ts';

/**
 * How much a source's word counts on fields where the richer value is not
 * obvious (title wording, primary category). arXiv itself is the authority for
 * arXiv papers; a pasted web page is the least exact.
 */
const SOURCE_RANK: Record<SourceKind, number> = {
  'arxiv-api': 5,
  'arxiv-oai': 5,
  'arxiv-snapshot': 5,
  'hf-daily': 4,
  // The preprint servers are the authority for their own papers, as arXiv is for its.
  biorxiv: 5,
  medrxiv: 5,
  // A restored paper was merged from the best sources already: its title must not lose to a pasted one.
  restore: 4,
  jsonl: 3,
  openalex: 3,
  zotero: 2,
  'csl-json': 2,
  bibtex: 2,
  manual: 2,
  listing: 1,
};

export function sourceRank(kind: SourceKind): number {
  return SOURCE_RANK[kind] ?? 0;
}

/** The day a paper counts for in listings and feeds. */
export function listingDate(p: Pick<Paper, 'announced' | 'published' | 'signals' | 'updated'>): string | undefined {
  return p.announced ?? p.published ?? p.signals.featuredOn ?? p.updated;
}

function minDay(a?: string, b?: string): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function maxDay(a?: string, b?: string): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function mergeVersions(a: PaperVersion[], b: PaperVersion[] | undefined): PaperVersion[] {
  if (!b?.length) return a;
  const byNumber = new Map<number, PaperVersion>();
  for (const v of [...a, ...b]) {
    const seen = byNumber.get(v.version);
    byNumber.set(v.version, seen?.date ? seen : { ...v, date: v.date ?? seen?.date });
  }
  return [...byNumber.values()].sort((x, y) => x.version - y.version).map((v) => (v.date ? v : { version: v.version }));
}

function mergeSignals(a: PaperSignals, b: PaperSignals | undefined): PaperSignals {
  if (!b) return a;
  const out: PaperSignals = { ...a };
  // Counts only grow over time, so the larger one is the later observation,
  // whichever order the files are imported in.
  for (const k of ['upvotes', 'comments', 'githubStars', 'citations'] as const) {
    if (b[k] !== undefined) out[k] = Math.max(out[k] ?? 0, b[k]!);
  }
  for (const k of ['organization', 'submitter', 'githubRepo'] as const) {
    if (b[k] && !out[k]) out[k] = b[k];
  }
  if (b.featuredOn) out.featuredOn = minDay(out.featuredOn, b.featuredOn);
  if (b.citationsAt) out.citationsAt = maxDay(out.citationsAt, b.citationsAt);
  if (b.keywords?.length) out.keywords = [...new Set([...(out.keywords ?? []), ...b.keywords])];
  return out;
}

/** An empty paper that merging a first record into fills (its title rank is -1). */
export function emptyPaper(now: string): Paper {
  return {
    id: '',
    title: '',
    abstract: '',
    abstractTruncated: false,
    authors: [],
    authorsComplete: false,
    categories: [],
    versions: [],
    links: {},
    signals: {},
    addedAt: now,
    modifiedAt: now,
  };
}

/** True when `b`'s author information is richer than `a`'s. */
function richerAuthors(
  a: { authors: string[]; authorsComplete: boolean },
  b: { authors: string[]; authorsComplete: boolean },
): boolean {
  if (b.authors.length === 0) return false;
  if (a.authors.length === 0) return true;
  if (b.authorsComplete !== a.authorsComplete) return b.authorsComplete;
  return b.authors.length > a.authors.length;
}

/**
 * Folds one source's record into a stored paper, keeping the richest value of
 * each field: a full abstract over a snippet, a real author list over a count,
 * the earliest first-published day, the union of categories, versions and
 * links. `titleRank` is the source rank that gave the current title (kept
 * with the paper by the store) so a pasted title never overwrites arXiv's.
 * Pure: returns a new paper.
 */
export function mergeRecord(
  paper: Paper,
  titleRank: number,
  rec: PaperRecord,
  rank = sourceRank(rec.source.kind),
): { paper: Paper; titleRank: number } {
  const out: Paper = { ...paper, links: { ...paper.links }, signals: { ...paper.signals } };
  let outRank = titleRank;

  out.arxivId ??= rec.arxivId;
  out.doi ??= rec.doi;
  if (rec.title && (!out.title || rank > titleRank)) {
    out.title = rec.title;
    outRank = rank;
  }
  if (rec.abstract) {
    const incomingTruncated = rec.abstractTruncated ?? false;
    const better =
      !out.abstract ||
      (out.abstractTruncated && !incomingTruncated) ||
      (out.abstractTruncated === incomingTruncated && rec.abstract.length > out.abstract.length);
    if (better) {
      out.abstract = rec.abstract;
      out.abstractTruncated = incomingTruncated;
    }
  }
  const incomingAuthors = { authors: rec.authors ?? [], authorsComplete: rec.authors ? rec.authorsComplete ?? true : false };
  if (richerAuthors(out, incomingAuthors)) {
    out.authors = incomingAuthors.authors;
    out.authorsComplete = incomingAuthors.authorsComplete;
  }
  // (No `delete` here or below: deleting a property drops the object to V8's slow dictionary mode, and
  // every later step of the import — fingerprint, JSON, SQL binding — then pays for it.)
  let count = out.authorCount;
  if (rec.authorCount !== undefined && (count === undefined || rec.authorCount > count)) count = rec.authorCount;
  if (out.authorsComplete && (count === undefined || out.authors.length > count)) count = out.authors.length;
  if (count !== undefined) out.authorCount = count;

  if (rec.categories?.length) {
    out.categories = rank > titleRank || out.categories.length === 0
      ? [...new Set([...rec.categories, ...out.categories])]
      : [...new Set([...out.categories, ...rec.categories])];
  }
  const published = rec.published && rec.publishedYearGuessed ? (yearFromArxivId(rec.published, out.arxivId) ?? rec.published) : rec.published;
  out.published = minDay(out.published, published);
  out.updated = maxDay(out.updated, rec.updated);
  out.announced = minDay(out.announced, rec.announced);
  const year = rec.year ?? (published ? Number(published.slice(0, 4)) : undefined);
  if (year && (!out.year || year < out.year)) out.year = year;
  for (const f of ['venue', 'journalRef', 'comment', 'license'] as const) {
    if (rec[f] && !out[f]) out[f] = rec[f];
  }
  out.versions = mergeVersions(out.versions, rec.versions ?? (rec.arxivVersion ? [{ version: rec.arxivVersion }] : undefined));
  for (const [k, v] of Object.entries(rec.links ?? {})) if (v && !out.links[k]) out.links[k] = v;
  out.signals = mergeSignals(out.signals, rec.signals);
  const day = listingDate(out);
  if (day !== undefined) out.listingDate = day;

  const id = canonicalId({ arxivId: out.arxivId, doi: out.doi, title: out.title, abstract: out.abstract });
  if (id && (!out.id || idStrength(id) > idStrength(out.id))) out.id = id;
  return { paper: out, titleRank: outRank };
}

/**
 * Merges two stored papers found to be one (a title-less abstract and the full
 * record, say). The result keeps the stronger id and the earlier addedAt.
 */
export function mergePapers(
  a: { paper: Paper; titleRank: number },
  b: { paper: Paper; titleRank: number },
): { paper: Paper; titleRank: number } {
  const [base, other] = b.titleRank > a.titleRank ? [b, a] : [a, b];
  const { id: _id, ...fields } = other.paper;
  const asRecord: PaperRecord = { ...fields, source: { kind: 'manual', locator: '', seenAt: other.paper.modifiedAt } };
  const merged = mergeRecord(base.paper, base.titleRank, asRecord, other.titleRank);
  const p = merged.paper;
  p.addedAt = a.paper.addedAt < b.paper.addedAt ? a.paper.addedAt : b.paper.addedAt;
  p.id = [a.paper.id, b.paper.id, p.id].sort((x, y) => idStrength(y) - idStrength(x))[0];
  return merged;
}

/** JSON with object keys sorted and undefined members left out. Written with loops: it runs for every imported record. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += stableJson(value[i]) ?? '';
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${stableJson(v)}`;
  }
  return `${out}}`;
}

/** Stable JSON of the fields a person sees, to tell whether a merge changed anything. */
export function contentFingerprint(p: Paper): string {
  const { addedAt: _a, modifiedAt: _m, ...rest } = p;
  return stableJson(rest);
}
