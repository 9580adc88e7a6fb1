/**
 * What each line of a pasted listing is. Copying a web page gives lines of
 * page furniture, titles, abstracts and small metadata lines; this module
 * names them, the parser decides how they group into papers.
 */
import { parseDateLine, type ListingDate } from './dates.ts';

export type ListingLine =
  | { kind: 'blank' }
  /** Page furniture; `pageStart` when it opens a new page (its date comes next). */
  | { kind: 'chrome'; pageStart: boolean }
  | { kind: 'date'; date: ListingDate }
  | { kind: 'authorCount'; count: number }
  | { kind: 'separator' }
  /** `LGSep 9, 2023`: an arXiv category code glued to a date (publication lists). */
  | { kind: 'categoryDate'; category?: string; date: ListingDate }
  /** `Abstract: …` (the text may be empty when the abstract is on the next line). */
  | { kind: 'abstract'; text: string }
  | { kind: 'text'; text: string };

const PAGE_START = new Set(['daily papers', 'byak and the research community', 'get trending papers in your email inbox!']);
const CHROME = new Set([...PAGE_START, 'new', 'subscribe', 'search', 'submit paper', 'load more', 'see all']);

const CS = new Set(
  'AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC SD SE SI SY'.split(' '),
);

/** `LG` → `cs.LG`, `ML` → `stat.ML`, `cs.LG` as is; undefined for a code we cannot place. */
export function categoryFromCode(code: string): string | undefined {
  if (code.includes('.')) return code;
  if (code === 'ML') return 'stat.ML';
  return CS.has(code) ? `cs.${code}` : undefined;
}

const CATEGORY_DATE = /^((?:[a-z-]+\.)?[A-Z]{2})\s*((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s*\d{4})$/;
const AUTHOR_COUNT = /^[•·◦‣∙*–-]?\s*(\d{1,5})\s+authors?$/i;
const SEPARATOR = /^[·•∙◦‣|–—-]$/;
const ABSTRACT = /^abstract\s*[:.]\s*/i;

/** Folds the spaces and invisible characters web pages carry into plain spaces. */
export function normaliseLine(raw: string): string {
  return raw
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

export function classifyLine(raw: string): ListingLine {
  const line = normaliseLine(raw);
  if (!line) return { kind: 'blank' };
  const lower = line.toLowerCase();
  if (CHROME.has(lower)) return { kind: 'chrome', pageStart: PAGE_START.has(lower) };
  if (SEPARATOR.test(line)) return { kind: 'separator' };
  const count = AUTHOR_COUNT.exec(line);
  if (count) return { kind: 'authorCount', count: Number(count[1]) };
  const date = parseDateLine(line);
  if (date) return { kind: 'date', date };
  const cat = CATEGORY_DATE.exec(line);
  if (cat) {
    const d = parseDateLine(cat[2]);
    if (d) return { kind: 'categoryDate', category: categoryFromCode(cat[1]), date: d };
  }
  if (ABSTRACT.test(line)) return { kind: 'abstract', text: line.replace(ABSTRACT, '') };
  return { kind: 'text', text: line };
}

/**
 * Splits a line where a pasted abstract runs straight into the next
 * `Abstract:` block (`…budgets tighten.Abstract:Large Language…`).
 */
export function splitAbstractMarkers(raw: string): string[] {
  const parts: string[] = [];
  let from = 0;
  const re = /Abstract\s*:/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    let j = m.index - 1;
    while (j >= 0 && /\s/.test(raw[j])) j--;
    // Only after a finished sentence: "…tighten.Abstract:" but not "this Abstract: we".
    if (j < 0 || !/[.!?)"'”’\]]/.test(raw[j])) continue;
    const piece = raw.slice(from, m.index);
    if (piece.trim()) parts.push(piece);
    from = m.index;
  }
  parts.push(raw.slice(from));
  return parts;
}

/** Abstract-like prose, as opposed to a title: long, several sentences, or ending like one. */
export function proseScore(text: string): number {
  let score = 0;
  if (text.length >= 250) score += 2;
  else if (text.length >= 120) score += 1;
  if (/[a-z0-9)][.!?]\s+\p{Lu}/u.test(text)) score += 1;
  if (/[.!?]["'”’)\]]*$/.test(text)) score += 1;
  if (/(?:\.\.\.|…)$/.test(text)) score += 1;
  return score;
}

export function isProse(text: string): boolean {
  return proseScore(text) >= 2;
}
