/**
 * Paper reads and writes on PostgreSQL: the same upsert algorithm as SQLite
 * (load what the batch's keys point at, `planUpsert`, write the plan back in
 * one transaction), with every step batched into array parameters so a batch
 * of a thousand records costs a handful of round trips.
 *
 * Concurrency: every upsert holds one transaction-level advisory lock. Two
 * importers (in any processes) therefore merge one after the other and never
 * create the same paper twice; and `seq` values, drawn from a sequence inside
 * that lock, become visible in order, so a change-feed reader never skips a
 * write that commits late.
 */
import type { Pool, PoolClient } from 'pg';
import { normaliseUserId } from '../../paper/ids.ts';
import { contentFingerprint } from '../../paper/merge.ts';
import { foldText } from '../../paper/normalise.ts';
import { provenanceFields } from '../../paper/provenance.ts';
import type { Paper, PaperRecord, Provenance } from '../../paper/types.ts';
import type { ListOptions, PaperChanges, StoredPaper, StoreStats, UpsertResult } from '../types.ts';
import { keysOf, planUpsert, type LoadedPaper, type PlannedPaper } from '../upsert-plan.ts';
import { LOCK_NAMESPACE, LOCKS, one, rows, storable, tx } from './db.ts';
import { PAPER_REFERENCES } from './migrations.ts';

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

export class PgPapers {
  constructor(private readonly pool: Pool) {}

  async upsert(input: PaperRecord[], now: string): Promise<UpsertResult> {
    const records = storable(input);
    return tx(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.papers]);
      const keys = keysOf(records);
      const keyIndex = new Map<string, number[]>();
      for (const r of await rows<{ key: string; pk: number }>(c, 'SELECT key, pk FROM paper_keys WHERE key = ANY($1::text[])', [keys])) {
        const list = keyIndex.get(r.key);
        if (list) list.push(r.pk);
        else keyIndex.set(r.key, [r.pk]);
      }
      const pks = [...new Set([...keyIndex.values()].flat())];
      const loaded: LoadedPaper[] = (
        await rows<{ pk: number; data: Paper; title_rank: number; fingerprint: string }>(
          c,
          'SELECT pk, data, title_rank, fingerprint FROM papers WHERE pk = ANY($1::int[])',
          [pks],
        )
      ).map((r) => ({ pk: r.pk, paper: r.data, titleRank: r.title_rank, fingerprint: r.fingerprint }));

      const plan = planUpsert(records, keyIndex, loaded, now);
      for (const { from, into } of plan.absorbed) await this.absorb(c, from, into);
      const realPk = await this.write(c, plan.papers);
      const pkOf = (pk: number) => realPk.get(pk) ?? pk;
      await this.writeProvenance(
        c,
        plan.provenance.map(({ pk, record }) => ({ pk: pkOf(pk), record })),
      );

