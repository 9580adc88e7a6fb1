/**
 * OpenAlex works (`/works?filter=…` → `{meta, results: [work]}`) read for what
 * enrichment needs: which arXiv paper a work is, where it was published (the
 * journal or conference location and its DOI) and how often it is cited.
 *
 * A work carries its DOI (`https://doi.org/…`; the arXiv DataCite DOI
 * `10.48550/arxiv.…` when OpenAlex knows only the preprint), a
 * `primary_location` and `locations`, each with `landing_page_url` and a
 * `source` ({display_name, type: journal | repository | conference | …}),
 * and `cited_by_count`. Pure.
 */
import { normaliseDoi, parseArxivId } from '../../paper/ids.ts';
import { isObj, type Obj } from '../fields.ts';
import { str } from '../text.ts';

export interface OpenAlexFacts {
  /** The work's OpenAlex id (`W…`). */
  work: string;
  /** arXiv ids the work names (its DOI or an arxiv.org location). */
  arxivIds: string[];
  /** DOI of the published (non-arXiv) version. */
  publishedDoi?: string;
  /** Journal or conference it was published in. */
  venue?: string;
  year?: number;
  citations?: number;
}

const PUBLISHED_TYPES = new Set(['journal', 'conference', 'book series', 'ebook platform']);

function arxivFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /arxiv\.org\/(?:abs|pdf)\/([^?#]+?)(?:\.pdf)?(?:[?#]|$)/i.exec(url);
  return m ? parseArxivId(m[1])?.id : undefined;
}

/** A DOI that is not arXiv's own DataCite DOI (that one names the preprint, not a publication). */
function publicationDoi(v: string | undefined): string | undefined {
  const doi = normaliseDoi(v);
  return doi && !doi.startsWith('10.48550/') ? doi : undefined;
}

export function openAlexWorkFacts(w: Obj): OpenAlexFacts | undefined {
  const work = str(w.id)?.replace(/^https?:\/\/openalex\.org\//, '');
  if (!work) return undefined;
  const locations = [w.primary_location, ...(Array.isArray(w.locations) ? w.locations : [])].filter(isObj);
  const arxivIds = new Set<string>();
  const doi = normaliseDoi(str(w.doi));
  const fromDoi = doi?.startsWith('10.48550/') ? parseArxivId(doi)?.id : undefined;
  if (fromDoi) arxivIds.add(fromDoi);
  for (const l of locations) {
    const a = arxivFromUrl(str(l.landing_page_url)) ?? arxivFromUrl(str(l.pdf_url));
    if (a) arxivIds.add(a);
  }
  const published = locations.find((l) => isObj(l.source) && PUBLISHED_TYPES.has(String(l.source.type)) && !/arxiv/i.test(String(l.source.display_name ?? '')));
  const publishedDoi = publicationDoi(str(w.doi)) ?? (published ? publicationDoi(str(published.landing_page_url)) : undefined);
  const venue = published && isObj(published.source) ? str(published.source.display_name)?.trim() : undefined;
  const citations = typeof w.cited_by_count === 'number' && Number.isInteger(w.cited_by_count) && w.cited_by_count >= 0 ? w.cited_by_count : undefined;
  const year = typeof w.publication_year === 'number' ? w.publication_year : undefined;
  return { work, arxivIds: [...arxivIds], publishedDoi, venue: venue || undefined, year, citations };
}

export function parseOpenAlexWorks(text: string): { works: OpenAlexFacts[]; count?: number; unreadable?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { works: [], unreadable: `not valid JSON: ${(err as Error).message}` };
  }
  if (!isObj(body) || !Array.isArray(body.results)) return { works: [], unreadable: 'no "results" list' };
  const works = body.results.filter(isObj).map(openAlexWorkFacts).filter((f): f is OpenAlexFacts => !!f);
  const count = isObj(body.meta) && typeof body.meta.count === 'number' ? body.meta.count : undefined;
  return { works, count };
}
