/**
 * Your data out: everything a person made in this database as one JSON
 * document (docs/export.md describes it field by field): profiles with
 * their papers, rules and other settings, feedback, notes, collections,
 * digest unsubscribes — and every paper those point at, in full, so the
 * document stands on its own. `radar restore` (restore.ts) reads it back into
 * any database, SQLite or PostgreSQL.
 *
 * Papers are referred to by their canonical id (`arxiv:…`, `doi:…`,
 * `title:…`, `abstract:…`), never by the database's internal numbers. Secrets
 * (a Zotero API key in a profile's settings) are left out: a file that
 * travels should not carry them.
 */
import type { Paper } from '../paper/types.ts';
import type { DeliverySettings, DigestChannel, FeedbackAction, ProfileSettings, SourceKind, Store, StoredPaper } from '../store/types.ts';

export const EXPORT_FORMAT = 'paper-radar-export';
export const EXPORT_VERSION = 1;

/** A paper as exported: the stored paper without the database's own bookkeeping. */
export type ExportedPaper = Omit<Paper, 'listingDate' | 'modifiedAt'>;

export interface ExportedProfile {
  name: string;
  settings: ProfileSettings;
  createdAt: string;
  updatedAt: string;
  papers: { id: string; origin: string; addedAt: string }[];
  feedback: { id: string; action: FeedbackAction; at: string }[];
  /** Digest channels the profile's recipients unsubscribed from. */
  unsubscribed: DigestChannel[];
  /** Digest delivery set from the app (e-mail, cadence, webhook), when set. */
  delivery?: Omit<DeliverySettings, 'updatedAt'>;
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  /** Where it came from, for the reader's information. */
  origin: { backend: string; papersInDatabase: number };
  /** `referenced`: the papers the rest of the document points at; `all`: every paper in the database. */
  papersIncluded: 'referenced' | 'all';
  profiles: ExportedProfile[];
  /** The sources the app follows (arXiv categories, Hugging Face Daily Papers). */
  sources: { kind: SourceKind; category: string; backfillDays: number; addedAt: string }[];
  notes: { id: string; text: string; updatedAt: string }[];
  collections: { name: string; createdAt: string; papers: { id: string; addedAt: string }[] }[];
  papers: ExportedPaper[];
}

const SECRET_KEYS = new Set(['apiKey', 'password', 'token', 'secret']);
const CHANNELS: DigestChannel[] = ['email', 'webhook'];

/** Settings with secrets removed at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.has(k)) out[k] = withoutSecrets(v);
    return out;
  }
  return value;
}

export function exportedPaper(p: StoredPaper): ExportedPaper {
  const { pk: _pk, seq: _seq, listingDate: _l, modifiedAt: _m, ...rest } = p;
  return rest;
}

export async function buildExport(store: Store, opts: { now: Date; allPapers?: boolean }): Promise<ExportDocument> {
  const referenced = new Set<number>();
  const ids = new Map<number, string>();
  const idOf = async (pks: number[]) => {
    const missing = pks.filter((pk) => !ids.has(pk));
    for (let i = 0; i < missing.length; i += 500) for (const p of await store.papers.getPapersByPk(missing.slice(i, i + 500))) ids.set(p.pk, p.id);
    for (const pk of pks) referenced.add(pk);
  };

  const profiles: ExportedProfile[] = [];
  for (const p of await store.profiles.listProfiles()) {
    const links = await store.profiles.profilePapers(p.profileId);
    const feedback = await store.profiles.feedback(p.profileId);
    await idOf([...links.map((l) => l.pk), ...feedback.map((f) => f.pk)]);
    const unsubscribed: DigestChannel[] = [];
    for (const ch of CHANNELS) if (await store.digests.isUnsubscribed(p.name, ch)) unsubscribed.push(ch);
    const stored = await store.settings.getDelivery(p.name);
    const delivery = stored ? (({ updatedAt: _u, ...rest }) => rest)(stored) : undefined;
    profiles.push({
      name: p.name,
      settings: withoutSecrets(p.settings) as ProfileSettings,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      papers: links.filter((l) => ids.has(l.pk)).map((l) => ({ id: ids.get(l.pk)!, origin: l.origin, addedAt: l.addedAt })),
      feedback: feedback.filter((f) => ids.has(f.pk)).map((f) => ({ id: ids.get(f.pk)!, action: f.action, at: f.at })),
      unsubscribed,
      ...(delivery ? { delivery } : {}),
    });
  }

  const collections: ExportDocument['collections'] = [];
  for (const c of await store.library.listCollections()) {
    const items = await store.library.collectionPapers(c.collectionId);
    await idOf(items.map((i) => i.pk));
    collections.push({ name: c.name, createdAt: c.createdAt, papers: items.filter((i) => ids.has(i.pk)).map((i) => ({ id: ids.get(i.pk)!, addedAt: i.addedAt })) });
  }

  const notes: ExportDocument['notes'] = [];
  const storedNotes = await store.library.listNotes();
  await idOf(storedNotes.map((n) => n.pk));
  for (const n of storedNotes) if (ids.has(n.pk)) notes.push({ id: ids.get(n.pk)!, text: n.text, updatedAt: n.updatedAt });

  const papers: ExportedPaper[] = [];
  if (opts.allPapers) {
    for await (const batch of store.papers.scanPapers(1000)) for (const p of batch) papers.push(exportedPaper(p));
  } else {
    // In pk order: restoring in the same order gives the papers the same relative order in the new database.
    const pks = [...referenced].sort((a, b) => a - b);
    for (let i = 0; i < pks.length; i += 500) {
      for (const p of (await store.papers.getPapersByPk(pks.slice(i, i + 500))).sort((a, b) => a.pk - b.pk)) papers.push(exportedPaper(p));
    }
  }

  const stats = await store.papers.stats();
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: opts.now.toISOString(),
    origin: { backend: store.kind, papersInDatabase: stats.papers },
    papersIncluded: opts.allPapers ? 'all' : 'referenced',
    profiles,
    sources: (await store.settings.listSources()).map((s) => ({ kind: s.kind, category: s.category, backfillDays: s.backfillDays, addedAt: s.addedAt })),
    notes,
    collections,
    papers,
  };
}