      const idOf = new Map(plan.papers.map((p) => [pkOf(p.pk), p.paper.id]));
      const loadedId = new Map(loaded.map((l) => [l.pk, l.paper.id]));
      const outcomes = plan.outcomes.map((o) => {
        const pk = pkOf(o.pk);
        return { ...o, pk, id: idOf.get(pk) ?? loadedId.get(pk) ?? '' };
      });
      return { counts: plan.counts, outcomes };
    });
  }

  /** Writes planned papers and their derived rows; returns planned pk → real pk for new papers. */
  private async write(c: PoolClient, papers: PlannedPaper[]): Promise<Map<number, number>> {
    const realPk = new Map<number, number>();
    const written = papers.filter((p) => p.isNew || p.changed);
    const fresh = written.filter((p) => p.isNew);
    const changed = written.filter((p) => !p.isNew);
    const cols = (list: PlannedPaper[]) => ({
      id: list.map((p) => p.paper.id),
      title: list.map((p) => p.paper.title),
      abstract: list.map((p) => p.paper.abstract),
      authors: list.map((p) => p.paper.authors.join('; ')),
      listingDate: list.map((p) => p.paper.listingDate ?? null),
      upvotes: list.map((p) => p.paper.signals.upvotes ?? null),
      data: list.map((p) => JSON.stringify(p.paper)),
      titleRank: list.map((p) => p.titleRank),
      fingerprint: list.map((p) => contentFingerprint(p.paper)),
      addedAt: list.map((p) => p.paper.addedAt),
      modifiedAt: list.map((p) => p.paper.modifiedAt),
    });

    if (changed.length) {
      const v = cols(changed);
      await c.query(
        `UPDATE papers p SET id = u.id, title = u.title, abstract = u.abstract, authors = u.authors, listing_date = u.listing_date,
           upvotes = u.upvotes, data = u.data::jsonb, title_rank = u.title_rank, fingerprint = u.fingerprint,
           modified_at = u.modified_at, seq = nextval('paper_seq')
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[], $10::text[], $11::text[])
           AS u(pk, id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, modified_at)
         WHERE p.pk = u.pk`,
        [
          changed.map((p) => p.pk),
          v.id,
          v.title,
          v.abstract,
          v.authors,
          v.listingDate,
          v.upvotes,
          v.data,
          v.titleRank,
          v.fingerprint,
          v.modifiedAt,
        ],
      );
      const pks = changed.map((p) => p.pk);
      await c.query('DELETE FROM paper_categories WHERE pk = ANY($1::int[])', [pks]);
      await c.query('DELETE FROM paper_authors WHERE pk = ANY($1::int[])', [pks]);
    }
    if (fresh.length) {
      const v = cols(fresh);
      const inserted = await rows<{ pk: number; id: string }>(
        c,
        `INSERT INTO papers (id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, seq)
         SELECT u.id, u.title, u.abstract, u.authors, u.listing_date, u.upvotes, u.data::jsonb, u.title_rank, u.fingerprint,
                u.added_at, u.modified_at, nextval('paper_seq')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[])
           WITH ORDINALITY AS u(id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, ord)
         ORDER BY u.ord
         RETURNING pk, id`,
        [v.id, v.title, v.abstract, v.authors, v.listingDate, v.upvotes, v.data, v.titleRank, v.fingerprint, v.addedAt, v.modifiedAt],
      );
      // Ids are unique, so they tie each returned pk to its planned paper whatever order RETURNING uses.
      const pkById = new Map(inserted.map((r) => [r.id, r.pk]));
      for (const p of fresh) realPk.set(p.pk, pkById.get(p.paper.id)!);
    }
    const pkOf = (p: PlannedPaper) => realPk.get(p.pk) ?? p.pk;

    const cat = { pk: [] as number[], category: [] as string[] };
    const au = { pk: [] as number[], position: [] as number[], name: [] as string[], key: [] as string[] };
    for (const p of written) {
      const pk = pkOf(p);
      for (const category of p.paper.categories) {
        cat.pk.push(pk);
        cat.category.push(category);
      }
      p.paper.authors.forEach((name, i) => {
        au.pk.push(pk);
        au.position.push(i);
        au.name.push(name);
        au.key.push(foldText(name));
      });
    }
    if (cat.pk.length) {
      await c.query(
        'INSERT INTO paper_categories (category, pk) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING',
        [cat.category, cat.pk],
      );
    }
    if (au.pk.length) {
      await c.query(
        'INSERT INTO paper_authors (pk, position, name, name_key) SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[])',
        [au.pk, au.position, au.name, au.key],
      );
    }
    const keys = { key: [] as string[], pk: [] as number[] };
    for (const p of papers) {
      for (const k of p.keys) {
        keys.key.push(k);
        keys.pk.push(pkOf(p));
      }
    }
    if (keys.key.length) {
      await c.query('INSERT INTO paper_keys (key, pk) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING', [
        keys.key,
        keys.pk,
      ]);
    }
    return realPk;
  }

  /**
   * One row per (paper, source kind, locator). Within a batch the rows are
   * folded the way SQLite's one-by-one upserts would leave them: a later row
   * replaces an earlier one only when what it says differs.
   */
  private async writeProvenance(c: PoolClient, items: { pk: number; record: PaperRecord }[]): Promise<void> {
    const byKey = new Map<string, { pk: number; kind: string; locator: string; seenAt: string; fields: string }>();
    for (const { pk, record } of items) {
      const row = {
        pk,
        kind: record.source.kind,
        locator: record.source.locator,
        seenAt: record.source.seenAt,
        fields: JSON.stringify(provenanceFields(record)),
      };
      const key = JSON.stringify([pk, row.kind, row.locator]);
      const prev = byKey.get(key);
      if (!prev || prev.fields !== row.fields) byKey.set(key, row);
    }
    if (byKey.size === 0) return;
    const list = [...byKey.values()];
    await c.query(
      `INSERT INTO provenance (pk, kind, locator, seen_at, fields)
       SELECT u.pk, u.kind, u.locator, u.seen_at, u.fields::jsonb
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(pk, kind, locator, seen_at, fields)
       ON CONFLICT (pk, kind, locator) DO UPDATE SET seen_at = excluded.seen_at, fields = excluded.fields
       WHERE provenance.fields <> excluded.fields`,
      [list.map((r) => r.pk), list.map((r) => r.kind), list.map((r) => r.locator), list.map((r) => r.seenAt), list.map((r) => r.fields)],
    );
  }

  /** Moves everything that points at `from` to `into`, then deletes `from` and logs its removal. */
  private async absorb(c: PoolClient, from: number, into: number): Promise<void> {
    for (const { table, keyColumns } of PAPER_REFERENCES) {
      const same = keyColumns.map((col) => `AND o.${col} = t.${col}`).join(' ');
      await c.query(
        `UPDATE ${table} t SET pk = $2 WHERE t.pk = $1 AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.pk = $2 ${same})`,
        [from, into],
      );
    }
    await c.query('DELETE FROM papers WHERE pk = $1', [from]);
    await c.query("INSERT INTO removed_papers (seq, pk, merged_into) VALUES (nextval('paper_seq'), $1, $2)", [from, into]);
  }

  async get(id: string): Promise<StoredPaper | undefined> {
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

  async byPks(pks: number[]): Promise<StoredPaper[]> {
    if (pks.length === 0) return [];
    const found = new Map<number, StoredPaper>();
    for (const r of await rows<PaperRow>(this.pool, `SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.pk = ANY($1::int[])`, [pks])) {
      found.set(r.pk, rowToPaper(r));
    }
    return pks.map((pk) => found.get(pk)).filter((p): p is StoredPaper => !!p);
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

  async list(opts: ListOptions): Promise<{ papers: StoredPaper[]; total: number }> {
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

  async byAuthor(name: string, limit = 200): Promise<StoredPaper[]> {
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
    const lastPaperSeq = list.length ? list[list.length - 1].seq : undefined;
    // Removals up to the last paper returned (or all of them when the page is not full).
    const upTo = list.length === limit && lastPaperSeq !== undefined ? lastPaperSeq : Number.MAX_SAFE_INTEGER;
    const removed = await rows<{ seq: number; pk: number }>(
      this.pool,
      'SELECT seq, pk FROM removed_papers WHERE seq > $1 AND seq <= $2 ORDER BY seq',
      [seq, upTo],
    );
    const lastSeq = Math.max(seq, lastPaperSeq ?? seq, removed.length ? removed[removed.length - 1].seq : seq);
    return { papers: list.map(rowToPaper), removed: removed.map((r) => r.pk), lastSeq };
  }

  async *scan(batchSize: number): AsyncGenerator<StoredPaper[]> {
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
      one<{
        papers: number;
        profiles: number;
        authors: number;
        with_abstract: number;
        without_title: number;
        categories: number;
        first: string | null;
        last: string | null;
      }>(
        this.pool,
        `SELECT (SELECT count(*) FROM papers) AS papers,
                (SELECT count(*) FROM profiles) AS profiles,
                (SELECT count(DISTINCT name_key) FROM paper_authors) AS authors,
                (SELECT count(*) FROM papers WHERE abstract <> '') AS with_abstract,
                (SELECT count(*) FROM papers WHERE title = '') AS without_title,
                (SELECT count(DISTINCT category) FROM paper_categories) AS categories,
                (SELECT min(listing_date) FROM papers) AS first,
                (SELECT max(listing_date) FROM papers) AS last`,
      ),
      rows<{ kind: string; n: number }>(this.pool, 'SELECT kind, count(DISTINCT pk) AS n FROM provenance GROUP BY kind ORDER BY kind'),
    ]);
    return {
      papers: s!.papers,
      profiles: s!.profiles,
      authors: s!.authors,
      withAbstract: s!.with_abstract,
      withoutTitle: s!.without_title,
      categories: s!.categories,
      ...(s!.first ? { firstDay: s!.first } : {}),
      ...(s!.last ? { lastDay: s!.last } : {}),
      sources: Object.fromEntries(sources.map((r) => [r.kind, r.n])),
    };
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
