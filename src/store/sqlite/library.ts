/** Notes and collections on one better-sqlite3 connection (tables from migration 1). */
import type Database from 'better-sqlite3';
import type { Collection, Note } from '../types.ts';

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

  getNote(pk: number): Note | undefined {
    const r = this.db.prepare('SELECT pk, text, updated_at FROM notes WHERE pk = ?').get(pk) as { pk: number; text: string; updated_at: string } | undefined;
    return r ? { pk: r.pk, text: r.text, updatedAt: r.updated_at } : undefined;
  }

  listNotes(): Note[] {
    return (this.db.prepare('SELECT pk, text, updated_at FROM notes ORDER BY pk').all() as { pk: number; text: string; updated_at: string }[]).map((r) => ({
      pk: r.pk,
      text: r.text,
      updatedAt: r.updated_at,
    }));
  }

  putNote(pk: number, text: string, now: string): void {
    if (!text.trim()) {
      this.db.prepare('DELETE FROM notes WHERE pk = ?').run(pk);
      return;
    }
    this.db
      .prepare('INSERT INTO notes (pk, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(pk) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at')
      .run(pk, text, now);
  }

  listCollections(): Collection[] {
    return (this.db.prepare(`${SELECT_COLLECTIONS} ORDER BY c.name COLLATE NOCASE, c.name`).all() as CollectionRow[]).map(toCollection);
  }

  getCollection(name: string): Collection | undefined {
    const r = this.db.prepare(`${SELECT_COLLECTIONS} WHERE c.name = ?`).get(name) as CollectionRow | undefined;
    return r ? toCollection(r) : undefined;
  }

  ensureCollection(name: string, now: string): Collection {
    this.db.prepare('INSERT OR IGNORE INTO collections (name, created_at) VALUES (?, ?)').run(name, now);
    return this.getCollection(name)!;
  }

  deleteCollection(collectionId: number): boolean {
    return this.db.prepare('DELETE FROM collections WHERE collection_id = ?').run(collectionId).changes > 0;
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

  collectionsOf(pk: number): Collection[] {
    return (
      this.db
        .prepare(`${SELECT_COLLECTIONS} WHERE c.collection_id IN (SELECT collection_id FROM collection_papers WHERE pk = ?) ORDER BY c.name COLLATE NOCASE, c.name`)
        .all(pk) as CollectionRow[]
    ).map(toCollection);
  }
}
