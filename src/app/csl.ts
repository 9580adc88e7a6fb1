/**
 * CSL-JSON for a collection export: the array of items citation processors
 * (citeproc, Pandoc, Zotero's importer) read. arXiv papers are `article`
 * items with `archive: "arXiv"` and the id as `number` (as Zotero exports a
 * preprint); a paper with a venue is an `article-journal` or
 * `paper-conference`. Pure; the ids are the citation keys BibTeX uses, so the
 * two exports of one collection agree.
 */
import type { Paper } from '../paper/types.ts';
import { citationKey } from './bibtex.ts';

export interface CslItem {
  id: string;
  type: string;
  title: string;
  author?: ({ family: string; given?: string } | { literal: string })[];
  issued?: { 'date-parts': number[][] };
  'container-title'?: string;
  DOI?: string;
  URL?: string;
  abstract?: string;
  archive?: string;
  number?: string;
}

/** `Given Family` as CSL wants it: the last word is the family name (a particle stays with the given names). */
function cslName(name: string): { family: string; given?: string } | { literal: string } {
  const comma = name.indexOf(',');
  if (comma > 0) return { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() || undefined };
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { literal: words[0] };
  return { family: words.at(-1)!, given: words.slice(0, -1).join(' ') };
}

function issued(p: Paper): CslItem['issued'] {
  const day = p.published ?? p.listingDate;
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day) && (!p.year || Number(day.slice(0, 4)) === p.year)) {
    return { 'date-parts': [day.split('-').map(Number)] };
  }
  const year = p.year ?? (day ? Number(day.slice(0, 4)) : undefined);
  return year ? { 'date-parts': [[year]] } : undefined;
}

export function toCslJson(papers: Paper[]): CslItem[] {
  const taken = new Set<string>();
  return papers.map((p) => {
    const type = p.venue ? (p.journalRef || /journal|transactions|letters/i.test(p.venue) ? 'article-journal' : 'paper-conference') : 'article';
    const item: CslItem = { id: citationKey(p, taken), type, title: p.title || '(untitled)' };
    if (p.authors.length) item.author = p.authors.map(cslName);
    const date = issued(p);
    if (date) item.issued = date;
    if (p.venue) item['container-title'] = p.venue;
    if (p.doi) item.DOI = p.doi;
    const url = p.links.abs ?? (p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : p.doi ? `https://doi.org/${p.doi}` : undefined);
    if (url) item.URL = url;
    if (p.abstract) item.abstract = p.abstract;
    if (p.arxivId) {
      item.archive = 'arXiv';
      item.number = `arXiv:${p.arxivId}`;
    }
    return item;
  });
}
