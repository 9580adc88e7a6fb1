import type Database from 'better-sqlite3';
import type { ModelStore, VectorStore } from '../types.ts';

/** Model blobs and per-paper vectors on one better-sqlite3 connection. */
export class SqliteVectors implements ModelStore, VectorStore {
  private byPks?: Database.Statement;
  constructor(
    private readonly db: Database.Database,
    /** Clock for the build time of a model stored without one. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async putModel(name: string, data: Buffer, meta: Record<string, unknown>, builtAt = this.now().toISOString()): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO models (name, meta, data, built_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET meta = excluded.meta, data = excluded.data, built_at = excluded.built_at`,
      )
      .run(name, JSON.stringify(meta), data, builtAt);
  }

  async getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown>; builtAt: string } | undefined> {
    const row = this.db.prepare('SELECT meta, data, built_at FROM models WHERE name = ?').get(name) as
      | { meta: string; data: Buffer; built_at: string }
      | undefined;
    return row ? { data: row.data, meta: JSON.parse(row.meta) as Record<string, unknown>, builtAt: row.built_at } : undefined;
  }

  async putVectors(model: string, rows: { pk: number; vector: Buffer }[]): Promise<void> {
    const stmt = this.db.prepare(
      'INSERT INTO paper_vectors (model, pk, vector) VALUES (?, ?, ?) ON CONFLICT (model, pk) DO UPDATE SET vector = excluded.vector',
    );
    this.db.transaction(() => {
      for (const r of rows) stmt.run(model, r.pk, r.vector);
    })();
  }

  async getVectors(model: string, pks: number[]): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    // One statement per chunk instead of one per pk: similar-papers queries read
    // a few hundred candidates' vectors, and the per-call overhead dominated.
    const stmt = (this.byPks ??= this.db.prepare('SELECT pk, vector FROM paper_vectors WHERE model = ? AND pk IN (SELECT value FROM json_each(?))'));
    for (let i = 0; i < pks.length; i += 5000) {
      const rows = stmt.all(model, JSON.stringify(pks.slice(i, i + 5000))) as { pk: number; vector: Buffer }[];
      for (const row of rows) out.set(row.pk, row.vector);
    }
    return out;
  }

  async *scanVectors(model: string, batchSize: number): AsyncGenerator<{ pk: number; vector: Buffer }[]> {
    let after = 0;
    const stmt = this.db.prepare('SELECT pk, vector FROM paper_vectors WHERE model = ? AND pk > ? ORDER BY pk LIMIT ?');
    for (;;) {
      const rows = stmt.all(model, after, batchSize) as { pk: number; vector: Buffer }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].pk;
      yield rows;
    }
  }

  async deleteVectors(model: string): Promise<void> {
    this.db.prepare('DELETE FROM paper_vectors WHERE model = ?').run(model);
  }

  async countVectors(model: string): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM paper_vectors WHERE model = ?').get(model) as { n: number }).n;
  }
}
