/**
 * Notes and collections as the API and the pages use them: by paper id and
 * collection name, with the errors a person can act on.
 */
import type { Collection, Store, StoredPaper } from '../store/types.ts';
import { badRequest, notFound } from './errors.ts';
import { toBibtex } from './bibtex.ts';

export const NOTE_MAX = 20_000;
export const SAVED = 'Saved';

export async function requirePaper(store: Store, id: string): Promise<StoredPaper> {
  const p = await store.papers.getPaper(id);
  if (!p) throw notFound(`no paper with id "${id}"`);
  return p;
}

export function validCollectionName(name: string): string {
  const n = name.replace(/\s+/g, ' ').trim();
  if (!n) throw badRequest('a collection needs a name', 'name');
  if (n.length > 100) throw badRequest('collection names are at most 100 characters', 'name');
  return n;
}

export async function requireCollection(store: Store, name: string): Promise<Collection> {
  const c = await store.library.getCollection(name);
  if (!c) throw notFound(`no collection named "${name}"`);
  return c;
}

export async function setNote(store: Store, id: string, text: string, now: Date) {
  if (text.length > NOTE_MAX) throw badRequest(`notes are at most ${NOTE_MAX} characters`, 'text');
  const p = await requirePaper(store, id);
  await store.library.putNote(p.pk, text, now.toISOString());
  return { id: p.id, note: (await store.library.getNote(p.pk)) ?? null };
}

export async function addPaperToCollection(store: Store, collection: string, id: string, now: Date) {
  const p = await requirePaper(store, id);
  const c = await store.library.ensureCollection(validCollectionName(collection), now.toISOString());
  const added = await store.library.addToCollection(c.collectionId, p.pk, now.toISOString());
  return { collection: c.name, id: p.id, added };
}

export async function removePaperFromCollection(store: Store, collection: string, id: string) {
  const c = await requireCollection(store, collection);
  const p = await requirePaper(store, id);
  return { collection: c.name, id: p.id, removed: await store.library.removeFromCollection(c.collectionId, p.pk) };
}

export async function collectionWithPapers(store: Store, name: string) {
  const c = await requireCollection(store, name);
  const rows = await store.library.collectionPapers(c.collectionId);
  const byPk = new Map((await store.papers.getPapersByPk(rows.map((r) => r.pk))).map((p) => [p.pk, p]));
  const papers = rows.flatMap((r) => {
    const p = byPk.get(r.pk);
    return p ? [{ paper: p, addedAt: r.addedAt }] : [];
  });
  return { collection: c, papers };
}

export async function collectionBibtex(store: Store, name: string): Promise<string> {
  const { papers } = await collectionWithPapers(store, name);
  return toBibtex(papers.map((p) => p.paper));
}
