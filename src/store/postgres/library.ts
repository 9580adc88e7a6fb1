/** Notes and collections on PostgreSQL (tables from migrations 1 and 7), each within its owner's; behaviour as in ../sqlite/library.ts. */
import type { Pool } from 'pg';
import { rowToCollection, rowToCollectionPaper, rowToNote, SELECT_COLLECTIONS, type CollectionPaperRow, type CollectionRow, type NoteRow } from '../rows.ts';
import type { Collection, LibraryStore, Note } from '../types.ts';
import { owner as ownerIs, type Owner } from './accounts.ts';
import { one, rows, storable } from './db.ts';
import { SHARED_PAPER_LOCK } from './papers.ts';

/** SQLite's `COLLATE NOCASE` folds ASCII letters only; so does this. */
const NOCASE_ORDER = `ORDER BY translate(c.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), c.name`;

export class PgLibrary implements LibraryStore {
  constructor(
    private readonly pool: Pool,
    private readonly owner: Owner = undefined,
  ) {}

  async getNote(pk: number): Promise<Note | undefined> {
    const r = await one<NoteRow>(this.pool, `SELECT pk, text, updated_at FROM notes WHERE pk = $1 AND owner_id = ${ownerIs(2)}`, [pk, this.owner ?? null]);
    return r ? rowToNote(r) : undefined;
  }

  async listNotes(): Promise<Note[]> {
    const r = await this.pool.query<{ pk: number; text: string; updated_at: string }>(`SELECT pk, text, updated_at FROM notes WHERE owner_id = ${ownerIs(1)} ORDER BY pk`, [this.owner ?? null]);
    return r.rows.map((n) => ({ pk: Number(n.pk), text: n.text, updatedAt: n.updated_at }));
  }

  async putNote(pk: number, text: string, now: string): Promise<void> {
    if (!text.trim()) {
      await this.pool.query(`DELETE FROM notes WHERE pk = $1 AND owner_id = ${ownerIs(2)}`, [pk, this.owner ?? null]);
      return;
    }
    await this.pool.query(
      `WITH guard AS (${SHARED_PAPER_LOCK})
       INSERT INTO notes (owner_id, pk, text, updated_at) SELECT ${ownerIs(4)}, $1, $2, $3 FROM guard
       ON CONFLICT (owner_id, pk) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      [pk, storable(text), now, this.owner ?? null],
    );
  }

  async listCollections(): Promise<Collection[]> {
    return (await rows<CollectionRow>(this.pool, `${SELECT_COLLECTIONS} WHERE c.owner_id = ${ownerIs(1)} ${NOCASE_ORDER}`, [this.owner ?? null])).map(rowToCollection);
  }

  async getCollection(name: string): Promise<Collection | undefined> {
    const r = await one<CollectionRow>(this.pool, `${SELECT_COLLECTIONS} WHERE c.name = $1 AND c.owner_id = ${ownerIs(2)}`, [name, this.owner ?? null]);
    return r ? rowToCollection(r) : undefined;
  }

  async ensureCollection(name: string, now: string): Promise<Collection> {
    const clean = storable(name);
    await this.pool.query(`INSERT INTO collections (owner_id, name, created_at) VALUES (${ownerIs(3)}, $1, $2) ON CONFLICT (owner_id, name) DO NOTHING`, [
      clean,
      now,
      this.owner ?? null,
    ]);
    return (await this.getCollection(clean))!;
  }

  async deleteCollection(collectionId: number): Promise<boolean> {
    return ((await this.pool.query(`DELETE FROM collections WHERE collection_id = $1 AND owner_id = ${ownerIs(2)}`, [collectionId, this.owner ?? null])).rowCount ?? 0) > 0;
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
    const list = await rows<CollectionPaperRow>(
      this.pool,
      'SELECT pk, added_at FROM collection_papers WHERE collection_id = $1 ORDER BY added_at DESC, pk DESC',
      [collectionId],
    );
    return list.map(rowToCollectionPaper);
  }

  async collectionsOf(pk: number): Promise<Collection[]> {
    const list = await rows<CollectionRow>(
      this.pool,
      `${SELECT_COLLECTIONS} WHERE c.owner_id = ${ownerIs(2)} AND c.collection_id IN (SELECT collection_id FROM collection_papers WHERE pk = $1) ${NOCASE_ORDER}`,
      [pk, this.owner ?? null],
    );
    return list.map(rowToCollection);
  }
}
