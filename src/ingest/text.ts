/**
 * Small text helpers the parsers share: LaTeX accents in arXiv names, author
 * strings, dates in the forms sources print them, and whether an abstract
 * ends like a finished text or was cut off.
 */

const COMBINING: Record<string, string> = {
  '`': '\u0300',
  "'": '\u0301',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  u: '\u0306',
  '.': '\u0307',
  '"': '\u0308',
  r: '\u030a',
  H: '\u030b',
  v: '\u030c',
  d: '\u0323',
  c: '\u0327',
  k: '\u0328',
  b: '\u0331',
  t: '\u0361',
};

const SPECIAL_LETTERS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
};

function accented(accent: string, letter: string): string {
  const base = letter === '\\i' ? 'i' : letter === '\\j' ? 'j' : letter;
  return (base + COMBINING[accent]).normalize('NFC');
}

const LETTER = String.raw`(\\[ij](?![A-Za-z])|[A-Za-z])`;
const SYMBOL_ACCENT = String.raw`\\([\x60'^"~=.])\s*(?:\{\s*${LETTER}\s*\}|${LETTER})`;
const WORD_ACCENT = String.raw`\\([uvHcdbkrt])(?:\s*\{\s*${LETTER}\s*\}|\s+${LETTER})`;
const BRACED_ACCENT = new RegExp(String.raw`\{(?:${SYMBOL_ACCENT}|${WORD_ACCENT})\}`, 'g');
const BARE_ACCENT = new RegExp(`${SYMBOL_ACCENT}|${WORD_ACCENT}`, 'g');
const SPECIAL = /\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?![A-Za-z])\s*(?:\{\})?\}?/g;

/**
 * Turns LaTeX accent commands into Unicode letters (`Bal\'azs` → `Balázs`,
 * `{\"o}`, `\c{c}`, `{\ss}`), leaving all other markup alone: arXiv
 * metadata writes names and some titles this way.
 */
export function latexAccents(text: string): string {
  if (!text.includes('\\')) return text;
  const replace = (_m: string, a1?: string, l1?: string, l2?: string, a2?: string, l3?: string, l4?: string) =>
    a1 ? accented(a1, (l1 ?? l2)!) : accented(a2!, (l3 ?? l4)!);
  return text
    .replace(BRACED_ACCENT, replace)
    .replace(BARE_ACCENT, replace)
    .replace(SPECIAL, (_m, name: string) => SPECIAL_LETTERS[name]);
}

/** A person's name from LaTeX-flavoured metadata: accents resolved, braces and extra spaces gone. */
export function cleanName(name: string): string {
  return latexAccents(name)
    .replace(/[{}]/g, '')
    .replace(/\\&/g, '&')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function withoutParentheses(text: string): string {
  let depth = 0;
  let out = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

const SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const ET_AL = /(?:,?\s*(?:and\s+)?(?:et\.?\s+al\.?|others))\s*$/i;

/**
 * Splits an author string as arXiv and most JSON exports write it: `A, B and
 * C`, `A; B; C` (then each may be `Last, First`), with affiliations in
 * parentheses dropped and `et al.`/`others` reported as a partial list.
 */
export function splitAuthorString(input: string): { names: string[]; etAl: boolean } {
  let s = withoutParentheses(input).replace(/[\s\u00a0]+/g, ' ').trim();
  const etAl = ET_AL.test(s);
  if (etAl) s = s.replace(ET_AL, '');
  let parts: string[];
  if (s.includes(';')) {
    parts = s.split(/\s*;\s*/).map((p) => {
      const m = /^([^,]+),\s*([^,]+)$/.exec(p);
      return m && !SUFFIX.test(m[2]) ? `${m[2]} ${m[1]}` : p;
    });
  } else {
    parts = s.split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*/i);
  }
  const names: string[] = [];
  for (const raw of parts) {
    const p = cleanName(raw);
    if (!p) continue;
    if (SUFFIX.test(p) && names.length) names[names.length - 1] += ` ${p}`;
    else names.push(p);
  }
  return { names, etAl };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month number (1–12) from a name or abbreviation (`Sep`, `sept`, `September`), or undefined. */
export function monthNumber(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i >= 0 ? i + 1 : undefined;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A valid YYYY-MM-DD from parts, or undefined (Feb 30 is not a day). */
export function dayFromParts(year: number, month: number, day: number): string | undefined {
  if (!(year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31)) return undefined;
  const iso = `${year}-${pad2(month)}-${pad2(day)}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/**
 * The UTC day of a date as sources print it: ISO (`2025-10-06`,
 * `2025-10-06T17:59:59.000Z`) or RFC 2822 (`Mon, 2 Apr 2007 19:18:42 GMT`).
 */
export function toDay(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  const s = String(input).trim();
  if (!s) return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  // The day as the source wrote it: arXiv's `2003-07-07T23:46:39-04:00` is its
  // July 7th, whatever day that instant is in UTC.
  if (iso) return dayFromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (/^\d{4}$/.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

/**
 * True when an abstract ends the way a finished text does: with sentence
 * punctuation (perhaps inside quotes or brackets) or a link. A snippet cut by
 * a web page's layout ends mid-word or with an ellipsis.
 */
export function endsLikeSentence(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  if (/(?:\.\.\.|…)$/.test(t)) return false;
  if (/[.!?]["'”’)\]}]*$/.test(t)) return true;
  const last = t.slice(t.lastIndexOf(' ') + 1);
  return /:\/\/|^www\.|\b[\w-]+\.(?:com|org|io|net|ai|edu)\//i.test(last);
}

/** A positive integer from a number or numeric string, else undefined. */
export function toCount(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Non-empty trimmed string, else undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s ? s : undefined;
}
