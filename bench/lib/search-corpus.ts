/**
 * A corpus for search benchmarks: the real arXiv-daily papers (../shared/data)
 * first, then synthetic papers whose text is sampled from a word-bigram model
 * of the real titles and abstracts, so term frequencies, co-occurrences and
 * lengths look like arXiv's. (Written for the search bench; the importer's
 * bench/lib/synthetic.ts did not exist yet when this was needed.)
 *
 * Bigram sampling without a bigram table: the real token stream is kept as one
 * Int32Array plus, per word, the positions where it occurs; the word after `w`
 * is the token following a random occurrence of `w`. Memory is two arrays the
 * size of the corpus, and each generated word costs O(1).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { PaperRecord } from '../../src/paper/types.ts';
import { mulberry32 } from '../../src/text/random.ts';

export interface RealPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  announced?: string;
}

/** Streams the arxiv-daily JSON Lines file (gzipped), up to `limit` papers. */
export async function readArxivDaily(path: string, limit = Infinity): Promise<RealPaper[]> {
  const out: RealPaper[] = [];
  if (!existsSync(path)) return out;
  const rl = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (out.length >= limit) break;
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    out.push({
      id: String(o.id),
      title: String(o.title ?? '').replace(/\s+/g, ' ').trim(),
      abstract: String(o.abstract ?? '').replace(/\s+/g, ' ').trim(),
      authors: Array.isArray(o.authors) ? o.authors.map(String) : [],
      categories: Array.isArray(o.categories) ? o.categories.map(String) : [],
      announced: typeof o.announced === 'string' ? o.announced : undefined,
    });
  }
  rl.close();
  return out;
}

const END = 0; // token id that ends a text

/** Word-bigram model over whitespace tokens (punctuation stays attached, as in real text). */
export class BigramModel {
  private readonly vocab: string[] = ['<end>'];
  private readonly tokens: Int32Array;
  /** Positions (into `tokens`) of each word's occurrences, grouped by word: `pos[start[w]..start[w+1])`. */
  private readonly pos: Int32Array;
  private readonly start: Int32Array;
  private readonly firsts: Int32Array;
  private readonly lengths: Int32Array;

  constructor(texts: string[]) {
    const ids = new Map<string, number>();
    const stream: number[] = [];
    const firsts: number[] = [];
    const lengths: number[] = [];
    for (const t of texts) {
      const words = t.split(/\s+/).filter(Boolean);
      if (!words.length) continue;
      lengths.push(words.length);
      firsts.push(stream.length);
      for (const w of words) {
        let id = ids.get(w);
        if (id === undefined) {
          id = this.vocab.length;
          this.vocab.push(w);
          ids.set(w, id);
        }
        stream.push(id);
      }
      stream.push(END);
    }
    this.tokens = Int32Array.from(stream);
    this.firsts = Int32Array.from(firsts);
    this.lengths = Int32Array.from(lengths);
    const counts = new Int32Array(this.vocab.length + 1);
    for (const id of this.tokens) counts[id + 1]++;
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.start = counts.slice();
    const fill = counts.slice();
    this.pos = new Int32Array(this.tokens.length);
    for (let p = 0; p < this.tokens.length; p++) this.pos[fill[this.tokens[p]]++] = p;
  }

  /** A text of about a real text's length (sampled from the real lengths). */
  generate(rand: () => number): string {
    const target = this.lengths[Math.floor(rand() * this.lengths.length)];
    let p = this.firsts[Math.floor(rand() * this.firsts.length)];
    const out: string[] = [];
    for (let guard = 0; out.length < target && guard < target * 4; guard++) {
      const id = this.tokens[p];
      if (id === END) {
        // Text ended early: continue from another text's opening.
        p = this.firsts[Math.floor(rand() * this.firsts.length)];
        continue;
      }
      out.push(this.vocab[id]);
      // Next: the token after a random occurrence of this word.
      const from = this.start[id];
      const n = this.start[id + 1] - from;
      p = this.pos[from + Math.floor(rand() * n)] + 1;
    }
    return out.join(' ');
  }
}

export interface SyntheticSource {
  titles: BigramModel;
  abstracts: BigramModel;
  authors: string[];
  categoryLists: string[][];
}

export function syntheticSource(real: RealPaper[]): SyntheticSource {
  return {
    titles: new BigramModel(real.map((p) => p.title)),
    abstracts: new BigramModel(real.map((p) => p.abstract)),
    authors: [...new Set(real.flatMap((p) => p.authors))],
    categoryLists: real.map((p) => p.categories).filter((c) => c.length > 0),
  };
}

const SEEN_AT = '2026-07-01T00:00:00Z';

export function realRecord(p: RealPaper): PaperRecord {
  return {
    arxivId: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    announced: p.announced,
    source: { kind: 'jsonl', locator: `arxiv-daily:${p.id}`, seenAt: SEEN_AT },
  };
}

/**
 * Synthetic paper number `i` (deterministic for a seed). Dates spread over
 * 2010-2026 with more papers in later years (as arXiv grows), so year and
 * date filters select realistic fractions; about one paper in eight has
 * Hugging-Face-style upvotes from a heavy-tailed distribution.
 */
export function syntheticRecord(src: SyntheticSource, i: number, seed = 7): PaperRecord {
  const rand = mulberry32(seed * 1_000_003 + i);
  const nAuthors = 1 + Math.floor(-Math.log(1 - rand()) * 4);
  const authors: string[] = [];
  for (let a = 0; a < Math.min(nAuthors, 40); a++) authors.push(src.authors[Math.floor(rand() * src.authors.length)]);
  const year = 2026 - Math.floor(Math.pow(rand(), 1.6) * 17);
  const month = 1 + Math.floor(rand() * (year === 2026 ? 6 : 12));
  const day = 1 + Math.floor(rand() * 28);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const upvotes = rand() < 0.125 ? Math.floor(Math.pow(rand(), 3) * 300) : undefined;
  return {
    // A DOI under a prefix no registrant has, so synthetic papers never collide with real ones.
    doi: `10.99999/synthetic.${i}`,
    title: src.titles.generate(rand),
    abstract: src.abstracts.generate(rand),
    authors: [...new Set(authors)],
    categories: src.categoryLists[Math.floor(rand() * src.categoryLists.length)],
    announced: date,
    signals: upvotes !== undefined ? { upvotes } : undefined,
    source: { kind: 'jsonl', locator: `synthetic:${i}`, seenAt: SEEN_AT },
  };
}
