/**
 * Reading a benchmark in the BEIR layout: `corpus.jsonl` (`_id`, `title`,
 * `text`), `queries.jsonl` (`_id`, `text`), `qrels/test.tsv` (`query-id`,
 * `corpus-id`, `score`, with a header line). Errors name the file, the line and
 * what is wrong; a bad line stops the evaluation (a benchmark read partially
 * would give figures that look valid and are not).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Judgments } from './metrics.ts';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
  /** Line in corpus.jsonl (1-based). */
  line: number;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirData {
  dir: string;
  /** Absent when the corpus comes from elsewhere (`radar eval beir --import`). */
  corpus?: BeirDoc[];
  queries: BeirQuery[];
  qrels: Map<string, Map<string, number>>;
}

export class BeirFormatError extends Error {}

function readText(path: string): string {
  const buf = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

function* jsonLines(path: string): Generator<{ obj: Record<string, unknown>; line: number }> {
  const lines = readText(path).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      throw new BeirFormatError(`${path}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new BeirFormatError(`${path}:${i + 1}: expected a JSON object`);
    yield { obj: obj as Record<string, unknown>, line: i + 1 };
  }
}

function idOf(obj: Record<string, unknown>, path: string, line: number): string {
  const id = obj._id;
  if ((typeof id !== 'string' || !id) && typeof id !== 'number') throw new BeirFormatError(`${path}:${line}: field "_id" is missing or not a string`);
  return String(id);
}

function optionalFile(dir: string, name: string): string | undefined {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  return undefined;
}

export function readQrels(path: string): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  const lines = readText(path).split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const cells = line.split('\t');
    if (i === 0 && !/^-?\d+(\.\d+)?$/.test(cells[2] ?? '')) return; // header
    if (cells.length < 3) throw new BeirFormatError(`${path}:${i + 1}: expected query-id, corpus-id and score separated by tabs`);
    const score = Number(cells[2]);
    if (!Number.isFinite(score)) throw new BeirFormatError(`${path}:${i + 1}: score "${cells[2]}" is not a number`);
    const [q, c] = cells;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(c, score);
  });
  return qrels;
}

/** Reads a BEIR directory; `needCorpus: false` when the corpus is imported from other files. */
export function readBeir(dir: string, opts: { needCorpus?: boolean } = {}): BeirData {
  const queriesPath = optionalFile(dir, 'queries.jsonl');
  const qrelsPath = [join(dir, 'qrels', 'test.tsv'), join(dir, 'qrels', 'test.tsv.gz')].find((p) => existsSync(p));
  const corpusPath = optionalFile(dir, 'corpus.jsonl');
  const missing = [!queriesPath && 'queries.jsonl', !qrelsPath && 'qrels/test.tsv', opts.needCorpus !== false && !corpusPath && 'corpus.jsonl'].filter(Boolean);
  if (missing.length) throw new BeirFormatError(`${dir}: not a BEIR directory (missing ${missing.join(', ')})`);

  let corpus: BeirDoc[] | undefined;
  if (corpusPath) {
    corpus = [];
    const seen = new Set<string>();
    for (const { obj, line } of jsonLines(corpusPath)) {
      const id = idOf(obj, corpusPath, line);
      if (seen.has(id)) throw new BeirFormatError(`${corpusPath}:${line}: _id "${id}" appears twice`);
      seen.add(id);
      corpus.push({ id, title: typeof obj.title === 'string' ? obj.title : '', text: typeof obj.text === 'string' ? obj.text : '', line });
    }
  }
  const queries: BeirQuery[] = [];
  for (const { obj, line } of jsonLines(queriesPath!)) {
    if (typeof obj.text !== 'string' || !obj.text.trim()) throw new BeirFormatError(`${queriesPath}:${line}: field "text" is missing or empty`);
    queries.push({ id: idOf(obj, queriesPath!, line), text: obj.text });
  }
  return { dir, corpus, queries, qrels: readQrels(qrelsPath!) as Map<string, Map<string, number>> };
}

export type { Judgments };
