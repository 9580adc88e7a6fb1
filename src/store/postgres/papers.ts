/**
 * Paper reads on PostgreSQL, and the row shape and lock other modules share.
 * Writes (the batched upsert) are in paper-writes.ts.
 */
import type { Pool } from 'pg';
import { normaliseUserId } from '../../paper/ids.ts';
import { foldText } from '../../paper/normalise.ts';
import type { Paper, PaperRecord, Provenance } from '../../paper/types.ts';
import { escapeLike, removalsUpTo, SOURCES_SQL, STATS_SQL, toChanges, toStoreStats, type StatsRow } from '../paper-queries.ts';
import type { ListOptions, PaperBrief, PaperChanges, PaperStore, StoredPaper, StoreStats, UpsertResult } from '../types.ts';
import { LOCK_NAMESPACE, LOCKS, one, rows } from './db.ts';
import { upsertPapers } from './paper-writes.ts';

export interface PaperRow {
  pk: number;
  data: Paper;
  seq: number;
}

/** The columns `rowToPaper` needs, for `SELECT ${PAPER_COLUMNS} FROM papers p`. */
export const PAPER_COLUMNS = 'p.pk, p.data, p.seq';

export function rowToPaper(row: PaperRow): StoredPaper {
  return { ...row.data, pk: row.pk, seq: row.seq };
}

/** SQL that takes the paper-writers' lock in shared mode: for writes of rows that point at papers (see `linkGuard`). */
export const SHARED_PAPER_LOCK = `SELECT pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, ${LOCKS.papers})`;

export class PgPapers implements PaperStore {
  constructor(
    private readonly pool: Pool,
    /** Told when papers were added, changed or merged (the search's corpus totals are then stale). */
    private readonly onChange: () => void = () => {},
  ) {}

  async upsertPapers(records: PaperRecord[], now: string): Promise<UpsertResult> {
    const r = await upsertPapers(this.pool, records, now);
    if (r.counts.added || r.counts.updated || r.counts.merged) this.onChange();
    return r;
  }

  async getPaper(id: string): Promise<StoredPaper | undefined> {
    const wanted = normaliseUserId(id);
    const row = await one<PaperRow>(
      this.pool,
      `SELECT ${PAPER_COLUMNS} FROM (
         SELECT 0 AS pri, pk FROM papers WHERE id = $1
         UNION ALL SELECT 1, pk FROM paper_keys WHERE key = $1
       ) m JOIN papers p ON p.pk = m.pk
       ORDER BY m.pri, p.pk LIMIT 1`,
      [wanted],
    );
    return row ? rowToPaper(row) : undefined;
  }

  async getPapersByPk(pks: number[]): Promise<StoredPaper[]> {
    if (pks.length === 0) return [];
    const found = new Map<number, StoredPaper>();
    for (const r of await rows<PaperRow>(this.pool, `SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.pk = ANY($1::int[])`, [pks])) {
      found.set(r.pk, rowToPaper(r));
    }
    return pks.map((pk) => found.get(pk)).filter((p): p is StoredPaper => !!p);
  }

  async paperBriefs(pks: number[]): Promise<PaperBrief[]> {
    if (pks.length === 0) return [];
    const found = await rows<{ pk: number; id: string; title: string; listing_date: string | null }>(
      this.pool,
      'SELECT pk, id, title, listing_date FROM papers WHERE pk = ANY($1::int[])',
      [pks],
    );
    return found.map((r) => ({ pk: r.pk, id: r.id, title: r.title, listingDate: r.listing_date ?? undefined }));
  }

  async provenance(pk: number): Promise<Provenance[]> {
    const list = await rows<{ kind: string; locator: string; seen_at: string; fields: Record<string, unknown> }>(
      this.pool,
      'SELECT kind, locator, seen_at, fields FROM provenance WHERE pk = $1 ORDER BY seen_at, kind, locator',
      [pk],
    );
    return list.map((r) => ({
      source: { kind: r.kind as Provenance['source']['kind'], locator: r.locator, seenAt: r.seen_at },
      fields: r.fields,
    }));
  }

