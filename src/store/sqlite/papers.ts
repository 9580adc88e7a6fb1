import type Database from 'better-sqlite3';
import { normaliseUserId } from '../../paper/ids.ts';
import { contentFingerprint } from '../../paper/merge.ts';
import { foldText } from '../../paper/normalise.ts';
import { provenanceFields } from '../../paper/provenance.ts';
import type { PaperRecord, Provenance } from '../../paper/types.ts';
import { escapeLike, removalsUpTo, SOURCES_SQL, STATS_SQL, toChanges, toStoreStats, type StatsRow } from '../paper-queries.ts';
import type { ListOptions, PaperBrief, PaperChanges, PaperStore, StoredPaper, StoreStats, UpsertResult } from '../types.ts';
import { KeyFilter } from '../key-filter.ts';
import { keysOf, planUpsert, type LoadedPaper, type PlannedPaper } from '../upsert-plan.ts';
import { PAPER_REFERENCES } from './migrations.ts';
import { encodePaperData, PAPER_COLUMNS, paperColumns, rowToPaper, type PaperRow } from './paper-rows.ts';

/** SQLite's limit on bound parameters is 32766; stay well under it. */
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

/** Paper reads and writes on one better-sqlite3 connection. Synchronous: callers wrap it. */
export class SqlitePapers implements PaperStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      getSeq: db.prepare("SELECT value FROM counters WHERE name = 'seq'"),
      setSeq: db.prepare("UPDATE counters SET value = ? WHERE name = 'seq'"),
      insert: db.prepare(
        `INSERT INTO papers (id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, seq)
         VALUES (@id, @title, @abstract, @authors, @listing_date, @upvotes, @data, @title_rank, @fingerprint, @added_at, @modified_at, @seq)`,
      ),
      update: db.prepare(
        `UPDATE papers SET id = @id, title = @title, abstract = @abstract, authors = @authors, listing_date = @listing_date,
           upvotes = @upvotes, data = @data, title_rank = @title_rank, fingerprint = @fingerprint, modified_at = @modified_at, seq = @seq
         WHERE pk = @pk`,
      ),
      deleteCategories: db.prepare('DELETE FROM paper_categories WHERE pk = ?'),
      deleteAuthors: db.prepare('DELETE FROM paper_authors WHERE pk = ?'),
      provenance: db.prepare(
        `INSERT INTO provenance (pk, kind, locator, seen_at, fields) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (pk, kind, locator) DO UPDATE SET seen_at = excluded.seen_at, fields = excluded.fields
         WHERE provenance.fields <> excluded.fields`,
      ),
      removePaper: db.prepare('DELETE FROM papers WHERE pk = ?'),
      logRemoved: db.prepare('INSERT INTO removed_papers (seq, pk, merged_into) VALUES (?, ?, ?)'),
      byKey: db.prepare(
        `SELECT ${paperColumns('p')} FROM paper_keys k JOIN papers p ON p.pk = k.pk WHERE k.key = ? ORDER BY p.pk LIMIT 1`,
      ),
      byId: db.prepare(`SELECT ${PAPER_COLUMNS} FROM papers WHERE id = ?`),
      provenanceOf: db.prepare('SELECT kind, locator, seen_at, fields FROM provenance WHERE pk = ? ORDER BY seen_at, kind, locator'),
    };
  }

  /**
   * While a bulk load runs: every stored key in a Bloom filter, so a batch asks
   * the database only about keys that may be stored (a new paper's keys mostly
   * are not). Valid while this connection is the only writer: `data_version`
   * moves when another connection commits, and then the filter is dropped.
   */
  private keyFilter?: { filter: KeyFilter; dataVersion: number };

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Builds the key filter from the stored keys (the bulk load's begin calls it). */
  useKeyFilter(): void {
    // Read first: a commit by another connection after it (even during the scan) moves it, and drops the filter.
    const dataVersion = this.dataVersion();
    const stored = (this.db.prepare('SELECT count(*) AS n FROM paper_keys').get() as { n: number }).n;
    // Room for twice what is stored; outgrown, it is built again twice as big (see `keysToAsk`).
    const filter = new KeyFilter(Math.max(1 << 21, 2 * stored));
    for (const key of this.db.prepare('SELECT key FROM paper_keys').pluck().iterate()) filter.add(key as string);
    this.keyFilter = { filter, dataVersion };
  }

  dropKeyFilter(): void {
    this.keyFilter = undefined;
  }

  /** The keys worth looking up: all of them, or with a key filter only those it may hold. Inside the write transaction. */
  private keysToAsk(keys: string[]): string[] {
    if (!this.keyFilter) return keys;
    if (this.dataVersion() !== this.keyFilter.dataVersion) {
      // Another process wrote papers: their keys are not in the filter.
      this.keyFilter = undefined;
      return keys;
    }
    if (this.keyFilter.filter.added > this.keyFilter.filter.capacity) this.useKeyFilter();
    const filter = this.keyFilter!.filter;
    return keys.filter((k) => filter.mayHave(k));
  }

  /** Next change number inside the running upsert transaction (read once, written back once: see `upsert`). */
  private seqNext = 0;

  async upsertPapers(records: PaperRecord[], now: string): Promise<UpsertResult> {
    // IMMEDIATE: take the write lock before reading the seq counter, so two
    // processes never hand out the same numbers.
    return this.db.transaction(() => {
      this.seqNext = (this.stmt.getSeq.get() as { value: number }).value;
      const keys = this.keysToAsk(keysOf(records));
      const keyIndex = new Map<string, number[]>();
      for (const part of chunks(keys)) {
        const rows = this.db
          .prepare(`SELECT key, pk FROM paper_keys WHERE key IN (${placeholders(part.length)})`)
          .all(...part) as { key: string; pk: number }[];
        for (const r of rows) {
          const list = keyIndex.get(r.key);
          if (list) list.push(r.pk);
          else keyIndex.set(r.key, [r.pk]);
        }
      }
      const pks = [...new Set([...keyIndex.values()].flat())];
      const loaded: LoadedPaper[] = [];
      for (const part of chunks(pks)) {
        const rows = this.db
          .prepare(`SELECT ${PAPER_COLUMNS} FROM papers WHERE pk IN (${placeholders(part.length)})`)
          .all(...part) as PaperRow[];
        for (const r of rows) {
          const { pk: _pk, seq: _seq, ...paper } = rowToPaper(r);
          loaded.push({ pk: r.pk, paper, titleRank: r.title_rank, fingerprint: r.fingerprint });
        }
      }

      const plan = planUpsert(records, keyIndex, loaded, now);
      const realPk = new Map<number, number>();
      for (const { from, into } of plan.absorbed) this.absorb(from, into);
      for (const p of plan.papers) realPk.set(p.pk, this.write(p));
      const pkOf = (pk: number) => realPk.get(pk) ?? pk;

      for (const { pk, record } of plan.provenance) {
        this.stmt.provenance.run(
          pkOf(pk),
          record.source.kind,
          record.source.locator,
          record.source.seenAt,
          JSON.stringify(provenanceFields(record)),
        );
      }
      this.stmt.setSeq.run(this.seqNext);
      const idOf = new Map(loaded.map((l) => [l.pk, l.paper.id]));
      for (const p of plan.papers) idOf.set(pkOf(p.pk), p.paper.id);
      const outcomes = plan.outcomes.map((o) => {
        const pk = pkOf(o.pk);
        return { ...o, pk, id: idOf.get(pk) ?? '' };
      });
      return { counts: plan.counts, outcomes };
    }).immediate();
  }

  private seq(): number {
    return ++this.seqNext;
  }

  /** Writes a planned paper and its derived rows; returns its real pk. */
  private write(p: PlannedPaper): number {
    let pk = p.pk;
    if (p.isNew || p.changed) {
      const row = {
        id: p.paper.id,
        title: p.paper.title,
        abstract: p.paper.abstract,
        authors: p.paper.authors.join('; '),
        listing_date: p.paper.listingDate ?? null,
        upvotes: p.paper.signals.upvotes ?? null,
        data: encodePaperData(p.paper),
        title_rank: p.titleRank,
        fingerprint: p.fingerprint || contentFingerprint(p.paper),
        added_at: p.paper.addedAt,
        modified_at: p.paper.modifiedAt,
        seq: this.seq(),
      };
      if (p.isNew) {
        pk = Number(this.stmt.insert.run(row).lastInsertRowid);
      } else {
        this.stmt.update.run({ ...row, pk });
        this.stmt.deleteCategories.run(pk);
        this.stmt.deleteAuthors.run(pk);
      }
      this.insertRows('INSERT OR IGNORE INTO paper_categories (category, pk) VALUES', 2, p.paper.categories.map((c) => [c, pk]));
      this.insertRows(
        'INSERT INTO paper_authors (pk, position, name, name_key) VALUES',
        4,
        p.paper.authors.map((name, i) => [pk, i, name, foldText(name)]),
      );
    }
    if (p.keys.size) {
      this.insertRows('INSERT OR IGNORE INTO paper_keys (key, pk) VALUES', 2, [...p.keys].map((k) => [k, pk]));
      const filter = this.keyFilter?.filter;
      if (filter) for (const k of p.keys) filter.add(k);
    }
    return pk;
  }

  /** Multi-row INSERT statements by (statement, row count): one statement run per paper instead of one per row. */
  private readonly multiRow = new Map<string, Database.Statement>();

  private insertRows(insert: string, columns: number, rows: unknown[][]): void {
    const MAX_ROWS = 50;
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      const part = i === 0 && rows.length <= MAX_ROWS ? rows : rows.slice(i, i + MAX_ROWS);
      const key = `${part.length}:${insert}`;
      let stmt = this.multiRow.get(key);
      if (!stmt) {
        const tuple = `(${new Array(columns).fill('?').join(',')})`;
        stmt = this.db.prepare(`${insert} ${new Array(part.length).fill(tuple).join(',')}`);
        this.multiRow.set(key, stmt);
      }
      stmt.run(...part.flat());
    }
  }

  /** Moves everything that points at `from` to `into`, then deletes `from`. */
  private absorb(from: number, into: number): void {
    for (const table of PAPER_REFERENCES) {
      this.db.prepare(`UPDATE OR IGNORE ${table} SET pk = ? WHERE pk = ?`).run(into, from);
    }
    this.db.prepare('UPDATE OR IGNORE paper_keys SET pk = ? WHERE pk = ?').run(into, from);
    this.stmt.removePaper.run(from);
    this.stmt.logRemoved.run(this.seq(), from, into);
  }

  async getPaper(id: string): Promise<StoredPaper | undefined> {
    const wanted = normaliseUserId(id);
    const row = (this.stmt.byId.get(wanted) ?? this.stmt.byKey.get(wanted)) as PaperRow | undefined;
    return row ? rowToPaper(row) : undefined;
  }

  async getPapersByPk(pks: number[]): Promise<StoredPaper[]> {
    const found = new Map<number, StoredPaper>();
    for (const part of chunks(pks)) {
      const rows = this.db
        .prepare(`SELECT ${PAPER_COLUMNS} FROM papers WHERE pk IN (${placeholders(part.length)})`)
        .all(...part) as PaperRow[];
      for (const r of rows) found.set(r.pk, rowToPaper(r));
    }
    return pks.map((pk) => found.get(pk)).filter((p): p is StoredPaper => !!p);
  }

  async paperBriefs(pks: number[]): Promise<PaperBrief[]> {
    const out: PaperBrief[] = [];
    for (const part of chunks(pks)) {
      const rows = this.db.prepare(`SELECT pk, id, title, listing_date FROM papers WHERE pk IN (${placeholders(part.length)})`).all(...part) as {
        pk: number;
        id: string;
        title: string;
        listing_date: string | null;
      }[];
      for (const r of rows) out.push({ pk: r.pk, id: r.id, title: r.title, listingDate: r.listing_date ?? undefined });
    }
    return out;
  }

  async provenance(pk: number): Promise<Provenance[]> {
    const rows = this.stmt.provenanceOf.all(pk) as { kind: string; locator: string; seen_at: string; fields: string }[];
    return rows.map((r) => ({
      source: { kind: r.kind as Provenance['source']['kind'], locator: r.locator, seenAt: r.seen_at },
      fields: JSON.parse(r.fields) as Record<string, unknown>,
    }));
  }

  async listPapers(opts: ListOptions): Promise<{ papers: StoredPaper[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.from) {
      where.push('p.listing_date >= ?');
      params.push(opts.from);
    }
    if (opts.to) {
      where.push('p.listing_date <= ?');
      params.push(opts.to);
    }
    if (opts.categories?.length) {
      where.push(`p.pk IN (SELECT pk FROM paper_categories WHERE category IN (${placeholders(opts.categories.length)}))`);
      params.push(...opts.categories);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order =
      opts.sort === 'upvotes'
        ? 'ORDER BY COALESCE(p.upvotes, 0) DESC, p.listing_date DESC, p.pk DESC'
        : opts.sort === 'trending'
          ? // Hacker-News-style gravity: upvotes decay with the age of the listing day.
            `ORDER BY (COALESCE(p.upvotes, 0) + 1) / pow(MAX(julianday(?) - julianday(COALESCE(p.listing_date, '2000-01-01')), 0) + 2, 1.5) DESC, p.pk DESC`
          : // Undated papers last; with a date range there are none, and the plain order can walk the index.
            `ORDER BY ${opts.from || opts.to ? '' : 'p.listing_date IS NULL, '}p.listing_date DESC, p.pk DESC`;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM papers p ${whereSql}`).get(...params) as { n: number }).n;
    // Sort narrow rows (pks) first, then read the page's records: sorting whole rows with their JSON
    // made a month of papers take hundreds of milliseconds (bench/web.ts).
    const pks = (
      this.db
        .prepare(`SELECT p.pk FROM papers p ${whereSql} ${order} LIMIT ? OFFSET ?`)
        .all(...params, ...(opts.sort === 'trending' ? [opts.asOf ?? new Date().toISOString().slice(0, 10)] : []), opts.limit ?? 50, opts.offset ?? 0) as { pk: number }[]
    ).map((r) => r.pk);
    return { papers: await this.getPapersByPk(pks), total };
  }

  async listingDays(opts: { from?: string; to?: string; limit?: number }): Promise<{ day: string; count: number }[]> {
    return this.db
      .prepare(
        `SELECT listing_date AS day, count(*) AS count FROM papers
         WHERE listing_date IS NOT NULL AND listing_date >= ? AND listing_date <= ?
         GROUP BY listing_date ORDER BY listing_date DESC LIMIT ?`,
      )
      .all(opts.from ?? '0000-00-00', opts.to ?? '9999-99-99', opts.limit ?? 10_000) as { day: string; count: number }[];
  }

  async windowPks(from: string, to: string): Promise<number[]> {
    return this.db.prepare('SELECT pk FROM papers WHERE listing_date >= ? AND listing_date <= ? ORDER BY pk').pluck().all(from, to) as number[];
  }

  async papersByAuthor(name: string, limit = 200): Promise<StoredPaper[]> {
    const rows = this.db
      .prepare(
        `SELECT ${paperColumns('p')} FROM papers p
         WHERE p.pk IN (SELECT pk FROM paper_authors WHERE name_key = ?)
         ORDER BY p.listing_date DESC LIMIT ?`,
      )
      .all(foldText(name), limit) as PaperRow[];
    return rows.map(rowToPaper);
  }

  async findAuthors(query: string, limit = 20): Promise<{ name: string; papers: number }[]> {
    const key = foldText(query);
    if (!key) return [];
    return this.db
      .prepare(
        `SELECT name, count(DISTINCT pk) AS papers FROM paper_authors
         WHERE name_key = ? OR name_key LIKE ? ESCAPE '\\' OR name_key LIKE ? ESCAPE '\\'
         GROUP BY name_key ORDER BY (name_key = ?) DESC, papers DESC, name LIMIT ?`,
      )
      .all(key, `${escapeLike(key)} %`, `% ${escapeLike(key)}`, key, limit) as { name: string; papers: number }[];
  }

  async changesSince(seq: number, limit: number): Promise<PaperChanges> {
    const rows = this.db
      .prepare(`SELECT ${PAPER_COLUMNS} FROM papers WHERE seq > ? ORDER BY seq LIMIT ?`)
      .all(seq, limit) as PaperRow[];
    const removed = this.db
      .prepare('SELECT seq, pk FROM removed_papers WHERE seq > ? AND seq <= ? ORDER BY seq')
      .all(seq, removalsUpTo(rows, limit)) as { seq: number; pk: number }[];
    return toChanges(seq, rows.map(rowToPaper), removed);
  }

  async *scanPapers(batchSize: number): AsyncGenerator<StoredPaper[]> {
    let after = 0;
    const stmt = this.db.prepare(`SELECT ${PAPER_COLUMNS} FROM papers WHERE pk > ? ORDER BY pk LIMIT ?`);
    for (;;) {
      const rows = stmt.all(after, batchSize) as PaperRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].pk;
      yield rows.map(rowToPaper);
    }
  }

  async stats(): Promise<StoreStats> {
    // Both statements in one read transaction, so the sources describe the same snapshot as the counts.
    return this.db.transaction(() =>
      toStoreStats(this.db.prepare(STATS_SQL).get() as StatsRow, this.db.prepare(SOURCES_SQL).all() as { kind: string; n: number }[]),
    )();
  }
}
