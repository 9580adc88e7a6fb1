/**
 * Enrichment from OpenAlex for arXiv papers: where each was published (venue
 * and the journal's DOI) and how often it is cited.
 *
 * Papers are looked up 50 at a time by their arXiv DOIs
 * (`/works?filter=doi:10.48550/arxiv.A|10.48550/arxiv.B`). What comes back is
 * stored as a record carrying the arXiv id *and* the journal DOI, so the store
 * joins the preprint and a journal version stored under its DOI into one paper
 * (src/paper/merge.ts), the venue fills in, and the citation count becomes a
 * signal (`signals.citations`, the larger count winning as counts only grow).
 *
 * Every paper asked about is stamped `signals.citationsAt` (found or not), so
 * a run interrupted half-way resumes with the papers not asked yet, and a
 * paper is asked again only after `retryDays`.
 */
import { addDays } from '../../paper/days.ts';
import type { PaperRecord } from '../../paper/types.ts';
import type { StoredPaper } from '../../store/types.ts';
import { parseOpenAlexWorks, type OpenAlexFacts } from '../parsers/openalex.ts';
import { checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

export interface OpenAlexSpec {
  /** API root, e.g. https://api.openalex.org */
  baseUrl: string;
  /** Listing-day window of the papers to enrich (inclusive, YYYY-MM-DD). */
  from: string;
  to: string;
  /** At most this many papers per run. */
  limit: number;
  /** Do not ask about a paper again within this many days (default 14). */
  retryDays?: number;
  /** Sent as `mailto` (OpenAlex's polite pool) when it is an e-mail address. */
  mailto?: string;
  /** OpenAlex API key, when the user has one. */
  apiKey?: string;
}

const BATCH = 50;

/** The stored papers in the window that have an arXiv id and were not asked about recently, oldest listing day first. */
async function candidates(deps: FetchDeps, spec: OpenAlexSpec, today: string): Promise<StoredPaper[]> {
  const askedBefore = addDays(today, -(spec.retryDays ?? 14));
  const out: StoredPaper[] = [];
  const page = 1000;
  for (let offset = 0; out.length < spec.limit; offset += page) {
    const { papers } = await deps.store.papers.listPapers({ from: spec.from, to: spec.to, sort: 'date', limit: page, offset });
    for (const p of papers) {
      if (p.arxivId && !(p.signals.citationsAt && p.signals.citationsAt > askedBefore)) out.push(p);
      if (out.length >= spec.limit) break;
    }
    if (papers.length < page) break;
  }
  return out;
}

export function worksUrl(spec: OpenAlexSpec, arxivIds: string[]): string {
  const u = new URL('works', spec.baseUrl.replace(/\/+$/, '') + '/');
  u.searchParams.set('filter', `doi:${arxivIds.map((id) => `10.48550/arxiv.${id}`).join('|')}`);
  u.searchParams.set('per-page', String(BATCH));
  u.searchParams.set('select', 'id,doi,publication_year,primary_location,locations,cited_by_count');
  if (spec.mailto && /^[^@\s]+@[^@\s]+$/.test(spec.mailto)) u.searchParams.set('mailto', spec.mailto);
  if (spec.apiKey) u.searchParams.set('api_key', spec.apiKey);
  return u.toString();
}

/** The record OpenAlex's facts make for one arXiv paper. */
export function openAlexRecord(arxivId: string, facts: OpenAlexFacts | undefined, locator: string, seenAt: string, today: string): PaperRecord {
  const rec: PaperRecord = { arxivId, signals: { citationsAt: today }, source: { kind: 'openalex', locator, seenAt } };
  if (!facts) return rec;
  if (facts.citations !== undefined) rec.signals!.citations = facts.citations;
  if (facts.publishedDoi) {
    rec.doi = facts.publishedDoi;
    rec.links = { doi: `https://doi.org/${facts.publishedDoi}` };
  }
  if (facts.venue) rec.venue = facts.venue;
  return rec;
}

export async function enrichFromOpenAlex(deps: FetchDeps, spec: OpenAlexSpec): Promise<FetchReport> {
  const report = emptyReport('openalex');
  const today = deps.now().toISOString().slice(0, 10);
  const papers = await candidates(deps, spec, today);
  let found = 0;
  let published = 0;
  for (let i = 0; i < papers.length; i += BATCH) {
    checkAborted(deps);
    const chunk = papers.slice(i, i + BATCH);
    const url = worksUrl(spec, chunk.map((p) => p.arxivId!));
    const res = await deps.client.getText(url, { accept: 'application/json' });
    report.requests++;
    const parsed = parseOpenAlexWorks(res.text);
    if (parsed.unreadable) throw new Error(`openalex: ${url} did not return a works list: ${parsed.unreadable}`);
    const byArxiv = new Map<string, OpenAlexFacts>();
    for (const w of parsed.works) for (const a of w.arxivIds) if (!byArxiv.has(a)) byArxiv.set(a, w);
    const seenAt = deps.now().toISOString();
    const records = chunk.map((p) => {
      const facts = byArxiv.get(p.arxivId!);
      if (facts) found++;
      if (facts?.publishedDoi) published++;
      return openAlexRecord(p.arxivId!, facts, `${url}#${facts?.work ?? `arxiv:${p.arxivId}`}`, seenAt, today);
    });
    await storePage(deps, report, records);
    deps.log?.(`openalex: ${Math.min(i + BATCH, papers.length)}/${papers.length} paper(s) asked, ${found} found, ${published} with a published version`);
  }
  report.notes = { window: `${spec.from}..${spec.to}`, asked: papers.length, found, published };
  return report;
}
