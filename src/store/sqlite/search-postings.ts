/**
 * The common words' postings outside FTS5 (../search/postings.ts), and the
 * block maxima (search-impacts.ts) derived from them in the same pass.
 *
 * `search_postings` holds one list per index term in at least `minDf`
 * papers; `search_doclens` the papers' column lengths, 65,536 papers a row.
 * Both cover the papers up to the build's `maxPk`. Between builds they stay
 * exact the way the block maxima do (search-postings-topk.ts): papers added
 * later are ranked by FTS5 beside them; papers whose text changed or that
 * were deleted are logged by triggers in `search_impacts_stale` and left to
 * FTS5 too. Averages are read when a query runs, so they never go stale.
 *
 * The counts per column are read through `radar_bm25f` itself: with b = 0
 * (no length normalisation), one column weighted 1 and k1 huge,
 * `tf * (k1 + 1) / (tf + k1)` is the column's hit count.
 */
import type Database from 'better-sqlite3';
import { bm25fScore, decodePostings, encodePostings, type Lengths, type Postings } from '../search/postings.ts';
import { roundUp32 } from '../search/topk.ts';
import { FtsTokenizer, type Bm25Params, type ImpactMeta } from './search-impacts.ts';
import { readVarint } from './search-stats.ts';

export const POSTINGS_KEY = 'search_postings';
/** Papers per `search_doclens` row. */
const LEN_CHUNK_SHIFT = 16;
const HUGE_K1 = 1e300;
/** Facet tokens (zy2024, zm202403, zccs0lg9) never score: no lists for them. */
const FACET = /^z[ymc][a-z0-9]*[0-9]$/;

export interface PostingsMeta {
  builtAt: string;
  maxPk: number;
  minDf: number;
  terms: number;
  postings: number;
  bytes: number;
}

export interface PostingsBuildOptions {
  /** Words in at least this many papers get a list (default: max(1000, 0.5% of the papers)). */
  minDf?: number;
  /** Papers per block of the maxima, as a power of two (default 8). */
  shift?: number;
  progress?: (done: number, total: number) => void;
}

function totals(db: Database.Database): { rows: number; avg: number[] } {
  const row = db.prepare('SELECT block FROM papers_fts_data WHERE id = 1').get() as { block: Buffer } | undefined;
  const nums: number[] = [];
  for (let r = { value: 0, next: 0 }; row?.block && r.next < row.block.length; ) {
    r = readVarint(row.block, r.next);
    nums.push(r.value);
  }
  const rows = nums[0] ?? 0;
  return { rows, avg: nums.slice(1).map((t) => (rows > 0 && t > 0 ? t / rows : 1)) };
}

/**
 * The index terms in at least `minDf` papers; `fixed` when matching the term
 * as a query word means that term (Porter is not idempotent on every stem:
 * "diffusion" is indexed as "diffus", and "diffus" as a query is "diffu").
 */
function listedTerms(db: Database.Database, minDf: number): { term: string; doc: number; fixed: boolean }[] {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.radar_postings_vocab USING fts5vocab(main, papers_fts, row)');
  const candidates = (db.prepare('SELECT term, doc FROM temp.radar_postings_vocab WHERE doc >= ?').all(minDf) as { term: string; doc: number }[]).filter((r) => !FACET.test(r.term));
  const tok = new FtsTokenizer();
  try {
    return candidates.map((r) => {
      const x = tok.tokens(r.term);
      return { ...r, fixed: x.length === 1 && x[0] === r.term };
    });
  } finally {
    tok.close();
  }
}

/** Column lengths of papers 1..maxPk from FTS5's docsize table (0 for papers not in the index). */
function readLengths(db: Database.Database, maxPk: number): Lengths {
  const out: Lengths = { title: new Uint32Array(maxPk + 1), abstract: new Uint32Array(maxPk + 1), authors: new Uint32Array(maxPk + 1) };
  const cols = [out.title, out.abstract, out.authors];
  for (const [id, sz] of db.prepare('SELECT id, sz FROM papers_fts_docsize WHERE id <= ?').raw().iterate(maxPk) as IterableIterator<[number, Buffer]>) {
    let r = { value: 0, next: 0 };
    for (let c = 0; c < 3 && r.next < sz.length; c++) {
      r = readVarint(sz, r.next);
      cols[c][id] = r.value;
    }
  }
  return out;
}

/**
 * Rebuilds every list, the lengths and the block maxima from the index, in
 * one transaction per table set (needs the native ranking functions loaded
 * on `db`). `p` is the default ranking the maxima are taken for.
 */
