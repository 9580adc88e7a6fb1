/**
 * Corpus statistics for ranking, kept cheap at a million papers:
 *
 * - the row count comes from FTS5's own totals record (no table scan);
 * - match counts are taken up to a cap by walking the newest matches
 *   (`ORDER BY rowid DESC LIMIT cap`, which FTS5 answers without sorting);
 *   past the cap the total is estimated from how much of the rowid range
 *   those matches spanned. This gives "about 312,000 results" for a broad
 *   query at the cost of reading 20,000 entries, and the threshold rowid the
 *   bounded ranking uses (search.ts);
 * - document frequencies (for IDF) use the same estimate and are cached per
 *   connection until the corpus grows or shrinks by more than 1%.
 */
import type Database from 'better-sqlite3';

/** Reads an SQLite varint (the format FTS5 uses in its records). */
export function readVarint(buf: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i];
    if (b === undefined) return { value, next: at + i };
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) return { value, next: at + i + 1 };
  }
  const b = buf[at + 8] ?? 0;
  return { value: value * 256 + b, next: at + 9 };
}

export interface CountEstimate {
  /** Matches counted (at most the cap). */
  counted: number;
  /** True when every match was counted. */
  exact: boolean;
  /** `counted` when exact, else the estimate of all matches. */
  total: number;
  /** When not exact: the smallest rowid among the counted (newest) matches. */
  threshold?: number;
}

export class SearchStats {
  private readonly totals: Database.Statement;
  private readonly span: Database.Statement;
  private readonly dfCache = new Map<string, number>();
  private dfRows = -1;
  private readonly counters = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly fts = 'papers_fts',
  ) {
    this.totals = db.prepare(`SELECT block FROM ${fts}_data WHERE id = 1`);
    this.span = db.prepare('SELECT min(pk) AS lo, max(pk) AS hi FROM papers');
  }

  /** Rows in the index and the total tokens of each column. */
  totalsRecord(): { rows: number; columnTokens: number[] } {
    const row = this.totals.get() as { block: Buffer } | undefined;
    if (!row?.block?.length) return { rows: 0, columnTokens: [] };
    let r = readVarint(row.block, 0);
    const rows = r.value;
    const columnTokens: number[] = [];
    while (r.next < row.block.length) {
      r = readVarint(row.block, r.next);
      columnTokens.push(r.value);
    }
    return { rows, columnTokens };
  }

  rows(): number {
    return this.totalsRecord().rows;
  }

  /**
   * Counts matches of `match` (plus optional SQL conditions on `papers p`) up
   * to `cap`, newest first, estimating the rest.
   */
  count(match: string, cap: number, sql = '', params: unknown[] = []): CountEstimate {
    const key = `${cap}|${sql}`;
    let stmt = this.counters.get(key);
    if (!stmt) {
      const join = sql ? `JOIN papers p ON p.pk = ${this.fts}.rowid` : '';
      stmt = this.db.prepare(
        `SELECT count(*) AS n, min(pk) AS lo FROM (SELECT ${this.fts}.rowid AS pk FROM ${this.fts} ${join}
         WHERE ${this.fts} MATCH ? ${sql} ORDER BY ${this.fts}.rowid DESC LIMIT ${cap})`,
      );
      if (this.counters.size > 200) this.counters.clear();
      this.counters.set(key, stmt);
    }
    const { n, lo } = stmt.get(match, ...params) as { n: number; lo: number | null };
    if (n < cap || lo === null) return { counted: n, exact: true, total: n };
    const { lo: first, hi } = this.span.get() as { lo: number; hi: number };
    const fraction = (hi - lo + 1) / Math.max(1, hi - first + 1);
    return { counted: n, exact: false, total: Math.round(n / Math.max(fraction, 1e-9)), threshold: lo };
  }

  /** Estimated document frequency of an FTS5 expression (cached). */
  df(match: string, cap = 20_000): number {
    const rows = this.rows();
    if (this.dfRows < 0 || Math.abs(rows - this.dfRows) > this.dfRows * 0.01) {
      this.dfCache.clear();
      this.dfRows = rows;
    }
    let df = this.dfCache.get(match);
    if (df === undefined) {
      df = this.count(match, cap).total;
      if (this.dfCache.size > 50_000) this.dfCache.clear();
      this.dfCache.set(match, df);
    }
    return df;
  }

  /** BM25 IDF (Lucene's form: never negative, so a word in most papers still counts a little). */
  idf(df: number, rows = this.dfRows > 0 ? this.dfRows : this.rows()): number {
    return Math.log(1 + (rows - df + 0.5) / (df + 0.5));
  }
}
