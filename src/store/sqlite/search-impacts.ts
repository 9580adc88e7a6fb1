/**
 * Block maxima of the common words' impacts, for top-k ranking that skips
 * most matches (../search/topk.ts). For each index term in at least `minDf`
 * papers, `search_impacts` keeps, per block of 2^shift consecutive pks, the
 * highest single-word impact in the block: its BM25F saturation `sat(tf')`
 * with the default field weights, computed by the same `radar_bm25f` the
 * ranking uses (IDF 1), as float32 rounded up.
 *
 * Built in bulk with the other indexes (`buildImpacts`, from `radar index`).
 * Between builds the maxima stay sound:
 * - papers added later (pk above the built `maxPk`) are ranked exhaustively
 *   beside the blocks, and the blocks are not used once there are many;
 * - papers whose text changed are logged by a trigger (`search_impacts_stale`)
 *   and their blocks are always ranked;
 * - field-length averages that moved scale the bounds (`impactDrift`).
 *
 * Terms are FTS5's own (Porter stems from its tokenizer), and query words are
 * turned into them by that same tokenizer (an in-memory FTS5 table), never by
 * a second stemmer that could disagree.
 */
import Database from 'better-sqlite3';
import { roundUp32 } from '../search/topk.ts';
import type { FieldWeights } from '../types.ts';

export interface Bm25Params {
  k1: number;
  /** title, abstract, authors, facets */
  weights: number[];
  b: number[];
}

export interface ImpactMeta {
  builtAt: string;
  rows: number;
  maxPk: number;
  /** Average tokens per paper of each column when built. */
  avg: number[];
  /** Field weights the impacts were computed with. */
  weights: number[];
  minDf: number;
  /** Block = pk >> shift. */
  shift: number;
}

export interface BuildOptions {
  /** Words in at least this many papers get a list (default: max(1000, 0.5% of the papers)). */
  minDf?: number;
  /** Papers per block, as a power of two (default 8: 256). */
  shift?: number;
  progress?: (done: number, total: number) => void;
}

/** Facet tokens (zy2024, zm202403, zccs0lg9) never score: no lists for them. */
const FACET = /^z[ymc][a-z0-9]*[0-9]$/;

/** FTS5's tokenizer on its own: the index terms a text becomes. */
export class FtsTokenizer {
  private readonly db = new Database(':memory:');
  private readonly insert: Database.Statement;
  private readonly read: Database.Statement;
  private readonly clear: Database.Statement;
  private readonly cache = new Map<string, string[]>();

  constructor() {
    this.db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
    this.insert = this.db.prepare('INSERT INTO t(rowid, x) VALUES (1, ?)');
    this.read = this.db.prepare('SELECT term FROM v ORDER BY offset');
    this.clear = this.db.prepare('DELETE FROM t');
  }

  tokens(text: string): string[] {
    let out = this.cache.get(text);
    if (out) return out;
    this.insert.run(text);
    out = (this.read.all() as { term: string }[]).map((r) => r.term);
    this.clear.run();
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(text, out);
    return out;
  }

  close(): void {
    this.db.close();
  }
}

