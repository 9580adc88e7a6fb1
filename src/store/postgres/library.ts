/** Notes and collections on PostgreSQL (tables from migrations 1 and 5), each within its owner's; behaviour as in ../sqlite/library.ts. */
import type { Pool } from 'pg';
import type { Collection, Note } from '../types.ts';
import { owner as ownerIs, type Owner } from './accounts.ts';
import { one, rows, storable } from './db.ts';
import { SHARED_PAPER_LOCK } from './papers.ts';

interface CollectionRow {
  collection_id: number;
  name: string;
  created_at: string;
  papers: number;
}

const toCollection = (r: CollectionRow): Collection => ({ collectionId: r.collection_id, name: r.name, createdAt: r.created_at, papers: r.papers });

const SELECT_COLLECTIONS = `SELECT c.collection_id, c.name, c.created_at,
  (SELECT count(*) FROM collection_papers cp WHERE cp.collection_id = c.collection_id) AS papers
  FROM collections c`;

/** SQLite's `COLLATE NOCASE` folds ASCII letters only; so does this. */
const NOCASE_ORDER = `ORDER BY translate(c.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), c.name`;

export class PgLibrary {
  constructor(private readonly pool: Pool) {}

  async getNote(owner: Owner, pk: number): Promise<Note | undefined> {
    const r = await one<{ pk: number; text: string; updated_at: string }>(this.pool, `SELECT pk, text, updated_at FROM notes WHERE pk = $1 AND owner_id = ${ownerIs(2)}`, [
      pk,
      owner ?? null,
    ]);
    return r ? { pk: r.pk, text: r.text, updatedAt: r.updated_at } : undefined;
  }

  async putNote(owner: Owner, pk: number, text: string, now: string): Promise<void> {
    if (!text.trim()) {
      await this.pool.query(`DELETE FROM notes WHERE pk = $1 AND owner_id = ${ownerIs(2)}`, [pk, owner ?? null]);
      return;
    }
    await this.pool.query(
      `WITH guard AS (${SHARED_PAPER_LOCK})
       INSERT INTO notes (owner_id, pk, text, updated_at) SELECT ${ownerIs(4)}, $1, $2, $3 FROM guard
       ON CONFLICT (owner_id, pk) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      [pk, storable(text), now, owner ?? null],
    );
  }

  async listCollections(owner: Owner): Promise<Collection[]> {
    return (await rows<CollectionRow>(this.pool, `${SELECT_COLLECTIONS} WHERE c.owner_id = ${ownerIs(1)} ${NOCASE_ORDER}`, [owner ?? null])).map(toCollection);
  }

  async getCollection(owner: Owner, name: string): Promise<Collection | undefined> {
    const r = await one<CollectionRow>(this.pool, `${SELECT_COLLECTIONS} WHERE c.name = $1 AND c.owner_id = ${ownerIs(2)}`, [name, owner ?? null]);
    return r ? toCollection(r) : undefined;
  }

  async ensureCollection(owner: Owner, name: string, now: string): Promise<Collection> {
    const clean = storable(name);
    await this.pool.query(`INSERT INTO collections (owner_id, name, created_at) VALUES (${ownerIs(3)}, $1, $2) ON CONFLICT (owner_id, name) DO NOTHING`, [
      clean,
      now,
      owner ?? null,
    ]);
    return (await this.getCollection(owner, clean))!;
  }

  async deleteCollection(owner: Owner, collectionId: number): Promise<boolean> {
    return ((await this.pool.query(`DELETE FROM collections WHERE collection_id = $1 AND owner_id = ${ownerIs(2)}`, [collectionId, owner ?? null])).rowCount ?? 0) > 0;
  }

  async addToCollection(collectionId: number, pk: number, now: string): Promise<boolean> {
    const r = await this.pool.query(
      `WITH guard AS (${SHARED_PAPER_LOCK})
       INSERT INTO collection_papers (collection_id, pk, added_at) SELECT $1, $2, $3 FROM guard ON CONFLICT DO NOTHING`,
      [collectionId, pk, now],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async removeFromCollection(collectionId: number, pk: number): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM collection_papers WHERE collection_id = $1 AND pk = $2', [collectionId, pk]);
    return (r.rowCount ?? 0) > 0;
  }

  async collectionPapers(collectionId: number): Promise<{ pk: number; addedAt: string }[]> {
    const list = await rows<{ pk: number; added_at: string }>(
      this.pool,
      'SELECT pk, added_at FROM collection_papers WHERE collection_id = $1 ORDER BY added_at DESC, pk DESC',
      [collectionId],
    );
    return list.map((r) => ({ pk: r.pk, addedAt: r.added_at }));
  }

  async collectionsOf(owner: Owner, pk: number): Promise<Collection[]> {
    const list = await rows<CollectionRow>(
      this.pool,
      `${SELECT_COLLECTIONS} WHERE c.owner_id = ${ownerIs(2)} AND c.collection_id IN (SELECT collection_id FROM collection_papers WHERE pk = $1) ${NOCASE_ORDER}`,
      [pk, owner ?? null],
    );
    return list.map(toCollection);
  }
}
