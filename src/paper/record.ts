import { canonicalId, normaliseDoi, parseArxivId } from './ids.ts';
import { cleanSpaces } from './normalise.ts';
import type { PaperLinks, PaperRecord, PaperSignals, Problem } from './types.ts';

/** Field size limits: anything larger is not metadata but a broken or hostile record. */
export const LIMITS = {
  title: 1_000,
  abstract: 20_000,
  authorName: 300,
  authors: 5_000,
  categories: 50,
  shortText: 2_000,
  doi: 300,
  link: 2_000,
  signalText: 300,
  keywords: 100,
  keyword: 100,
  versions: 1_000,
} as const;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day from an ISO date or instant, or undefined when it is not a real date. */
export function isoDay(input: string | undefined | null): string | undefined {
  if (!input) return undefined;
  const s = String(input).trim();
  const day = s.slice(0, 10);
  if (!ISO_DAY.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? undefined : day;
}

function clip(
  value: string | undefined,
  max: number,
  field: string,
  locator: string,
  problems: Problem[],
): string | undefined {
  if (value === undefined) return undefined;
  const s = cleanSpaces(value);
  if (s.length <= max) return s || undefined;
  problems.push({
    locator,
    field,
    severity: 'warning',
    message: `${field} is ${s.length} characters, longer than the ${max} a paper's ${field} can be; cut to ${max}`,
  });
  return s.slice(0, max);
}

/** Links are URLs of sane length; others are dropped with a warning. */
function cleanLinks(links: PaperLinks, loc: string, problems: Problem[]): PaperLinks | undefined {
  const out: PaperLinks = {};
  for (const [k, v] of Object.entries(links)) {
    if (typeof v !== 'string' || !v.trim()) continue;
    if (v.length > LIMITS.link) {
      problems.push({ locator: loc, field: `links.${k}`, severity: 'warning', message: `link "${k}" is ${v.length} characters, too long to be a URL; dropped` });
      continue;
    }
    out[k] = v.trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function cleanSignals(signals: PaperSignals, loc: string, problems: Problem[]): PaperSignals | undefined {
  const out: PaperSignals = { ...signals };
  for (const k of ['organization', 'submitter'] as const) {
    if (out[k] !== undefined) out[k] = clip(String(out[k]), LIMITS.signalText, k, loc, problems);
  }
  if (out.githubRepo !== undefined) out.githubRepo = clip(String(out.githubRepo), LIMITS.link, 'githubRepo', loc, problems);
  for (const k of ['upvotes', 'comments', 'githubStars', 'citations'] as const) {
    if (out[k] !== undefined && !(Number.isInteger(out[k]) && out[k]! >= 0)) delete out[k];
  }
  for (const k of ['featuredOn', 'citationsAt'] as const) {
    if (out[k] !== undefined && !isoDay(out[k])) delete out[k];
    else if (out[k]) out[k] = isoDay(out[k]);
  }
  if (out.keywords) {
    const kw = out.keywords
      .filter((w): w is string => typeof w === 'string')
      .map((w) => cleanSpaces(w).slice(0, LIMITS.keyword))
      .filter(Boolean);
    out.keywords = [...new Set(kw)].slice(0, LIMITS.keywords);
    if (out.keywords.length === 0) delete out.keywords;
  }
  // Copy the defined members rather than `delete` the others (see mergeRecord on V8's dictionary mode).
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) if (v !== undefined) kept[k] = v;
  return Object.keys(kept).length ? (kept as PaperSignals) : undefined;
}

/**
 * Cleans one parser record before it reaches the store: trims text, enforces
 * size limits, canonicalises ids and dates, and rejects records that carry
 * nothing to identify a paper by. Pure.
 */
/** The rejection of a record with nothing to identify a paper by (import.ts refuses a whole file of them). */
export const NO_IDENTITY = 'record has no arXiv id, DOI, title or abstract to identify a paper by';

export function validateRecord(input: PaperRecord): { record?: PaperRecord; problems: Problem[] } {
  const problems: Problem[] = [];
  const loc = input.source.locator;
  const rec: PaperRecord = { ...input };

  if (rec.arxivId !== undefined) {
    const ref = parseArxivId(rec.arxivId);
    if (!ref) {
      problems.push({ locator: loc, field: 'arxivId', severity: 'warning', message: `"${rec.arxivId.slice(0, 60)}" is not an arXiv id; ignored` });
      delete rec.arxivId;
    } else {
      rec.arxivId = ref.id;
      if (ref.version && rec.arxivVersion === undefined) rec.arxivVersion = ref.version;
    }
  }
  if (rec.doi !== undefined && rec.doi.length > LIMITS.doi) {
    problems.push({ locator: loc, field: 'doi', severity: 'warning', message: `doi is ${rec.doi.length} characters, too long to be a DOI; ignored` });
    delete rec.doi;
  }
  if (rec.arxivId !== undefined && rec.arxivId.length > LIMITS.doi) rec.arxivId = rec.arxivId.slice(0, LIMITS.doi);
  if (rec.doi !== undefined) {
    const arxivFromDoi = parseArxivId(rec.doi);
    const doi = normaliseDoi(rec.doi);
    if (arxivFromDoi) {
      rec.arxivId ??= arxivFromDoi.id;
      delete rec.doi;
    } else if (!doi) {
      problems.push({ locator: loc, field: 'doi', severity: 'warning', message: `"${rec.doi.slice(0, 60)}" is not a DOI; ignored` });
      delete rec.doi;
    } else rec.doi = doi;
  }

  rec.title = clip(rec.title, LIMITS.title, 'title', loc, problems);
  const warningsBefore = problems.length;
  rec.abstract = clip(rec.abstract, LIMITS.abstract, 'abstract', loc, problems);
  if (rec.abstract && problems.length > warningsBefore) rec.abstractTruncated = true;
  for (const f of ['venue', 'journalRef', 'comment', 'license'] as const) {
    rec[f] = clip(rec[f], LIMITS.shortText, f, loc, problems);
  }

  if (rec.authors) {
    if (rec.authors.length > LIMITS.authors) {
      problems.push({ locator: loc, field: 'authors', severity: 'warning', message: `${rec.authors.length} authors; kept the first ${LIMITS.authors}` });
      rec.authorCount ??= rec.authors.length;
      rec.authorsComplete = false;
    }
    rec.authors = rec.authors
      .slice(0, LIMITS.authors)
      .map((a) => cleanSpaces(String(a)).slice(0, LIMITS.authorName))
      .filter(Boolean);
    if (rec.authors.length === 0) delete rec.authors;
  }
  if (rec.authorCount !== undefined && !(Number.isInteger(rec.authorCount) && rec.authorCount > 0)) delete rec.authorCount;

  if (rec.categories) {
    rec.categories = [...new Set(rec.categories.map((c) => String(c).trim()).filter((c) => c && c.length <= 40))].slice(
      0,
      LIMITS.categories,
    );
    if (rec.categories.length === 0) delete rec.categories;
  }

  for (const f of ['published', 'updated', 'announced'] as const) {
    if (rec[f] === undefined) continue;
    const day = isoDay(rec[f]);
    if (!day) {
      problems.push({ locator: loc, field: f, severity: 'warning', message: `"${String(rec[f]).slice(0, 40)}" is not a date; ignored` });
      delete rec[f];
    } else rec[f] = day;
  }
  if (rec.year !== undefined && !(Number.isInteger(rec.year) && rec.year > 1000 && rec.year < 3000)) delete rec.year;
  if (rec.links) rec.links = cleanLinks(rec.links, loc, problems);
  if (rec.signals) rec.signals = cleanSignals(rec.signals, loc, problems);
  if (rec.versions && rec.versions.length > LIMITS.versions) rec.versions = rec.versions.slice(-LIMITS.versions);
  if (rec.versions) {
    rec.versions = rec.versions
      .filter((v) => Number.isInteger(v.version) && v.version > 0)
      .map((v) => (v.date && isoDay(v.date) ? { version: v.version, date: isoDay(v.date) } : { version: v.version }));
  }

  // An abstract of a few words gives no key (paper/ids.ts), and a paper must have an id.
  if (!canonicalId(rec)) {
    problems.push({ locator: loc, severity: 'error', message: NO_IDENTITY });
    return { problems };
  }
  return { record: rec, problems };
}
