/**
 * Postings of our own for the common words, and the exact BM25F top-k of a
 * conjunctive word query computed from them (pure; the SQLite side is
 * ../sqlite/search-postings.ts).
 *
 * A list holds, for each paper containing the word, its number (pk) and the
 * word's count in each scored column (title, abstract, authors); the papers'
 * column lengths are kept once, beside the lists. With the corpus averages
 * read when the query runs, that is everything `radar_bm25f`
 * (native/radar_fts.c) reads, and `bm25fScore` repeats its arithmetic
 * operation for operation, so a score here is the same double the SQL
 * ranking computes and the top-k (ties broken by pk, as there) is the same
 * list. What FTS5 costs per matching row (doclist decoding, an auxiliary
 * function call, a docsize lookup) becomes a few typed-array reads.
 *
 * Encoding of a list: per posting, the pk gap as a LEB128 varint, then one
 * byte `title | authors << 2 | abstract << 3` when title < 4, authors < 2 and
 * abstract < 31, else the byte 0xF8 (abstract field 31) followed by the three
 * counts as varints.
 */

export interface Postings {
  pks: Uint32Array;
  /** Counts per posting in the title, abstract and authors columns. */
  tf: [Uint16Array, Uint16Array, Uint16Array];
}

const ESCAPE = 31 << 3;

function putVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Encodes postings sorted by pk (ascending, distinct). Counts must be below 65,536. */
export function encodePostings(pks: ArrayLike<number>, tf: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>]): Uint8Array {
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < pks.length; i++) {
    const pk = pks[i];
    if (pk <= last && i > 0) throw new Error(`postings out of order at ${i}: ${pk} after ${last}`);
    putVarint(out, pk - last);
    last = pk;
    const [t, a, u] = [tf[0][i], tf[1][i], tf[2][i]];
    if (t > 0xffff || a > 0xffff || u > 0xffff) throw new Error(`count above 65535 for pk ${pk}`);
    if (t < 4 && u < 2 && a < 31) out.push(t | (u << 2) | (a << 3));
    else {
      out.push(ESCAPE);
      putVarint(out, t);
      putVarint(out, a);
      putVarint(out, u);
    }
  }
  return Uint8Array.from(out);
}

export function decodePostings(buf: Uint8Array, count: number): Postings {
  const pks = new Uint32Array(count);
  const t = new Uint16Array(count);
  const a = new Uint16Array(count);
  const u = new Uint16Array(count);
  let at = 0;
  let pk = 0;
  // Varints inlined: decoding is what a list costs the first time a query needs it.
  for (let i = 0; i < count; i++) {
    let b = buf[at++];
    if (b < 0x80) pk += b;
    else {
      let v = b & 0x7f;
      let mul = 128;
      for (;;) {
        b = buf[at++];
        v += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 128;
      }
      pk += v;
    }
    pks[i] = pk;
    const code = buf[at++];
    if (code !== ESCAPE) {
      t[i] = code & 3;
      u[i] = (code >> 2) & 1;
      a[i] = code >> 3;
      continue;
    }
    const counts = [0, 0, 0];
    for (let c = 0; c < 3; c++) {
      let v = 0;
      let mul = 1;
      for (;;) {
        b = buf[at++];
        v += (b & 0x7f) * mul;
        if (b < 0x80) break;
        mul *= 128;
      }
      counts[c] = v;
    }
    t[i] = counts[0];
    a[i] = counts[1];
    u[i] = counts[2];
  }
  if (at !== buf.length) throw new Error(`postings blob holds ${buf.length} bytes, ${count} postings end at ${at}`);
  return { pks, tf: [t, a, u] };
}

/** Column lengths (title, abstract, authors) of papers 0..n-1; undefined entries are papers the lengths do not cover. */
export interface Lengths {
  title: Uint32Array;
  abstract: Uint32Array;
  authors: Uint32Array;
}

export interface Bm25fParams {
  k1: number;
  /** Weights of title, abstract, authors. */
  weights: [number, number, number];
  b: [number, number, number];
  /** Average length of each column now (FTS5's totals / rows; 1 when either is 0), as `radar_bm25f` takes them. */
  avg: [number, number, number];
}

/**
 * `radar_bm25f` for one paper, in its order of operations: per column
 * `norm = w / (1 - b + b * len / avg)`, per phrase `tf` the sum of `norm` once
 * per hit (columns in order), `score += idf * tf * (k1 + 1) / (tf + k1)`.
 * `tfs[p][c]` is phrase p's hits in column c.
 */
