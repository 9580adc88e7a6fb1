/**
 * Notes and collections on one better-sqlite3 connection (tables from
 * migrations 1 and 7), each within its owner's (`owner`, see accounts.ts).
 */
import type Database from 'better-sqlite3';
import { rowToCollection, rowToCollectionPaper, rowToNote, SELECT_COLLECTIONS, type CollectionPaperRow, type CollectionRow, type NoteRow } from '../rows.ts';
import type { Collection, LibraryStore, Note } from '../types.ts';
import { OWNER, type Owner } from './accounts.ts';

export class SqliteLibrary implements LibraryStore {
  constructor(
    private readonly db: Database.Database,
    private readonly owner: Owner = undefined,
  ) {}

  async getNote(pk: number): Promise<Note | undefined> {
    const r = this.db.prepare(`SELECT pk, text, updated_at FROM notes WHERE owner_id = ${OWNER} AND pk = ?`).get(this.owner ?? null, pk) as NoteRow | undefined;
    return r ? rowToNote(r) : undefined;
  }

  async listNotes(): Promise<Note[]> {
    return (this.db.prepare(`SELECT pk, text, updated_at FROM notes WHERE owner_id = ${OWNER} ORDER BY pk`).all(this.owner ?? null) as { pk: number; text: string; updated_at: string }[]).map((r) => ({
      pk: r.pk,
      text: r.text,
      updatedAt: r.updated_at,
    }));
  }

  async putNote(pk: number, text: string, now: string): Promise<void> {
    if (!text.trim()) {
      this.db.prepare(`DELETE FROM notes WHERE owner_id = ${OWNER} AND pk = ?`).run(this.owner ?? null, pk);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO notes (owner_id, pk, text, updated_at) VALUES (${OWNER}, ?, ?, ?)
         ON CONFLICT(owner_id, pk) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      )
      .run(this.owner ?? null, pk, text, now);
  }

  async listCollections(): Promise<Collection[]> {
    return (this.db.prepare(`${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} ORDER BY c.name COLLATE NOCASE, c.name`).all(this.owner ?? null) as CollectionRow[]).map(rowToCollection);
  }

  async getCollection(name: string): Promise<Collection | undefined> {
    const r = this.db.prepare(`${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} AND c.name = ?`).get(this.owner ?? null, name) as CollectionRow | undefined;
    return r ? rowToCollection(r) : undefined;
  }

  async ensureCollection(name: string, now: string): Promise<Collection> {
    this.db.prepare(`INSERT OR IGNORE INTO collections (owner_id, name, created_at) VALUES (${OWNER}, ?, ?)`).run(this.owner ?? null, name, now);
    return (await this.getCollection(name))!;
  }

  async deleteCollection(collectionId: number): Promise<boolean> {
    return this.db.prepare(`DELETE FROM collections WHERE collection_id = ? AND owner_id = ${OWNER}`).run(collectionId, this.owner ?? null).changes > 0;
  }

  async addToCollection(collectionId: number, pk: number, now: string): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO collection_papers (collection_id, pk, added_at) VALUES (?, ?, ?)').run(collectionId, pk, now).changes > 0;
  }

  async removeFromCollection(collectionId: number, pk: number): Promise<boolean> {
    return this.db.prepare('DELETE FROM collection_papers WHERE collection_id = ? AND pk = ?').run(collectionId, pk).changes > 0;
  }

  async collectionPapers(collectionId: number): Promise<{ pk: number; addedAt: string }[]> {
    return (
      this.db.prepare('SELECT pk, added_at FROM collection_papers WHERE collection_id = ? ORDER BY added_at DESC, pk DESC').all(collectionId) as CollectionPaperRow[]
    ).map(rowToCollectionPaper);
  }

  async collectionsOf(pk: number): Promise<Collection[]> {
    return (
      this.db
        .prepare(
          `${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} AND c.collection_id IN (SELECT collection_id FROM collection_papers WHERE pk = ?)
           ORDER BY c.name COLLATE NOCASE, c.name`,
        )
        .all(this.owner ?? null, pk) as CollectionRow[]
    ).map(rowToCollection);
  }
}