export function buildPostings(db: Database.Database, p: Bm25Params, opts: PostingsBuildOptions = {}): { terms: number; meta: PostingsMeta } {
  const t = totals(db);
  const minDf = opts.minDf ?? Math.max(1000, Math.ceil(t.rows / 200));
  const shift = opts.shift ?? 8;
  const maxPk = (db.prepare('SELECT coalesce(max(pk), 0) AS m FROM papers').get() as { m: number }).m;
  const staleUpTo = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM search_impacts_stale').get() as { m: number }).m;
  const terms = listedTerms(db, minDf);
  const lengths = readLengths(db, maxPk);
  const col = (c: number) => `radar_bm25f(papers_fts, ${HUGE_K1}, ${[0, 1, 2, 3].map((i) => (i === c ? 1 : 0)).join(', ')}, 0, 0, 0, 0, 1.0)`;
  const scan = db.prepare(`SELECT rowid, ${col(0)}, ${col(1)}, ${col(2)} FROM papers_fts WHERE papers_fts MATCH ? AND rowid <= ?`).raw();
  // A term a query cannot spell is read hit by hit from the vocabulary instead (slower, and rare).
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.radar_postings_hits USING fts5vocab(main, papers_fts, instance)');
  const hits = db.prepare('SELECT doc, col FROM temp.radar_postings_hits WHERE term = ? AND doc <= ?').raw();
  const colNo: Record<string, number> = { title: 0, abstract: 1, authors: 2 };
  function* rows(r: { term: string; fixed: boolean }): Generator<[number, number, number, number]> {
    if (r.fixed) {
      yield* scan.iterate(`"${r.term}"`, BigInt(maxPk)) as IterableIterator<[number, number, number, number]>;
      return;
    }
    let cur: [number, number, number, number] | undefined;
    for (const [doc, c] of hits.iterate(r.term, maxPk) as IterableIterator<[number, string]>) {
      if (cur && cur[0] !== doc) yield cur;
      if (!cur || cur[0] !== doc) cur = [doc, 0, 0, 0];
      const k = colNo[c];
      if (k !== undefined) cur[1 + k]++;
    }
    if (cur) yield cur;
  }
  const avg: [number, number, number] = [t.avg[0] ?? 1, t.avg[1] ?? 1, t.avg[2] ?? 1];
  const params = { k1: p.k1, weights: [p.weights[0], p.weights[1], p.weights[2]] as [number, number, number], b: [p.b[0], p.b[1], p.b[2]] as [number, number, number], avg };
  const nBlocks = (maxPk >> shift) + 1;
  const lists: { term: string; df: number; data: Uint8Array; maxes: Buffer }[] = [];
  let postings = 0;
  let bytes = 0;
  const one = [1];
  terms.forEach((r, i) => {
    const pks: number[] = [];
    const tf: [number[], number[], number[]] = [[], [], []];
    const maxes = new Float32Array(nBlocks);
    for (const [pk, a, b, c] of rows(r)) {
      const counts = [Math.round(a), Math.round(b), Math.round(c)];
      // Only the facets column (not scored) holds it: no posting, as radar_bm25f would add nothing.
      if (counts[0] + counts[1] + counts[2] === 0) continue;
      pks.push(pk);
      for (let k = 0; k < 3; k++) tf[k].push(counts[k]);
      const s = bm25fScore(params, [lengths.title[pk], lengths.abstract[pk], lengths.authors[pk]], [counts], one);
      const blk = pk >> shift;
      if (s > maxes[blk]) maxes[blk] = roundUp32(s);
    }
    const data = encodePostings(pks, tf);
    postings += pks.length;
    bytes += data.length;
    lists.push({ term: r.term, df: pks.length, data, maxes: Buffer.from(maxes.buffer) });
    opts.progress?.(i + 1, terms.length);
  });
  const builtAt = new Date().toISOString();
  const meta: PostingsMeta = { builtAt, maxPk, minDf, terms: lists.length, postings, bytes };
  const impactMeta: ImpactMeta = { builtAt, rows: t.rows, maxPk, avg: t.avg, weights: p.weights, minDf, shift };
  db.transaction(() => {
    db.exec('DELETE FROM search_postings; DELETE FROM search_doclens; DELETE FROM search_impacts');
    const insList = db.prepare('INSERT INTO search_postings(term, df, data) VALUES (?, ?, ?)');
    const insMax = db.prepare('INSERT INTO search_impacts(term, df, maxes) VALUES (?, ?, ?)');
    for (const l of lists) {
      insList.run(l.term, l.df, l.data);
      insMax.run(l.term, l.df, l.maxes);
    }
    const insLen = db.prepare('INSERT INTO search_doclens(chunk, data) VALUES (?, ?)');
    const size = 1 << LEN_CHUNK_SHIFT;
    for (let chunk = 0; chunk * size <= maxPk; chunk++) {
      const from = chunk * size;
      const to = Math.min(maxPk + 1, from + size);
      const part = new Uint32Array((to - from) * 3);
      for (let pk = from; pk < to; pk++) {
        part[(pk - from) * 3] = lengths.title[pk];
        part[(pk - from) * 3 + 1] = lengths.abstract[pk];
        part[(pk - from) * 3 + 2] = lengths.authors[pk];
      }
      insLen.run(chunk, Buffer.from(part.buffer));
    }
    db.prepare('DELETE FROM search_impacts_stale WHERE id <= ?').run(staleUpTo);
    const put = db.prepare('INSERT OR REPLACE INTO kv_state(key, value, updated_at) VALUES (?, ?, ?)');
    put.run('search_impacts', JSON.stringify(impactMeta), builtAt);
    put.run(POSTINGS_KEY, JSON.stringify(meta), builtAt);
  })();
  return { terms: lists.length, meta };
}

