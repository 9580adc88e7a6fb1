/**
 * Corpora for the evaluations, read from JSON lines (optionally gzipped) with
 * common field names — e.g. ../shared/data/arxiv-daily/papers.jsonl.gz:
 * `readBackground` gives texts for fitting the built-in model, `readDatedCorpus`
 * papers with authors and a listing day for replaying days. Unreadable lines
 * are skipped (a corpus only adds statistics); a missing file is an error
 * naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { PaperStore } from '../store/types.ts';
import type { TextDoc } from '../vectors/types.ts';

/** A paper of a replayed corpus: its text, authors and the day it was listed. */
export interface CorpusPaper extends TextDoc {
  id: string;
  day: string;
}

function* jsonLines(path: string, what: string): Generator<Record<string, unknown>> {
  if (!existsSync(path)) throw new Error(`${what} ${path}: file not found`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz') || (buf[0] === 0x1f && buf[1] === 0x8b)) buf = gunzipSync(buf);
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      continue;
    }
    if (o && typeof o === 'object' && !Array.isArray(o)) yield o as Record<string, unknown>;
  }
}

const textOf = (o: Record<string, unknown>): TextDoc => ({
  title: typeof o.title === 'string' ? o.title : '',
  abstract: [o.abstract, o.summary, o.text].find((v): v is string => typeof v === 'string') ?? '',
  authors: authorsOf(o.authors),
});

export function readBackground(path: string, limit = Infinity): TextDoc[] {
  const out: TextDoc[] = [];
  for (const o of jsonLines(path, 'background corpus')) {
    if (out.length >= limit) break;
    const t = textOf(o);
    if (t.title || t.abstract) out.push(t);
  }
  return out;
}

/** Papers with a title, authors and a day (`announced`, `published` or `date`). */
export function readDatedCorpus(path: string, limit = Infinity): CorpusPaper[] {
  const out: CorpusPaper[] = [];
  for (const o of jsonLines(path, 'corpus')) {
    if (out.length >= limit) break;
    const day = [o.announced, o.published, o.date].find((v): v is string => typeof v === 'string');
    const t = textOf(o);
    if (!day || !t.title || !t.authors?.length) continue;
    out.push({ ...t, id: String(o.id ?? out.length), day: day.slice(0, 10) });
  }
  return out;
}

/** A store's dated papers with authors, as a replayable corpus. */
export async function corpusFromStore(papers: Pick<PaperStore, 'scanPapers'>, limit = Infinity): Promise<CorpusPaper[]> {
  const out: CorpusPaper[] = [];
  for await (const batch of papers.scanPapers(2000)) {
    for (const p of batch) {
      if (out.length >= limit) return out;
      if (p.listingDate && p.title && p.authors.length) out.push({ id: p.id, title: p.title, abstract: p.abstract ?? '', authors: p.authors, day: p.listingDate });
    }
  }
  return out;
}

function authorsOf(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((a): a is string => typeof a === 'string');
  if (typeof v === 'string') return v.split(/,\s*|\s+and\s+/).filter(Boolean);
  return undefined;
}
