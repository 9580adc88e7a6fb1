/**
 * Reads a Zotero library from its local database, `zotero.sqlite`.
 *
 * Zotero holds the file under an exclusive lock while it runs, so the file
 * (with its `-journal`/`-wal` companion when there is one) is first copied to
 * a private temporary directory and the copy is read; the copy is deleted
 * afterwards. Opening the copy read-write lets SQLite roll back a transaction
 * Zotero had half-written when the copy was taken, so what is read is the
 * last committed state.
 *
 * Item types and field names are resolved by name through the `itemTypes` /
 * `fields` tables (their `…Combined` variants when present, which add custom
 * types): the numeric ids differ between schema versions. Supports the
 * layout of Zotero 5 to 7 (`libraries.type`, `creators` with first/last name
 * and `fieldMode`, `deletedItems` for the trash, and Zotero 7's
 * `deletedCollections` for trashed collections).
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { NON_PAPER_TYPES, type ZoteroCreator, type ZoteroItemData } from './item.ts';

export interface ZoteroSqliteSpec {
  path: string;
  /** A group library by name or group id; default: the user's own library. */
  group?: string;
  /** Only items in this collection (by name, `Parent/Child` path or key) and its subcollections. */
  collection?: string;
}

export interface ZoteroLibraryRead {
  items: ZoteroItemData[];
  libraryID: number;
  collection?: { key: string; name: string };
  /** The `version` table's userdata schema number, for messages. */
  schemaVersion?: number;
}

export class ZoteroReadError extends Error {
  override name = 'ZoteroReadError';
}

type Db = Database.Database;

