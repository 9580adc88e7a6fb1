/**
 * Builds a benchmark database fast: the store's own schema (SqliteStore runs
 * the migrations, so the FTS table, its triggers and every index are the real
 * ones) filled by plain prepared INSERTs in large transactions, skipping the
 * importer's merge planning (which a search benchmark does not measure).
 */
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalId } from '../../src/paper/ids.ts';
import { foldText } from '../../src/paper/normalise.ts';
import type { Paper, PaperRecord } from '../../src/paper/types.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { realRecord, syntheticRecord, syntheticSource, type RealPaper } from './search-corpus.ts';

export function paperOf(r: PaperRecord, now: string): Paper {
  return {
    id: canonicalId(r) ?? `title:${foldText(r.title ?? '')}`,
    ...(r.arxivId ? { arxivId: r.arxivId } : {}),
    ...(r.doi ? { doi: r.doi } : {}),
    title: r.title ?? '',
    abstract: r.abstract ?? '',
    abstractTruncated: false,
    authors: r.authors ?? [],
    authorsComplete: true,
    categories: r.categories ?? [],
    ...(r.announced ? { announced: r.announced, listingDate: r.announced } : {}),
    versions: [],
    links: {},
    signals: r.signals ?? {},
    addedAt: now,
    modifiedAt: now,
  };
}

export class BulkWriter {
  private readonly insert;
  private readonly category;
  private readonly author;
  private seq = 0;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO papers (id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?, ?)`,
    );
    this.category = db.prepare('INSERT OR IGNORE INTO paper_categories (category, pk) VALUES (?, ?)');
    this.author = db.prepare('INSERT OR IGNORE INTO paper_authors (pk, position, name, name_key) VALUES (?, ?, ?, ?)');
  }

  write(records: PaperRecord[], now: string): void {
    this.db.transaction(() => {
      for (const r of records) {
        const p = paperOf(r, now);
        const info = this.insert.run(
          p.id,
          p.title,
          p.abstract,
          p.authors.join('; '),
          p.listingDate ?? null,
          p.signals.upvotes ?? null,
          JSON.stringify(p),
          now,
          now,
          ++this.seq,
        );
        if (!info.changes) continue;
        const pk = Number(info.lastInsertRowid);
        for (const c of p.categories) this.category.run(c, pk);
        p.authors.forEach((a, i) => this.author.run(pk, i, a, foldText(a)));
      }
    })();
  }
}

export interface BenchDbInfo {
  path: string;
  papers: number;
  real: number;
  synthetic: number;
  /** Seconds spent building now; undefined when the cached file was reused. */
  buildSeconds?: number;
}

/**
 * The database for `n` papers under `cacheDir`, built once and reused: the
 * first min(n, real) papers are the real arXiv-daily ones, the rest synthetic.
 * Written to a `.part` file and renamed at the end, so an interrupted build is
 * never mistaken for a finished one.
 */
export async function ensureBenchDb(
  n: number,
  opts: { cacheDir: string; real: () => Promise<RealPaper[]>; log: (s: string) => void },
): Promise<BenchDbInfo> {
  const path = join(opts.cacheDir, `papers-${n}.db`);
  mkdirSync(opts.cacheDir, { recursive: true });
  const real = await opts.real();
  const nReal = Math.min(n, real.length);
  if (existsSync(path)) return { path, papers: n, real: nReal, synthetic: n - nReal };
  const part = `${path}.part`;
  for (const f of [part, `${part}-wal`, `${part}-shm`]) rmSync(f, { force: true });
  const t0 = performance.now();
  const src = n > real.length ? syntheticSource(real) : undefined;
  const store = new SqliteStore(part);
  const writer = new BulkWriter(store.db);
  const now = '2026-07-01T00:00:00Z';
  const BATCH = 5000;
  for (let done = 0; done < n; ) {
    const batch: PaperRecord[] = [];
    for (let i = done; i < Math.min(n, done + BATCH); i++) batch.push(i < real.length ? realRecord(real[i]) : syntheticRecord(src!, i));
    writer.write(batch, now);
    done += batch.length;
    if (done % 50_000 === 0 || done === n) {
      const s = (performance.now() - t0) / 1000;
      opts.log(`  building ${n.toLocaleString('en')}-paper database: ${done.toLocaleString('en')} (${(done / s).toFixed(0)} papers/s)`);
    }
  }
  // Merge the index segments the incremental inserts left, as a maintenance job would.
  for (const t of ['papers_fts', 'papers_title_fts']) {
    const exists = store.db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(t);
    if (exists) store.db.exec(`INSERT INTO ${t}(${t}) VALUES('optimize')`);
  }
  await store.close();
  renameSync(part, path);
  return { path, papers: n, real: nReal, synthetic: n - nReal, buildSeconds: (performance.now() - t0) / 1000 };
}