  async listPapers(opts: ListOptions): Promise<{ papers: StoredPaper[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (opts.from) where.push(`p.listing_date >= ${param(opts.from)}`);
    if (opts.to) where.push(`p.listing_date <= ${param(opts.to)}`);
    if (opts.categories?.length) {
      where.push(`p.pk IN (SELECT pk FROM paper_categories WHERE category = ANY(${param(opts.categories)}::text[]))`);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterParams = [...params];
    // NULLS LAST/FIRST spelled out: SQLite sorts NULL lowest, PostgreSQL highest.
    const order =
      opts.sort === 'upvotes'
        ? 'ORDER BY COALESCE(p.upvotes, 0) DESC, p.listing_date DESC NULLS LAST, p.pk DESC'
        : opts.sort === 'trending'
          ? // Hacker-News-style gravity: upvotes decay with the age of the listing day (as in SQLite).
            `ORDER BY (COALESCE(p.upvotes, 0) + 1)::float8 /
               power(GREATEST((${param(opts.asOf ?? new Date().toISOString().slice(0, 10))}::date - COALESCE(p.listing_date, '2000-01-01')::date), 0) + 2, 1.5) DESC,
               p.pk DESC`
          : 'ORDER BY p.listing_date IS NULL, p.listing_date DESC, p.pk DESC';
    const limit = param(opts.limit ?? 50);
    const offset = param(opts.offset ?? 0);
    const [count, page] = await Promise.all([
      one<{ n: number }>(this.pool, `SELECT count(*) AS n FROM papers p ${whereSql}`, filterParams),
      rows<PaperRow>(this.pool, `SELECT ${PAPER_COLUMNS} FROM papers p ${whereSql} ${order} LIMIT ${limit} OFFSET ${offset}`, params),
    ]);
    return { papers: page.map(rowToPaper), total: count!.n };
  }

  async listingDays(opts: { from?: string; to?: string; limit?: number }): Promise<{ day: string; count: number }[]> {
    return rows<{ day: string; count: number }>(
      this.pool,
      `SELECT listing_date AS day, count(*) AS count FROM papers
       WHERE listing_date IS NOT NULL AND listing_date >= $1 AND listing_date <= $2
       GROUP BY listing_date ORDER BY listing_date DESC LIMIT $3`,
      [opts.from ?? '0000-00-00', opts.to ?? '9999-99-99', opts.limit ?? 10_000],
    );
  }

  async windowPks(from: string, to: string): Promise<number[]> {
    const r = await rows<{ pk: string | number }>(this.pool, 'SELECT pk FROM papers WHERE listing_date >= $1 AND listing_date <= $2 ORDER BY pk', [from, to]);
    return r.map((x) => Number(x.pk));
  }

  async papersByAuthor(name: string, limit = 200): Promise<StoredPaper[]> {
    const list = await rows<PaperRow>(
      this.pool,
      `SELECT ${PAPER_COLUMNS} FROM papers p
       WHERE p.pk IN (SELECT pk FROM paper_authors WHERE name_key = $1)
       ORDER BY p.listing_date DESC NULLS LAST, p.pk LIMIT $2`,
      [foldText(name), limit],
    );
    return list.map(rowToPaper);
  }

  async findAuthors(query: string, limit = 20): Promise<{ name: string; papers: number }[]> {
    const key = foldText(query);
    if (!key) return [];
    // One spelling per folded name: the first stored one, as SQLite's bare column over its name_key index gives.
    return rows<{ name: string; papers: number }>(
      this.pool,
      `SELECT (array_agg(name ORDER BY pk, position))[1] AS name, count(DISTINCT pk) AS papers FROM paper_authors
       WHERE name_key = $1 OR name_key LIKE $2 OR name_key LIKE $3
       GROUP BY name_key ORDER BY (name_key = $1) DESC, papers DESC, name LIMIT $4`,
      [key, `${escapeLike(key)} %`, `% ${escapeLike(key)}`, limit],
    );
  }

  async changesSince(seq: number, limit: number): Promise<PaperChanges> {
    const list = await rows<PaperRow>(this.pool, `SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.seq > $1 ORDER BY p.seq LIMIT $2`, [
      seq,
      limit,
    ]);
    const removed = await rows<{ seq: number; pk: number }>(
      this.pool,
      'SELECT seq, pk FROM removed_papers WHERE seq > $1 AND seq <= $2 ORDER BY seq',
      [seq, removalsUpTo(list, limit)],
    );
    return toChanges(seq, list.map(rowToPaper), removed);
  }

  async *scanPapers(batchSize: number): AsyncGenerator<StoredPaper[]> {
    let after = 0;
    for (;;) {
      const list = await rows<PaperRow>(this.pool, `SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.pk > $1 ORDER BY p.pk LIMIT $2`, [
        after,
        batchSize,
      ]);
      if (list.length === 0) return;
      after = list[list.length - 1].pk;
      yield list.map(rowToPaper);
    }
  }

  async stats(): Promise<StoreStats> {
    const [s, sources] = await Promise.all([
      one<StatsRow>(this.pool, STATS_SQL),
      rows<{ kind: string; n: number }>(this.pool, SOURCES_SQL),
    ]);
    return toStoreStats(s!, sources);
  }
}
