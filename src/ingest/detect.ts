/**
 * Which format an input is in, from its content first (gzip magic, XML root
 * and namespaces, JSON shape and keys, `@article{`, listing features) and
 * from its name only where the content leaves a choice.
 */
import { classifyLine, isProse } from './listing/lines.ts';
import type { InputFormat } from './types.ts';

export type DetectedFormat = InputFormat | 'gzip';

const GZIP_MAGIC = '\x1f\x8b';

function extension(name: string): string {
  const base = name.toLowerCase().replace(/[?#].*$/, '').replace(/\.gz$/, '');
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot + 1) : '';
}

function xmlRoot(head: string): string | undefined {
  const re = /<([A-Za-z_][\w.:-]*)/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const before = head.slice(Math.max(0, m.index - 1), m.index + 2);
    if (before.startsWith('<?') || before.startsWith('<!')) continue;
    return m[1];
  }
  return undefined;
}

/** Keys that appear in the head of a JSON text (`"name":`). */
function jsonKeys(head: string): Set<string> {
  const keys = new Set<string>();
  const re = /"([A-Za-z_][\w-]*)"\s*:/g;
  for (let m = re.exec(head); m; m = re.exec(head)) keys.add(m[1]);
  return keys;
}

function isKaggle(keys: Set<string>): boolean {
  return keys.has('authors_parsed') || (keys.has('submitter') && keys.has('versions')) || (keys.has('journal-ref') && keys.has('update_date'));
}

function isHf(keys: Set<string>, head: string): boolean {
  return keys.has('submittedOnDailyAt') || (keys.has('paper') && /"paper"\s*:\s*\{/.test(head)) || keys.has('ai_keywords');
}

function isCsl(keys: Set<string>): boolean {
  return keys.has('container-title') || keys.has('date-parts') || keys.has('issued') || (keys.has('family') && keys.has('type'));
}

function detectJson(head: string, ext: string, name: string): InputFormat {
  const keys = jsonKeys(head);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) {
    // JSON Lines when any of the first complete lines is a whole object (or
    // there is no line break in the head: one line longer than the head).
    const nl = trimmed.lastIndexOf('\n');
    const complete = nl < 0 ? [] : trimmed.slice(0, nl).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 5);
    const oneLine =
      nl < 0 ||
      complete.some((l) => {
        try {
          return l.startsWith('{') && typeof JSON.parse(l) === 'object';
        } catch {
          return false;
        }
      });
    if (oneLine) return isKaggle(keys) ? 'kaggle' : 'jsonl';
    if (/"items"\s*:\s*\[/.test(head) && isCsl(keys)) return 'csl-json';
    if (isHf(keys, head)) return 'hf-daily';
    return 'json';
  }
  if (isHf(keys, head)) return 'hf-daily';
  if (isCsl(keys)) return 'csl-json';
  // The snapshot's objects in an array keep the snapshot's field mapping
  // (authors_parsed, versions with dates, submitter), which generic JSON lacks.
  if (isKaggle(keys)) return 'kaggle';
  // An empty or uninformative array: the name decides.
  if (/csl/i.test(name)) return 'csl-json';
  if (/daily|hf|hugging/i.test(name)) return 'hf-daily';
  return ext === 'jsonl' || ext === 'ndjson' ? 'jsonl' : 'json';
}

/** Listing features: page furniture, `N authors`, category+date lines, `Abstract:`, title/abstract pairs. */
function looksLikeListing(head: string, ext: string): boolean {
  const lines = head.split(/\r\n|\r|\n/).slice(0, 400);
  let prose = 0;
  let shortBeforeProse = 0;
  let prevShort = false;
  for (const raw of lines) {
    const l = classifyLine(raw);
    if (l.kind === 'blank') continue;
    if (l.kind === 'authorCount' || l.kind === 'categoryDate' || l.kind === 'abstract') return true;
    if (l.kind === 'chrome' && l.pageStart) return true;
    if (l.kind === 'text') {
      const p = isProse(l.text);
      if (p) {
        prose++;
        if (prevShort) shortBeforeProse++;
      }
      prevShort = !p && l.text.length < 400;
    } else prevShort = false;
  }
  if (shortBeforeProse >= 2) return true;
  return (ext === 'txt' || ext === 'text' || ext === 'md') && prose >= 1;
}

/**
 * The format of an input from its first bytes as text (`head`, a few tens of
 * KB; decoded as Latin-1 is fine for the gzip check) and its name. Returns
 * `gzip` for compressed input (decompress and ask again), undefined when
 * nothing fits.
 */
export function detectFormat(head: string, name: string): DetectedFormat | undefined {
  if (head.startsWith(GZIP_MAGIC)) return 'gzip';
  const ext = extension(name);
  const text = head.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const root = xmlRoot(trimmed);
    const local = root?.replace(/^.*:/, '');
    if (local === 'feed' && /http:\/\/www\.w3\.org\/2005\/Atom/.test(trimmed)) return 'arxiv-atom';
    if (local === 'OAI-PMH') return 'oai-pmh';
    return undefined;
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectJson(trimmed, ext, name);
  if (/^\s*@[A-Za-z]+\s*[{(]/m.test(text)) return 'bibtex';
  if (looksLikeListing(text, ext)) return 'listing';
  return undefined;
}

/** A sentence on why an input matched no format, for the error message. */
export function unknownFormatReason(head: string, name: string): string {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (/^<(?:!doctype html|html)/i.test(t)) {
    return 'this is an HTML page; save or copy the page as text (or use the site\'s API/export) and import that';
  }
  if (t.startsWith('<')) {
    const root = xmlRoot(t) ?? '?';
    return `XML with root <${root}> is not a format Paper Radar reads (arXiv API Atom feeds and OAI-PMH responses are)`;
  }
  return (
    `could not tell what format ${name} is in; Paper Radar reads arXiv API (Atom) and OAI-PMH XML, ` +
    'the Kaggle arXiv snapshot and other JSON Lines, Hugging Face Daily Papers JSON, BibTeX, CSL-JSON, and pasted listing text'
  );
}