export function bm25fScore(p: Bm25fParams, len: [number, number, number], tfs: ArrayLike<number>[], idfs: ArrayLike<number>): number {
  const norm = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const w = p.weights[c];
    norm[c] = w === 0 ? 0 : w / (1.0 - p.b[c] + (p.b[c] * len[c]) / p.avg[c]);
  }
  let score = 0;
  for (let q = 0; q < tfs.length; q++) {
    const idf = idfs[q];
    if (idf === 0) continue;
    let tf = 0;
    for (let c = 0; c < 3; c++) for (let i = 0; i < tfs[q][c]; i++) tf += norm[c];
    if (tf > 0) score += (idf * tf * (p.k1 + 1.0)) / (tf + p.k1);
  }
  return score;
}

export interface ScoredPk {
  pk: number;
  s: number;
}

/** Better first: higher score, then higher pk (the SQL ranking's `ORDER BY s DESC, rowid DESC`). */
export const betterFirst = (a: ScoredPk, b: ScoredPk): number => b.s - a.s || b.pk - a.pk;

/** A bounded min-heap of the best `k` rows seen. */
class TopK {
  private readonly rows: ScoredPk[] = [];
  constructor(private readonly k: number) {}
  /** The worst kept row's score when full (a row must beat it), else -Infinity. */
  get bar(): number {
    return this.rows.length < this.k ? -Infinity : this.rows[0].s;
  }
  private worse(i: number, j: number): boolean {
    return betterFirst(this.rows[i], this.rows[j]) > 0;
  }
  push(r: ScoredPk): void {
    if (this.k <= 0) return;
    const h = this.rows;
    if (h.length < this.k) {
      h.push(r);
      for (let i = h.length - 1; i > 0; ) {
        const up = (i - 1) >> 1;
        if (!this.worse(i, up)) break;
        [h[i], h[up]] = [h[up], h[i]];
        i = up;
      }
      return;
    }
    if (betterFirst(r, h[0]) >= 0) return;
    h[0] = r;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const rr = l + 1;
      let m = i;
      if (l < h.length && this.worse(l, m)) m = l;
      if (rr < h.length && this.worse(rr, m)) m = rr;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  sorted(): ScoredPk[] {
    return [...this.rows].sort(betterFirst);
  }
}

/** Upper bounds of every paper's score per block of pks (`pk >> shift`), as ./topk.ts `blockBounds` gives them. */
export interface BlockBounds {
  bounds: Float64Array;
  shift: number;
}

function lowerBound(arr: Uint32Array, x: number, from = 0, to = arr.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Papers holding every list's word, `skip` excluded. */
export function countConjunctive(lists: Postings[], skip: Set<number> = new Set()): number {
  if (!lists.length) return 0;
  const order = [...lists].sort((a, b) => a.pks.length - b.pks.length);
  const lead = order[0].pks;
  const at = order.map(() => 0);
  let n = 0;
  outer: for (let i = 0; i < lead.length; i++) {
    const pk = lead[i];
    for (let o = 1; o < order.length; o++) {
      const arr = order[o].pks;
      let j = at[o];
      if (j < arr.length && arr[j] < pk) {
        let step = 1;
        let hi = j + 1;
        while (hi < arr.length && arr[hi] < pk) {
          j = hi;
          step *= 2;
          hi = j + step;
        }
        j = lowerBound(arr, pk, j + 1, Math.min(hi, arr.length));
        at[o] = j;
      }
      if (j >= arr.length) break outer;
      if (arr[j] !== pk) continue outer;
    }
    if (skip.size && skip.has(pk)) continue;
    n++;
  }
  return n;
}

export interface ConjunctiveResult {
  /** The best `want`, best first. */
  rows: ScoredPk[];
  /** Papers containing every word (skipped ones excluded). */
  matches: number;
}

/**
 * The exact top `want` of the papers holding every list's word, scored as
 * BM25F over `phrases` (each phrase one list, by index: the same list may
 * serve several phrases), skipping papers in `skip`. Lists are intersected
 * by walking the shortest and galloping through the others.
 */
export function conjunctiveTopK(
  lists: Postings[],
  phrases: { list: number; idf: number }[],
  lengths: Lengths,
  p: Bm25fParams,
  want: number,
  skip: Set<number> = new Set(),
  blocks?: BlockBounds,
): ConjunctiveResult {
  const top = new TopK(want);
  if (!lists.length) return { rows: [], matches: 0 };
  if (blocks) {
    // Blocks best bound first; once the next bound is below the want-th score, nothing left can enter.
    const { bounds, shift } = blocks;
    const order = Array.from(bounds.keys())
      .filter((b) => bounds[b] > 0)
      .sort((a, b) => bounds[b] - bounds[a] || b - a);
    for (const b of order) {
      if (bounds[b] < top.bar) break;
      scoreRange(lists, phrases, lengths, p, top, skip, b << shift, (b + 1) << shift);
    }
    return { rows: top.sorted(), matches: countConjunctive(lists, skip) };
  }
  const matches = scoreRange(lists, phrases, lengths, p, top, skip, 0, Infinity);
  return { rows: top.sorted(), matches };
}

/** Scores the papers with lo ≤ pk < hi holding every list's word into `top`; returns how many there were. */
function scoreRange(
  lists: Postings[],
  phrases: { list: number; idf: number }[],
  lengths: Lengths,
  p: Bm25fParams,
  top: TopK,
  skip: Set<number>,
  lo: number,
  hi: number,
): number {
  const order = lists.map((_, i) => i).sort((a, b) => lists[a].pks.length - lists[b].pks.length);
  const lead = lists[order[0]];
  const others = order.slice(1);
  const at = lists.map((l) => (lo > 0 ? lowerBound(l.pks, lo) : 0));
  const end = hi === Infinity ? lead.pks.length : lowerBound(lead.pks, hi, at[order[0]]);
  const pos = new Int32Array(lists.length);
  const nq = phrases.length;
  const idfs = Float64Array.from(phrases.map((ph) => ph.idf));
  const lt = phrases.map((ph) => lists[ph.list].tf[0]);
  const la = phrases.map((ph) => lists[ph.list].tf[1]);
  const lu = phrases.map((ph) => lists[ph.list].tf[2]);
  const li = Int32Array.from(phrases.map((ph) => ph.list));
  const [w0, w1, w2] = p.weights;
  const [b0, b1, b2] = p.b;
  const [a0, a1, a2] = p.avg;
  const k1 = p.k1;
  const { title, abstract, authors } = lengths;
  const checkSkip = skip.size > 0;
  let matches = 0;
  let bar = top.bar;
  outer: for (let i = at[order[0]]; i < end; i++) {
    const pk = lead.pks[i];
    pos[order[0]] = i;
    for (const o of others) {
      const arr = lists[o].pks;
      let j = at[o];
      if (j >= arr.length) break outer;
      if (arr[j] < pk) {
        // Gallop, then binary search the bracket.
        let step = 1;
        let hi = j + 1;
        while (hi < arr.length && arr[hi] < pk) {
          j = hi;
          step *= 2;
          hi = j + step;
        }
        hi = Math.min(hi, arr.length);
        let lo = j + 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (arr[mid] < pk) lo = mid + 1;
          else hi = mid;
        }
        j = lo;
        at[o] = j;
        if (j >= arr.length) break outer;
      }
      if (arr[j] !== pk) continue outer;
      pos[o] = j;
    }
    if (checkSkip && skip.has(pk)) continue;
    matches++;
    // bm25fScore inlined (same operations, same order): this loop is the query's cost.
    const n0 = w0 === 0 ? 0 : w0 / (1.0 - b0 + (b0 * title[pk]) / a0);
    const n1 = w1 === 0 ? 0 : w1 / (1.0 - b1 + (b1 * abstract[pk]) / a1);
    const n2 = w2 === 0 ? 0 : w2 / (1.0 - b2 + (b2 * authors[pk]) / a2);
    let s = 0;
    for (let q = 0; q < nq; q++) {
      const idf = idfs[q];
      if (idf === 0) continue;
      const k = pos[li[q]];
      let tf = 0;
      for (let x = lt[q][k]; x > 0; x--) tf += n0;
      for (let x = la[q][k]; x > 0; x--) tf += n1;
      for (let x = lu[q][k]; x > 0; x--) tf += n2;
      if (tf > 0) s += (idf * tf * (k1 + 1.0)) / (tf + k1);
    }
    if (s >= bar) {
      top.push({ pk, s });
      bar = top.bar;
    }
  }
  return matches;
}
