/**
 * Model blobs and per-paper vectors on PostgreSQL.
 *
 * A model is stored as chunks of at most 32 MB: one bytea value cannot exceed
 * 1 GB, and an ANN snapshot over millions of papers can. The driver reads
 * bytea as hex text (its binary mode does not handle bytea), and a JavaScript
 * string is limited to about 512 MB, so chunks stay well below that.
 */
import type { Pool, PoolClient } from 'pg';
import type { ModelStore, VectorStore } from '../types.ts';
import { one, rows, storable, tx } from './db.ts';

export const MODEL_CHUNK_BYTES = 32 * 1024 * 1024;

/** Writes (or replaces) a model inside the caller's transaction. */
export async function writeModel(
  c: PoolClient,
  name: string,
  data: Buffer,
  meta: Record<string, unknown>,
  builtAt: string,
  chunkBytes = MODEL_CHUNK_BYTES,
): Promise<void> {
  await c.query(
    `INSERT INTO models (name, meta, size, built_at) VALUES ($1, $2::jsonb, $3, $4)
     ON CONFLICT (name) DO UPDATE SET meta = excluded.meta, size = excluded.size, built_at = excluded.built_at`,
    [name, JSON.stringify(storable(meta)), data.length, builtAt],
  );
  await c.query('DELETE FROM model_chunks WHERE name = $1', [name]);
  for (let part = 0, at = 0; at < data.length || part === 0; part++, at += chunkBytes) {
    await c.query('INSERT INTO model_chunks (name, part, data) VALUES ($1, $2, $3)', [
      name,
      part,
      data.subarray(at, Math.min(at + chunkBytes, data.length)),
    ]);
  }
}

export class PgVectors implements ModelStore, VectorStore {
  constructor(
    private readonly pool: Pool,
    /** Clock for the build time of a model stored without one. */
    private readonly now: () => Date = () => new Date(),
    private readonly chunkBytes = MODEL_CHUNK_BYTES,
  ) {}

  async putModel(name: string, data: Buffer, meta: Record<string, unknown>, builtAt = this.now().toISOString()): Promise<void> {
    await tx(this.pool, (c) => writeModel(c, name, data, meta, builtAt, this.chunkBytes));
  }

  async getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown>; builtAt: string } | undefined> {
    // One snapshot for the header and every chunk, so a concurrent putModel is seen whole or not at all.
    return tx(this.pool, async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const head = await one<{ meta: Record<string, unknown>; size: number; built_at: string }>(
        c,
        'SELECT meta, size, built_at FROM models WHERE name = $1',
        [name],
      );
      if (!head) return undefined;
      const data = Buffer.allocUnsafe(head.size);
      let at = 0;
      for (let part = 0; at < head.size; part++) {
        const [row] = await rows<{ data: Buffer }>(c, 'SELECT data FROM model_chunks WHERE name = $1 AND part = $2', [name, part]);
        const chunk = row?.data;
        if (!chunk) throw new Error(`model "${name}" is incomplete: chunk ${part} of ${head.size} bytes is missing`);
        chunk.copy(data, at);
        at += chunk.length;
      }
      return { data, meta: head.meta, builtAt: head.built_at };
    });
  }

  async putVectors(model: string, list: { pk: number; vector: Buffer }[]): Promise<void> {
    if (list.length === 0) return;
    // The last vector given for a pk wins (as with one-by-one upserts); one statement may not touch a row twice.
    const byPk = new Map<number, Buffer>();
    for (const r of list) byPk.set(r.pk, r.vector);
    await this.pool.query(
      `INSERT INTO paper_vectors (model, pk, vector) SELECT $1, u.pk, u.vector FROM unnest($2::int[], $3::bytea[]) AS u(pk, vector)
       ON CONFLICT (model, pk) DO UPDATE SET vector = excluded.vector`,
      [model, [...byPk.keys()], [...byPk.values()]],
    );
  }

  async getVectors(model: string, pks: number[]): Promise<Map<number, Buffer>> {
    const out = new Map<number, Buffer>();
    if (pks.length === 0) return out;
    const list = await rows<{ pk: number; vector: Buffer }>(
      this.pool,
      'SELECT pk, vector FROM paper_vectors WHERE model = $1 AND pk = ANY($2::int[])',
      [model, pks],
    );
    for (const row of list) out.set(row.pk, row.vector);
    return out;
  }

  async *scanVectors(model: string, batchSize: number): AsyncGenerator<{ pk: number; vector: Buffer }[]> {
    let after = 0;
    for (;;) {
      const list = await rows<{ pk: number; vector: Buffer }>(
        this.pool,
        'SELECT pk, vector FROM paper_vectors WHERE model = $1 AND pk > $2 ORDER BY pk LIMIT $3',
        [model, after, batchSize],
      );
      if (list.length === 0) return;
      after = list[list.length - 1].pk;
      yield list;
    }
  }

  async deleteVectors(model: string): Promise<void> {
    await this.pool.query('DELETE FROM paper_vectors WHERE model = $1', [model]);
  }

  async countVectors(model: string): Promise<number> {
    return (await one<{ n: number }>(this.pool, 'SELECT count(*) AS n FROM paper_vectors WHERE model = $1', [model]))!.n;
  }
}
