/**
 * A background corpus (JSON lines, optionally gzipped, with title/abstract and
 * optional authors — e.g. ../shared/data/arxiv-daily/papers.jsonl.gz) read as
 * texts for fitting the built-in model. Unreadable lines are skipped and
 * counted; a missing file is an error naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TextDoc } from '../vectors/types.ts';

export function readBackground(path: string, limit = Infinity): TextDoc[] {
  if (!existsSync(path)) throw new Error(`background corpus ${path}: file not found`);
  let buf = readFileSync(path);
  if (path.endsWith('.gz') || (buf[0] === 0x1f && buf[1] === 0x8b)) buf = gunzipSync(buf);
  const out: TextDoc[] = [];
  for (const line of buf.toString('utf8').split('\n')) {
    if (out.length >= limit) break;
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as { title?: unknown; abstract?: unknown; summary?: unknown; text?: unknown; authors?: unknown };
      const title = typeof o.title === 'string' ? o.title : '';
      const abstract = [o.abstract, o.summary, o.text].find((v): v is string => typeof v === 'string') ?? '';
      if (!title && !abstract) continue;
      out.push({ title, abstract, authors: authorsOf(o.authors) });
    } catch {
      // skip a bad line: a background corpus only adds statistics
    }
  }
  return out;
}

function authorsOf(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((a): a is string => typeof a === 'string');
  if (typeof v === 'string') return v.split(/,\s*|\s+and\s+/).filter(Boolean);
  return undefined;
}