function hasTable(db: Db, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

function columns(db: Db, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
}

/** Copies the database (and its journal) aside so Zotero's lock does not matter; returns the copy's path and a cleanup. */
export function snapshotCopy(path: string): { copy: string; cleanup: () => void } {
  if (!existsSync(path)) throw new ZoteroReadError(`${path}: no such file (Zotero keeps zotero.sqlite in its data directory, e.g. ~/Zotero)`);
  const dir = mkdtempSync(join(tmpdir(), 'radar-zotero-'));
  const copy = join(dir, basename(path));
  try {
    copyFileSync(path, copy);
    for (const suffix of ['-journal', '-wal']) if (existsSync(path + suffix)) copyFileSync(path + suffix, copy + suffix);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new ZoteroReadError(`${path}: could not copy the database to read it: ${(err as Error).message}`);
  }
  return { copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function libraryId(db: Db, path: string, group: string | undefined): number {
  if (group === undefined) {
    const typeColumn = columns(db, 'libraries').has('type') ? 'type' : 'libraryType';
    const row = db.prepare(`SELECT libraryID FROM libraries WHERE ${typeColumn} = 'user' ORDER BY libraryID LIMIT 1`).get() as { libraryID: number } | undefined;
    if (!row) throw new ZoteroReadError(`${path}: no user library in this database`);
    return row.libraryID;
  }
  const row = (hasTable(db, 'groups')
    ? db.prepare('SELECT libraryID FROM groups WHERE name = ? OR CAST(groupID AS TEXT) = ?').get(group, group)
    : undefined) as { libraryID: number } | undefined;
  if (!row) {
    const names = hasTable(db, 'groups') ? (db.prepare('SELECT name FROM groups ORDER BY name').all() as { name: string }[]).map((g) => g.name) : [];
    throw new ZoteroReadError(`${path}: no group library "${group}"${names.length ? ` (groups: ${names.join(', ')})` : ' (this database has no groups)'}`);
  }
  return row.libraryID;
}

interface CollectionRow {
  collectionID: number;
  collectionName: string;
  parentCollectionID: number | null;
  key: string;
}

/** The collection named by key, name or `Parent/Child` path, with the ids of it and every subcollection. */
function resolveCollection(db: Db, path: string, lib: number, wanted: string): { key: string; name: string; ids: number[] } {
  const trashed = hasTable(db, 'deletedCollections') ? 'AND collectionID NOT IN (SELECT collectionID FROM deletedCollections)' : '';
  const rows = db.prepare(`SELECT collectionID, collectionName, parentCollectionID, key FROM collections WHERE libraryID = ? ${trashed}`).all(lib) as CollectionRow[];
  const byId = new Map(rows.map((r) => [r.collectionID, r]));
  const pathOf = (r: CollectionRow): string => {
    const parts = [r.collectionName];
    for (let p = r.parentCollectionID, guard = 0; p != null && guard < 100; guard++) {
      const parent = byId.get(p);
      if (!parent) break;
      parts.unshift(parent.collectionName);
      p = parent.parentCollectionID;
    }
    return parts.join('/');
  };
  const matches = rows.filter((r) => r.key === wanted || pathOf(r) === wanted || r.collectionName === wanted);
  const exact = matches.filter((r) => r.key === wanted || pathOf(r) === wanted);
  const chosen = exact.length === 1 ? exact : matches;
  if (chosen.length === 0) {
    throw new ZoteroReadError(`${path}: no collection "${wanted}" (collections: ${rows.map(pathOf).sort().slice(0, 20).join(', ') || 'none'})`);
  }
  if (chosen.length > 1) throw new ZoteroReadError(`${path}: "${wanted}" names ${chosen.length} collections (${chosen.map(pathOf).join(', ')}); give the path or the key`);
  const root = chosen[0];
  const ids = [root.collectionID];
  for (let i = 0; i < ids.length; i++) for (const r of rows) if (r.parentCollectionID === ids[i] && !ids.includes(r.collectionID)) ids.push(r.collectionID);
  return { key: root.key, name: pathOf(root), ids };
}

export function readZoteroLibrary(spec: ZoteroSqliteSpec): ZoteroLibraryRead {
  const { copy, cleanup } = snapshotCopy(spec.path);
  let db: Db | undefined;
  try {
    try {
      db = new Database(copy, { fileMustExist: true });
      db.pragma('query_only = ON');
    } catch (err) {
      throw new ZoteroReadError(`${spec.path}: not an SQLite database: ${(err as Error).message}`);
    }
    for (const t of ['items', 'itemData', 'itemDataValues', 'itemTypes', 'fields', 'creators', 'itemCreators', 'libraries']) {
      if (!hasTable(db, t)) throw new ZoteroReadError(`${spec.path}: not a Zotero database (no table "${t}")`);
    }
    return readOpen(db, spec);
  } catch (err) {
    if (err instanceof ZoteroReadError) throw err;
    throw new ZoteroReadError(`${spec.path}: ${(err as Error).message}`);
  } finally {
    db?.close();
    cleanup();
  }
}

function readOpen(db: Db, spec: ZoteroSqliteSpec): ZoteroLibraryRead {
  const lib = libraryId(db, spec.path, spec.group);
  const types = hasTable(db, 'itemTypesCombined') ? 'itemTypesCombined' : 'itemTypes';
  const fields = hasTable(db, 'fieldsCombined') ? 'fieldsCombined' : 'fields';
  const collection = spec.collection !== undefined ? resolveCollection(db, spec.path, lib, spec.collection) : undefined;
  const trash = hasTable(db, 'deletedItems') ? 'AND i.itemID NOT IN (SELECT itemID FROM deletedItems)' : '';
  const inCollection = collection ? `AND i.itemID IN (SELECT itemID FROM collectionItems WHERE collectionID IN (${collection.ids.join(',')}))` : '';
  const skip = [...NON_PAPER_TYPES].map((t) => `'${t}'`).join(',');
  // One filter for all three queries, so fields and creators are read only for the items taken.
  const selected = `SELECT i.itemID FROM items i JOIN ${types} t ON t.itemTypeID = i.itemTypeID WHERE i.libraryID = ${lib} AND t.typeName NOT IN (${skip}) ${trash} ${inCollection}`;

  const items = new Map<number, ZoteroItemData>();
  for (const r of db
    .prepare(`SELECT i.itemID, i.key, t.typeName, i.dateAdded, i.dateModified FROM items i JOIN ${types} t ON t.itemTypeID = i.itemTypeID WHERE i.itemID IN (${selected}) ORDER BY i.itemID`)
    .all() as { itemID: number; key: string; typeName: string; dateAdded: string; dateModified: string }[]) {
    items.set(r.itemID, { key: r.key, itemType: r.typeName, dateAdded: r.dateAdded, dateModified: r.dateModified, creators: [], collections: [] });
  }
  for (const r of db
    .prepare(`SELECT d.itemID, f.fieldName, v.value FROM itemData d JOIN ${fields} f ON f.fieldID = d.fieldID JOIN itemDataValues v ON v.valueID = d.valueID WHERE d.itemID IN (${selected})`)
    .all() as { itemID: number; fieldName: string; value: unknown }[]) {
    const item = items.get(r.itemID);
    if (item && r.value != null) item[r.fieldName] = String(r.value);
  }
  const creatorTypes = hasTable(db, 'creatorTypes');
  const nameColumns = columns(db, 'creators');
  // Zotero before 5 kept names in a separate creatorData table; every version in use today has them on creators.
  if (!nameColumns.has('lastName')) throw new ZoteroReadError(`${spec.path}: creators table without names (a Zotero older than 5 is not supported)`);
  for (const r of db
    .prepare(
      `SELECT ic.itemID, c.firstName, c.lastName, ${nameColumns.has('fieldMode') ? 'c.fieldMode' : '0'} AS fieldMode, ${creatorTypes ? 'ct.creatorType' : "'author'"} AS creatorType
         FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID
         ${creatorTypes ? 'LEFT JOIN creatorTypes ct ON ct.creatorTypeID = ic.creatorTypeID' : ''}
        WHERE ic.itemID IN (${selected}) ORDER BY ic.itemID, ic.orderIndex`,
    )
    .all() as { itemID: number; firstName: string | null; lastName: string | null; fieldMode: number | null; creatorType: string | null }[]) {
    const c: ZoteroCreator =
      r.fieldMode === 1
        ? { creatorType: r.creatorType ?? 'author', name: r.lastName ?? '' }
        : { creatorType: r.creatorType ?? 'author', firstName: r.firstName ?? '', lastName: r.lastName ?? '' };
    items.get(r.itemID)?.creators!.push(c);
  }
  if (hasTable(db, 'collections') && hasTable(db, 'collectionItems')) {
    for (const r of db
      .prepare(`SELECT ci.itemID, c.key FROM collectionItems ci JOIN collections c ON c.collectionID = ci.collectionID WHERE ci.itemID IN (${selected})`)
      .all() as { itemID: number; key: string }[]) {
      items.get(r.itemID)?.collections!.push(r.key);
    }
  }
  const version = hasTable(db, 'version') ? (db.prepare("SELECT version FROM version WHERE schema = 'userdata'").get() as { version: number } | undefined) : undefined;
  return {
    items: [...items.values()],
    libraryID: lib,
    collection: collection ? { key: collection.key, name: collection.name } : undefined,
    schemaVersion: version?.version,
  };
}
