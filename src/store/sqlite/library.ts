/**
 * Notes and collections on one better-sqlite3 connection (tables from
 * migrations 1 and 5), each within its owner's (`owner`, see accounts.ts).
 */
import type Database from 'better-sqlite3';
import type { Collection, Note } from '../types.ts';
import { OWNER, type Owner } from './accounts.ts';

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

export class SqliteLibrary {
  constructor(private readonly db: Database.Database) {}

  getNote(owner: Owner, pk: number): Note | undefined {
    const r = this.db.prepare(`SELECT pk, text, updated_at FROM notes WHERE owner_id = ${OWNER} AND pk = ?`).get(owner ?? null, pk) as { pk: number; text: string; updated_at: string } | undefined;
    return r ? { pk: r.pk, text: r.text, updatedAt: r.updated_at } : undefined;
  }

  putNote(owner: Owner, pk: number, text: string, now: string): void {
    if (!text.trim()) {
      this.db.prepare(`DELETE FROM notes WHERE owner_id = ${OWNER} AND pk = ?`).run(owner ?? null, pk);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO notes (owner_id, pk, text, updated_at) VALUES (${OWNER}, ?, ?, ?)
         ON CONFLICT(owner_id, pk) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      )
      .run(owner ?? null, pk, text, now);
  }

  listCollections(owner: Owner): Collection[] {
    return (this.db.prepare(`${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} ORDER BY c.name COLLATE NOCASE, c.name`).all(owner ?? null) as CollectionRow[]).map(
      toCollection,
    );
  }

  getCollection(owner: Owner, name: string): Collection | undefined {
    const r = this.db.prepare(`${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} AND c.name = ?`).get(owner ?? null, name) as CollectionRow | undefined;
    return r ? toCollection(r) : undefined;
  }

  ensureCollection(owner: Owner, name: string, now: string): Collection {
    this.db.prepare(`INSERT OR IGNORE INTO collections (owner_id, name, created_at) VALUES (${OWNER}, ?, ?)`).run(owner ?? null, name, now);
    return this.getCollection(owner, name)!;
  }

  deleteCollection(owner: Owner, collectionId: number): boolean {
    return this.db.prepare(`DELETE FROM collections WHERE collection_id = ? AND owner_id = ${OWNER}`).run(collectionId, owner ?? null).changes > 0;
  }

  addToCollection(collectionId: number, pk: number, now: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO collection_papers (collection_id, pk, added_at) VALUES (?, ?, ?)').run(collectionId, pk, now).changes > 0;
  }

  removeFromCollection(collectionId: number, pk: number): boolean {
    return this.db.prepare('DELETE FROM collection_papers WHERE collection_id = ? AND pk = ?').run(collectionId, pk).changes > 0;
  }

  collectionPapers(collectionId: number): { pk: number; addedAt: string }[] {
    return (
      this.db.prepare('SELECT pk, added_at FROM collection_papers WHERE collection_id = ? ORDER BY added_at DESC, pk DESC').all(collectionId) as {
        pk: number;
        added_at: string;
      }[]
    ).map((r) => ({ pk: r.pk, addedAt: r.added_at }));
  }

  collectionsOf(owner: Owner, pk: number): Collection[] {
    return (
      this.db
        .prepare(
          `${SELECT_COLLECTIONS} WHERE c.owner_id = ${OWNER} AND c.collection_id IN (SELECT collection_id FROM collection_papers WHERE pk = ?)
           ORDER BY c.name COLLATE NOCASE, c.name`,
        )
        .all(owner ?? null, pk) as CollectionRow[]
    ).map(toCollection);
  }
}
