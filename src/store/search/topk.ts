/**
 * Top-k ranking that skips most of the matches, certified exact (block-max
 * pruning over ranges of paper numbers).
 *
 * A query's BM25F score is a sum over its phrases of `idf × sat(tf')`, and a
 * phrase's saturated tf' is at most that of each of its words. So if, for
 * every common word and every block of papers (pk >> shift), the highest
 * single-word impact `sat(tf')` in the block is known, no paper of block b
 * can score more than
 *
 *   bound(b) = Σ_phrases idf × min_{words} max_impact_word(b)
 *
 * Blocks are ranked exhaustively by the backend (the same scoring as a full
 * ranking, with every filter and exclusion, on a range of rowids: sequential
 * reads, no random access), best bound first. Once `want` rows are found and
 * the next block's bound is below the `want`-th score, no remaining paper can
 * enter the top `want`, ties included (they score strictly less): the answer
 * equals the exhaustive ranking's. Pure: bounds and the range ranker are
 * passed in.
 */

export interface ScoredRow {
  pk: number;
  s: number;
}

export interface BoundedPhrase {
  /** The phrase's IDF as the exact scorer uses it (0: selects only, never scores). */
  idf: number;
  /** Per word of the phrase, its highest impact in each block (0: the word is not in the block). */
  maxes: Float32Array[];
}

export interface Range {
  lo: number;
  hi: number;
}

export interface BlockTopKOptions {
  want: number;
  /** Papers per block, as a power of two. */
  shift: number;
  /**
   * Factor (≥ 1) by which impacts may have grown since the maxima were taken
   * (field-length averages that moved, field weights above the built ones).
   */
  drift?: number;
  /** Blocks to rank whatever their bound (papers changed since the build). */
  always?: Iterable<number>;
  /** Rows already ranked exactly (papers newer than the maxima). */
  seed?: ScoredRow[];
  /** Give up (undefined) after this many range queries. */
  maxRanges?: number;
}

export interface BlockTopKResult {
  rows: ScoredRow[];
  /** Range queries run and blocks they covered (for benchmarks). */
  ranges: number;
  blocks: number;
}

/** Relative margin for floating-point differences between the bound and the scorer's sums. */
const EPS = 1e-9;

/** Upper bound of every paper's score in each block. */
export function blockBounds(phrases: BoundedPhrase[], drift = 1): Float64Array {
  const n = Math.max(0, ...phrases.flatMap((p) => p.maxes.map((m) => m.length)));
  const out = new Float64Array(n);
  for (const p of phrases) {
    if (p.idf <= 0 || !p.maxes.length) continue;
    for (let b = 0; b < n; b++) {
      let m = Infinity;
      for (const x of p.maxes) m = Math.min(m, b < x.length ? x[b] : 0);
      out[b] += p.idf * m;
    }
  }
  for (let b = 0; b < n; b++) out[b] *= drift * (1 + EPS);
  return out;
}

const better = (a: ScoredRow, b: ScoredRow) => b.s - a.s || b.pk - a.pk;

/**
 * The exact top `want`, or undefined when it took more than `maxRanges` range
 * queries. `rank(range, want)` returns the best `want` rows (exact scores,
 * best first) among the papers of [lo, hi] matching the whole query.
 */
export function blockMaxTopK(phrases: BoundedPhrase[], rank: (r: Range, want: number) => ScoredRow[], opts: BlockTopKOptions): BlockTopKResult | undefined {
  const scored = phrases.filter((p) => p.idf > 0);
  if (!scored.length || scored.some((p) => !p.maxes.length)) return undefined;
  const bounds = blockBounds(scored, opts.drift);
  const size = 2 ** opts.shift;
  const visited = new Uint8Array(bounds.length);
  let rows: ScoredRow[] = [...(opts.seed ?? [])].sort(better).slice(0, opts.want);
  let ranges = 0;
  let blocks = 0;
  const run = (from: number, to: number) => {
    ranges++;
    blocks += to - from + 1;
    for (let b = from; b <= to; b++) visited[b] = 1;
    const got = rank({ lo: from * size, hi: (to + 1) * size - 1 }, opts.want);
    if (got.length) rows = [...rows, ...got].sort(better).slice(0, opts.want);
  };
  const always = [...new Set(opts.always ?? [])].filter((b) => b < bounds.length).sort((a, b) => a - b);
  for (const b of always) if (!visited[b]) run(b, b);
  const order = Array.from(bounds.keys())
    .filter((b) => bounds[b] > 0 && !visited[b])
    .sort((a, b) => bounds[b] - bounds[a] || b - a);
  for (let i = 0; i < order.length; i++) {
    const b = order[i];
    if (visited[b]) continue;
    if (rows.length >= opts.want && bounds[b] < rows[opts.want - 1].s) break;
    if (opts.maxRanges !== undefined && ranges >= opts.maxRanges) return undefined;
    // Until `want` rows set a bar, blocks go one by one (best bound first); then
    // neighbours whose bound also reaches the bar share the range query.
    let lo = b;
    let hi = b;
    if (rows.length >= opts.want) {
      const kth = rows[opts.want - 1].s;
      while (lo > 0 && !visited[lo - 1] && bounds[lo - 1] >= kth) lo--;
      while (hi + 1 < bounds.length && !visited[hi + 1] && bounds[hi + 1] >= kth) hi++;
    }
    run(lo, hi);
  }
  return { rows, ranges, blocks };
}

/** A block maximum stored as float32, rounded up so it stays an upper bound. */
export function roundUp32(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  const a = new Float32Array([f]);
  const u = new Uint32Array(a.buffer);
  u[0] += f >= 0 ? 1 : -1;
  return a[0];
}
