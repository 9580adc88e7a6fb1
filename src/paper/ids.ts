import { createHash } from 'node:crypto';
import { abstractKey, titleKey } from './normalise.ts';

export interface ArxivRef {
  /** Without version: `2510.05069`, `0704.0001`, `hep-th/9901001`. */
  id: string;
  version?: number;
}

// New-style ids (since April 2007): YYMM.NNNN (to 2014) or YYMM.NNNNN.
const NEW_STYLE = /^(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(?:v(\d+))?$/;
// Old-style ids: archive(.SUBJ)/YYMMNNN.
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{2}(?:0[1-9]|1[0-2])\d{3})(?:v(\d+))?$/;

/**
 * Reads an arXiv id from the forms people paste: `2510.05069v2`, `arXiv:2510.05069`,
 * `https://arxiv.org/abs/2510.05069`, `…/pdf/2510.05069v1.pdf`, `hep-th/9901001`,
 * the arXiv DOI `10.48550/arXiv.2510.05069`, and the `oai:arXiv.org:` prefix.
 */
export function parseArxivId(input: string | undefined | null): ArxivRef | undefined {
  if (!input) return undefined;
  let s = input.trim();
  s = s.replace(/^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html|format)\//i, '');
  s = s.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/)?10\.48550\/arxiv\./i, '');
  s = s.replace(/^oai:arxiv\.org:/i, '');
  s = s.replace(/^arxiv:\s*/i, '');
  s = s.replace(/\.pdf$/i, '').replace(/[?#].*$/, '').replace(/\/$/, '');
  const m = NEW_STYLE.exec(s) ?? OLD_STYLE.exec(s);
  if (!m) return undefined;
  return m[2] ? { id: m[1], version: Number(m[2]) } : { id: m[1] };
}

/** Lower-cased DOI without resolver prefix, or undefined when the string is not a DOI. */
export function normaliseDoi(input: string | undefined | null): string | undefined {
  if (!input) return undefined;
  const s = input
    .trim()
    .replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(s) ? s : undefined;
}

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/**
 * Folding and hashing a title or abstract is the costliest part of matching,
 * and an import asks for the same record's keys several times (lookup,
 * planning, merging, writing). Recently computed keys are kept by text.
 */
const KEY_CACHE_SIZE = 20_000;
const titleKeys = new Map<string, string>();
const abstractKeys = new Map<string, string>();

function cachedKey(cache: Map<string, string>, text: string, make: (t: string) => string): string {
  let key = cache.get(text);
  if (key === undefined) {
    if (cache.size >= KEY_CACHE_SIZE) cache.clear();
    key = make(text);
    cache.set(text, key);
  }
  return key;
}

const makeTitleKey = (t: string) => {
  const k = titleKey(t);
  return k ? `title:${shortHash(k)}` : '';
};
const makeAbstractKey = (a: string) => {
  const k = abstractKey(a);
  return k ? `abstract:${shortHash(k)}` : '';
};

/** Every key under which a paper with these fields may already be stored, strongest first. */
export function matchKeys(p: { arxivId?: string; doi?: string; title?: string; abstract?: string }): string[] {
  const keys: string[] = [];
  if (p.arxivId) keys.push(`arxiv:${p.arxivId}`);
  if (p.doi) keys.push(`doi:${p.doi}`);
  if (p.title) {
    const t = cachedKey(titleKeys, p.title, makeTitleKey);
    if (t) keys.push(t);
  }
  if (p.abstract) {
    const a = cachedKey(abstractKeys, p.abstract, makeAbstractKey);
    if (a) keys.push(a);
  }
  return keys;
}

/**
 * The canonical id: the arXiv id where known, else the DOI, else a hash of the
 * normalised title, else of the abstract's opening words. The same inputs give
 * the same id on every machine.
 */
export function canonicalId(p: { arxivId?: string; doi?: string; title?: string; abstract?: string }): string | undefined {
  return matchKeys(p)[0];
}

/** Which kind of key an id is; used to decide which record's id survives a merge. */
export function idStrength(id: string): number {
  if (id.startsWith('arxiv:')) return 4;
  if (id.startsWith('doi:')) return 3;
  if (id.startsWith('title:')) return 2;
  if (id.startsWith('abstract:')) return 1;
  return 0;
}

/**
 * Turns what a user typed as a paper id into the form the store looks up:
 * `2510.05069v2` and `https://arxiv.org/abs/2510.05069` → `arxiv:2510.05069`,
 * `10.1145/123` → `doi:10.1145/123`; anything else is returned trimmed.
 */
export function normaliseUserId(input: string): string {
  const s = input.trim();
  const prefixed = /^(arxiv|doi|title|abstract):(.*)$/i.exec(s);
  if (prefixed && prefixed[1].toLowerCase() !== 'arxiv' && prefixed[1].toLowerCase() !== 'doi') return s;
  const arxiv = parseArxivId(s);
  if (arxiv) return `arxiv:${arxiv.id}`;
  const doi = normaliseDoi(prefixed ? prefixed[2] : s);
  if (doi) return `doi:${doi}`;
  return s;
}
