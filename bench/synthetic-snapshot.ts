/**
 * A synthetic Kaggle/Cornell arXiv snapshot for import benchmarks: the same
 * JSON Lines shape and field set, with text generated from statistics of real
 * abstracts (a word bigram model of arxiv-daily titles and abstracts, their
 * length distributions, real author names recombined, real category lists).
 * The text reads like word salad but has realistic word frequencies and
 * lengths, which is what tokenising, folding and full-text indexing cost
 * depends on. Never committed: generated into a temp dir by bench/import.ts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { mulberry32 } from '../src/text/random.ts';

class Bigrams {
  private readonly next = new Map<string, string[]>();
  readonly starts: string[] = [];

  add(words: string[]): void {
    if (words.length === 0) return;
    this.starts.push(words[0]);
    for (let i = 0; i < words.length - 1; i++) {
      let list = this.next.get(words[i]);
      if (!list) this.next.set(words[i], (list = []));
      list.push(words[i + 1]);
    }
  }

  generate(length: number, rand: () => number): string {
    const out: string[] = [];
    let w = this.starts[Math.floor(rand() * this.starts.length)];
    for (let i = 0; i < length; i++) {
      out.push(w);
      const list = this.next.get(w);
      w = list?.length ? list[Math.floor(rand() * list.length)] : this.starts[Math.floor(rand() * this.starts.length)];
    }
    return out.join(' ');
  }
}

export interface TextModel {
  papers: number;
  titles: Bigrams;
  abstracts: Bigrams;
  titleLengths: number[];
  abstractLengths: number[];
  authorCounts: number[];
  firstNames: string[];
  lastNames: string[];
  categoryLists: string[][];
}

/** Learns the model from the first `limit` papers of a (gzipped) JSON Lines file with title/abstract/authors/categories. */
export async function learnModel(path: string, limit: number): Promise<TextModel> {
  const model: TextModel = {
    papers: 0,
    titles: new Bigrams(),
    abstracts: new Bigrams(),
    titleLengths: [],
    abstractLengths: [],
    authorCounts: [],
    firstNames: [],
    lastNames: [],
    categoryLists: [],
  };
  const input = createReadStream(path);
  const rl = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const p = JSON.parse(line) as { title: string; abstract: string; authors: string[]; categories: string[] };
    const t = p.title.split(/\s+/).filter(Boolean);
    const a = p.abstract.split(/\s+/).filter(Boolean);
    model.titles.add(t);
    model.abstracts.add(a);
    model.titleLengths.push(t.length);
    model.abstractLengths.push(a.length);
    model.authorCounts.push(p.authors.length);
    for (const name of p.authors) {
      const parts = name.split(' ');
      if (parts.length < 2) continue;
      model.firstNames.push(parts.slice(0, -1).join(' '));
      model.lastNames.push(parts[parts.length - 1]);
    }
    model.categoryLists.push(p.categories);
    if (++model.papers >= limit) break;
  }
  rl.close();
  input.destroy();
  return model;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfc2822(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

/** Wraps text at ~80 columns, as the snapshot's abstracts are. */
function wrap(text: string): string {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + w.length + 1 > 80) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return `  ${out.join('\n')}\n`;
}

/** One snapshot line for paper number `i` (ids are unique per `i`). */
export function syntheticPaper(model: TextModel, i: number, rand: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const month = Math.floor(i / 90_000);
  const yymm = `${String(15 + Math.floor(month / 12)).padStart(2, '0')}${String((month % 12) + 1).padStart(2, '0')}`;
  const id = `${yymm}.${String((i % 90_000) + 1).padStart(5, '0')}`;
  const nAuthors = Math.max(1, pick(model.authorCounts));
  const parsed: [string, string, string][] = [];
  for (let k = 0; k < nAuthors; k++) parsed.push([pick(model.lastNames), pick(model.firstNames), '']);
  const created = new Date(Date.UTC(2015 + Math.floor(month / 12), month % 12, 1 + Math.floor(rand() * 28), Math.floor(rand() * 24), Math.floor(rand() * 60)));
  const versions = [{ version: 'v1', created: rfc2822(created) }];
  let updated = created;
  if (rand() < 0.3) {
    updated = new Date(created.getTime() + 86_400_000 * (1 + Math.floor(rand() * 90)));
    versions.push({ version: 'v2', created: rfc2822(updated) });
  }
  return JSON.stringify({
    id,
    submitter: `${parsed[0][1]} ${parsed[0][0]}`,
    authors: parsed.map(([last, first]) => `${first} ${last}`).join(', '),
    title: model.titles.generate(Math.max(2, pick(model.titleLengths)), rand),
    comments: rand() < 0.5 ? `${5 + Math.floor(rand() * 30)} pages, ${1 + Math.floor(rand() * 12)} figures` : null,
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: pick(model.categoryLists).join(' '),
    license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
    abstract: wrap(model.abstracts.generate(Math.max(20, pick(model.abstractLengths)), rand)),
    versions,
    update_date: updated.toISOString().slice(0, 10),
    authors_parsed: parsed,
  });
}

/** Writes `lines` synthetic papers to `path`; returns the bytes written. */
export async function writeSnapshot(model: TextModel, path: string, lines: number, seed = 42): Promise<number> {
  const rand = mulberry32(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  let buf: string[] = [];
  for (let i = 0; i < lines; i++) {
    buf.push(syntheticPaper(model, i, rand));
    if (buf.length === 2000 || i === lines - 1) {
      const chunk = `${buf.join('\n')}\n`;
      bytes += Buffer.byteLength(chunk);
      buf = [];
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
