function lineEnd(text: Buffer, from: number): number {
  const nl = text.indexOf(10, from);
  return nl < 0 ? text.length : nl;
}

/** What the feature space and the sparse index need of a table of names: a Map or a TermNames. */
export interface NameTable extends Iterable<[number, string]> {
  readonly size: number;
  has(id: number): boolean;
  get(id: number): string | undefined;
  set(id: number, term: string): unknown;
  /** The named ids, without building their names. */
  keys(): Iterable<number>;
}

/**
 * Readable names of sparse features (id → first term seen), kept off the JS
 * heap: the stored `id\tterm\n` text stays one Buffer, with a sorted Int32Array
 * of ids and the offsets of each term in it. A Map of the same 800,000 names
 * (74,728 papers; up to 2^21 at a million) costs about 90 MB of heap; this
 * costs the text plus 12 bytes a name. Names added since the load (a refresh
 * naming new features) sit in a small Map until the next save.
 *
 * Implements the part of Map the sparse index and the feature space use.
 */
export class TermNames implements NameTable {
  private readonly ids: Int32Array;
  /** Start and end of each name in `text`, by position in `ids`. */
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly added = new Map<number, string>();

  constructor(private readonly text: Buffer = Buffer.alloc(0)) {
    // Two passes over the text into typed arrays: no object per name, even while loading.
    let n = 0;
    for (let pos = 0; pos < text.length; ) {
      const nl = lineEnd(text, pos);
      const tab = text.indexOf(9, pos);
      if (tab > pos && tab < nl) n++;
      pos = nl + 1;
    }
    const ids = new Int32Array(n);
    const starts = new Uint32Array(n);
    const ends = new Uint32Array(n);
    let k = 0;
    for (let pos = 0; pos < text.length; ) {
      const nl = lineEnd(text, pos);
      const tab = text.indexOf(9, pos);
      if (tab > pos && tab < nl) {
        ids[k] = Number(text.toString('latin1', pos, tab));
        starts[k] = tab + 1;
        ends[k++] = nl;
      }
      pos = nl + 1;
    }
    const order = new Uint32Array(n).map((_, i) => i).sort((a, b) => ids[a] - ids[b]);
    this.ids = ids.map((_, i) => ids[order[i]]);
    this.starts = starts.map((_, i) => starts[order[i]]);
    this.ends = ends.map((_, i) => ends[order[i]]);
  }

  private find(id: number): number {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get size(): number {
    return this.ids.length + this.added.size;
  }

  has(id: number): boolean {
    return this.added.has(id) || this.find(id) >= 0;
  }

  get(id: number): string | undefined {
    const extra = this.added.get(id);
    if (extra !== undefined) return extra;
    const i = this.find(id);
    return i < 0 ? undefined : this.text.toString('utf8', this.starts[i], this.ends[i]);
  }

  /** A name for an id already named replaces it only among the added ones; features keep their first name. */
  set(id: number, term: string): this {
    if (this.find(id) < 0) this.added.set(id, term);
    return this;
  }

  *keys(): IterableIterator<number> {
    yield* this.ids;
    yield* this.added.keys();
  }

  *[Symbol.iterator](): IterableIterator<[number, string]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i], this.text.toString('utf8', this.starts[i], this.ends[i])];
    yield* this.added;
  }
}
