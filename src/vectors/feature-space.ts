/**
 * Where a term's feature id comes from: a hash of the term (fixed-size space,
 * nothing to fit, new words need no refit — what the store-maintained
 * features use) or a vocabulary built from a corpus (exact, one id per term —
 * what a fitted in-memory model such as arxiv-sanity's recipe uses).
 */
import type { NameTable } from './term-names.ts';
import { forEachTerm, termHash, termText, type AnalyzerConfig } from './analyze.ts';
import type { TermCounts } from './term-counts.ts';
import type { TextDoc } from './types.ts';

export interface FeatureSpace {
  readonly kind: 'hashing' | 'vocabulary';
  /** Number of feature ids (ids are 0 … size-1). */
  readonly size: number;
  /** The id of a term; `-1` when a vocabulary does not know it and may not grow. */
  idOf(term: string): number;
  /** A readable term for an id, when known. */
  name(id: number): string | undefined;
}

/**
 * Hashed ids keep single words and longer terms (n-grams, author names) apart:
 * single words get even ids, the rest odd ones, so a model can read words only
 * (the built-in dense model does) and a word never collides with a bigram.
 */
export class HashedSpace implements FeatureSpace {
  readonly kind = 'hashing' as const;
  readonly size: number;
  /** Mask for the hash part (the id without its parity bit). */
  readonly mask: number;
  /** Readable terms of ids, filled by whoever owns the space (e.g. terms seen in two or more documents). */
  names: NameTable = new Map<number, string>();
  constructor(readonly bits: number) {
    if (bits < 4 || bits > 26) throw new Error(`hash bits must be 4…26, got ${bits}`);
    this.size = 2 ** bits;
    this.mask = this.size / 2 - 1;
  }
  idOf(term: string): number {
    return this.id(termHash(term), !term.includes(' ') && !term.startsWith('@'));
  }
  id(hash: number, single: boolean): number {
    return (hash & this.mask) * 2 + (single ? 0 : 1);
  }
  static isSingleWord(id: number): boolean {
    return id % 2 === 0;
  }
  name(id: number): string | undefined {
    return this.names.get(id);
  }
}

export class VocabularySpace implements FeatureSpace {
  readonly kind = 'vocabulary' as const;
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** While growing, unknown terms get new ids; once frozen they map to -1. */
  growing = true;
  get size(): number {
    return this.terms.length;
  }
  idOf(term: string): number {
    const id = this.ids.get(term);
    if (id !== undefined) return id;
    if (!this.growing) return -1;
    this.ids.set(term, this.terms.length);
    this.terms.push(term);
    return this.terms.length - 1;
  }
  name(id: number): string | undefined {
    return this.terms[id];
  }
}

/**
 * Counts a document's terms as sorted feature ids (unknown vocabulary terms are
 * dropped). `names`, when given, receives the first term seen for each id.
 */
export function countIn(space: FeatureSpace, terms: string[], names?: NameTable): TermCounts {
  const m = new Map<number, number>();
  for (const t of terms) {
    const id = space.idOf(t);
    if (id < 0) continue;
    const c = m.get(id);
    m.set(id, (c ?? 0) + 1);
    if (names && c === undefined && !names.has(id)) names.set(id, t);
  }
  return sortedCounts(m);
}

function sortedCounts(m: Map<number, number>): TermCounts {
  const ids = Uint32Array.from(m.keys()).sort();
  const counts = new Uint16Array(ids.length);
  for (let k = 0; k < ids.length; k++) counts[k] = Math.min(0xffff, m.get(ids[k])!);
  return { ids, counts };
}

/**
 * Per-document counting over a hashed space without a Map: `seen[id]` holds
 * the number of the document that last counted the id, so the first
 * occurrence in a document is one comparison, and the distinct ids are sorted
 * as a typed array at the end. Kept per space size and reused by every document.
 */
class CountScratch {
  readonly seen: Uint32Array;
  readonly count: Uint32Array;
  distinct = new Uint32Array(1024);
  n = 0;
  doc = 0;
  constructor(size: number) {
    this.seen = new Uint32Array(size);
    this.count = new Uint32Array(size);
  }
  begin(): void {
    this.n = 0;
    if (++this.doc === 0xffffffff) {
      this.seen.fill(0);
      this.doc = 1;
    }
  }
  /** Counts an id; true when it is the document's first. */
  add(id: number): boolean {
    if (this.seen[id] === this.doc) {
      this.count[id]++;
      return false;
    }
    this.seen[id] = this.doc;
    this.count[id] = 1;
    if (this.n === this.distinct.length) {
      const grown = new Uint32Array(this.n * 2);
      grown.set(this.distinct);
      this.distinct = grown;
    }
    this.distinct[this.n++] = id;
    return true;
  }
  result(): TermCounts {
    const ids = this.distinct.slice(0, this.n).sort();
    const counts = new Uint16Array(ids.length);
    for (let k = 0; k < ids.length; k++) counts[k] = Math.min(0xffff, this.count[ids[k]]);
    return { ids, counts };
  }
}

const scratches = new Map<number, CountScratch>();

/**
 * Analyses and counts a document in one pass. In a hashed space no term string
 * is built unless `names` asks for it (`wantName(id)` says which ids still need one).
 */
export function countDoc(
  space: FeatureSpace,
  doc: TextDoc,
  cfg: AnalyzerConfig,
  names?: { wantName(id: number): boolean; setName(id: number, term: string): void },
): TermCounts {
  if (space instanceof HashedSpace) {
    let sc = scratches.get(space.size);
    if (!sc) scratches.set(space.size, (sc = new CountScratch(space.size)));
    const scratch = sc;
    scratch.begin();
    const mask = space.mask;
    forEachTerm(doc, cfg, (h, single, run, at, len) => {
      const id = (h & mask) * 2 + (single ? 0 : 1);
      if (scratch.add(id) && names && names.wantName(id)) names.setName(id, termText(run, at, len));
    });
    return scratch.result();
  }
  const m = new Map<number, number>();
  forEachTerm(doc, cfg, (_h, _single, run, at, len) => {
    const id = space.idOf(termText(run, at, len));
    if (id >= 0) m.set(id, (m.get(id) ?? 0) + 1);
  });
  return sortedCounts(m);
}