function totals(db: Database.Database): { rows: number; avg: number[] } {
  const row = db.prepare('SELECT block FROM papers_fts_data WHERE id = 1').get() as { block: Buffer } | undefined;
  const nums: number[] = [];
  const buf = row?.block ?? Buffer.alloc(0);
  for (let i = 0; i < buf.length; ) {
    let v = 0;
    let j = 0;
    for (; j < 9; j++) {
      const b = buf[i + j];
      if (j === 8) {
        v = v * 256 + b;
        break;
      }
      v = v * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    nums.push(v);
    i += j + 1;
  }
  const rows = nums[0] ?? 0;
  return { rows, avg: nums.slice(1).map((t) => (rows > 0 && t > 0 ? t / rows : 1)) };
}

/** Rebuilds every list from the index (needs the native ranking functions loaded on `db`). */
export function buildImpacts(db: Database.Database, p: Bm25Params, opts: BuildOptions = {}): { terms: number; meta: ImpactMeta } {
  const t = totals(db);
  const minDf = opts.minDf ?? Math.max(1000, Math.ceil(t.rows / 200));
  const shift = opts.shift ?? 8;
  const maxPk = (db.prepare('SELECT coalesce(max(pk), 0) AS m FROM papers').get() as { m: number }).m;
  const staleUpTo = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM search_impacts_stale').get() as { m: number }).m;
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.radar_impact_vocab USING fts5vocab(main, papers_fts, row)');
  const candidates = (db.prepare('SELECT term, doc FROM temp.radar_impact_vocab WHERE doc >= ?').all(minDf) as { term: string; doc: number }[]).filter((r) => !FACET.test(r.term));
  const tok = new FtsTokenizer();
  // A term is listed only when matching it as a query word means that term (Porter is not idempotent on every stem).
  const terms = candidates.filter((r) => {
    const x = tok.tokens(r.term);
    return x.length === 1 && x[0] === r.term;
  });
  tok.close();
  const args = [p.k1, ...p.weights, ...p.b, 1.0];
  // Aggregates cannot call FTS5 auxiliary functions: the maxima are taken here, row by row.
  const score = db
    .prepare(
      `SELECT rowid, radar_bm25f(papers_fts, ?, ${p.weights.map(() => '?').join(', ')}, ${p.b.map(() => '?').join(', ')}, ?) FROM papers_fts WHERE papers_fts MATCH ?`,
    )
    .raw();
  const nBlocks = (maxPk >> shift) + 1;
  const lists: { term: string; df: number; maxes: Buffer }[] = [];
  terms.forEach((r, i) => {
    const maxes = new Float32Array(nBlocks);
    for (const [pk, s] of score.iterate(...args, `"${r.term}"`) as IterableIterator<[number, number]>) {
      const b = pk >> shift;
      if (b < nBlocks && s > maxes[b]) maxes[b] = roundUp32(s);
    }
    lists.push({ term: r.term, df: r.doc, maxes: Buffer.from(maxes.buffer) });
    opts.progress?.(i + 1, terms.length);
  });
  const meta: ImpactMeta = { builtAt: new Date().toISOString(), rows: t.rows, maxPk, avg: t.avg, weights: p.weights, minDf, shift };
  db.transaction(() => {
    db.exec('DELETE FROM search_impacts');
    const ins = db.prepare('INSERT INTO search_impacts(term, df, maxes) VALUES (?, ?, ?)');
    for (const l of lists) ins.run(l.term, l.df, l.maxes);
    db.prepare('DELETE FROM search_impacts_stale WHERE id <= ?').run(staleUpTo);
    db.prepare("INSERT OR REPLACE INTO kv_state(key, value, updated_at) VALUES ('search_impacts', ?, ?)").run(JSON.stringify(meta), meta.builtAt);
  })();
  return { terms: lists.length, meta };
}

/** Reading side: the block maxima of a query's words, cached per connection until the next build. */
export class ImpactLists {
  private tokenizerDb?: FtsTokenizer;
  private readonly cache = new Map<string, Float32Array | null>();
  private builtAt?: string;
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private get tokenizer(): FtsTokenizer {
    return (this.tokenizerDb ??= new FtsTokenizer());
  }

  /** The build's record, or undefined when the maxima were never built. */
  meta(): ImpactMeta | undefined {
    const row = this.stmt("SELECT value FROM kv_state WHERE key = 'search_impacts'").get() as { value: string } | undefined;
    if (!row) return undefined;
    const meta = JSON.parse(row.value) as ImpactMeta;
    if (meta.builtAt !== this.builtAt) {
      this.cache.clear();
      this.builtAt = meta.builtAt;
    }
    return meta;
  }

  /** The block maxima of each index term of `text` (a phrase's words), or undefined when one of them has none. */
  maxes(text: string): Float32Array[] | undefined {
    const out: Float32Array[] = [];
    for (const term of this.tokenizer.tokens(text)) {
      let m = this.cache.get(term);
      if (m === undefined) {
        const row = this.stmt('SELECT maxes FROM search_impacts WHERE term = ?').get(term) as { maxes: Buffer } | undefined;
        // Copied out: the row's buffer need not be aligned for a Float32Array view.
        m = row ? new Float32Array(new Uint8Array(row.maxes).buffer) : null;
        if (this.cache.size > 5_000) this.cache.clear();
        this.cache.set(term, m);
      }
      if (!m) return undefined;
      out.push(m);
    }
    return out.length ? out : undefined;
  }

  /** Papers whose text changed since the build (at most `cap`; undefined when more). */
  stale(cap: number): number[] | undefined {
    const pks = (this.stmt('SELECT DISTINCT pk FROM search_impacts_stale LIMIT ?').all(cap + 1) as { pk: number }[]).map((r) => r.pk);
    return pks.length > cap ? undefined : pks;
  }

  close(): void {
    this.tokenizerDb?.close();
  }
}

/**
 * How much impacts may have grown since the build: a column whose average
 * length rose normalises its hits less (norm ≤ old × new avg / old avg), and
 * field weights above the built ones scale tf' up. Infinity when a weight the
 * build ignored (0) now counts.
 */
export function impactDrift(meta: ImpactMeta, avgNow: number[], weights: FieldWeights): number {
  const w = [weights.title, weights.abstract, weights.authors];
  let r = 1;
  for (let c = 0; c < 3; c++) {
    if (w[c] === 0) continue;
    if (!meta.weights[c]) return Infinity;
    r = Math.max(r, (w[c] / meta.weights[c]) * Math.max(1, (avgNow[c] ?? 1) / (meta.avg[c] || 1)));
  }
  return r;
}