/** Reading side: lists and lengths, cached per connection until the next build. */
export class PostingLists {
  private tokenizerDb?: FtsTokenizer;
  private readonly cache = new Map<string, Postings | null>();
  private cachedBytes = 0;
  private lens?: Lengths;
  private builtAt?: string;
  private readonly stmts = new Map<string, Database.Statement>();

  /** `budget`: bytes of decoded lists kept between queries. */
  constructor(
    private readonly db: Database.Database,
    private readonly budget = 256 * 1024 * 1024,
  ) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** The build's record, or undefined when the lists were never built. */
  meta(): PostingsMeta | undefined {
    const row = this.stmt('SELECT value FROM kv_state WHERE key = ?').get(POSTINGS_KEY) as { value: string } | undefined;
    if (!row) return undefined;
    const meta = JSON.parse(row.value) as PostingsMeta;
    if (meta.builtAt !== this.builtAt) {
      this.cache.clear();
      this.cachedBytes = 0;
      this.lens = undefined;
      this.builtAt = meta.builtAt;
    }
    return meta;
  }

  /** The index term a query word becomes, when it becomes exactly one. */
  term(word: string): string | undefined {
    const t = (this.tokenizerDb ??= new FtsTokenizer()).tokens(word);
    return t.length === 1 ? t[0] : undefined;
  }

  /** Papers in the term's list, or undefined when it has none. Call `meta()` first. */
  df(term: string): number | undefined {
    const l = this.cache.get(term);
    if (l !== undefined) return l?.pks.length;
    return (this.stmt('SELECT df FROM search_postings WHERE term = ?').get(term) as { df: number } | undefined)?.df;
  }

  /** The term's list, or undefined when it has none (a rare word). Call `meta()` first. */
  list(term: string): Postings | undefined {
    let l = this.cache.get(term);
    if (l === undefined) {
      const row = this.stmt('SELECT df, data FROM search_postings WHERE term = ?').get(term) as { df: number; data: Buffer } | undefined;
      l = row ? decodePostings(row.data, row.df) : null;
      const size = l ? l.pks.length * 10 : 0;
      if (this.cachedBytes + size > this.budget) {
        this.cache.clear();
        this.cachedBytes = 0;
      }
      this.cache.set(term, l);
      this.cachedBytes += size;
    }
    return l ?? undefined;
  }

  /** Column lengths of the papers the lists cover. Call `meta()` first. */
  lengths(maxPk: number): Lengths {
    if (this.lens) return this.lens;
    const out: Lengths = { title: new Uint32Array(maxPk + 1), abstract: new Uint32Array(maxPk + 1), authors: new Uint32Array(maxPk + 1) };
    for (const r of this.stmt('SELECT chunk, data FROM search_doclens').all() as { chunk: number; data: Buffer }[]) {
      // Copied out: the row's buffer need not be aligned for a Uint32Array view.
      const part = new Uint32Array(new Uint8Array(r.data).buffer);
      const from = r.chunk << LEN_CHUNK_SHIFT;
      for (let i = 0; i * 3 < part.length && from + i <= maxPk; i++) {
        out.title[from + i] = part[i * 3];
        out.abstract[from + i] = part[i * 3 + 1];
        out.authors[from + i] = part[i * 3 + 2];
      }
    }
    return (this.lens = out);
  }

  close(): void {
    this.tokenizerDb?.close();
  }
}
