/**
 * Your data back in: loads a `radar export` document (export.ts,
 * docs/export.md) into a database of either backend.
 *
 * Papers first, in the document's order, merged into what the database holds
 * (the store's usual matching by arXiv id, DOI, title or abstract), so a
 * restore into a database that already fetched the same papers joins them
 * rather than duplicating them. Then profiles, their papers and feedback with
 * their original times (a feed weighs them by age), notes, collections and
 * digest unsubscribes. Everything refers to papers by id.
 *
 * A profile that already exists under the same name is refused before
 * anything is written, unless `replace` is set (then the existing profile is
 * replaced). An entry that cannot be read — an unknown feedback action, a
 * paper without anything to identify it — is reported with its place in the
 * document (`profiles[1].feedback[4]`) and the rest lands.
 */
import { z } from 'zod';
import { validateRecord } from '../paper/record.ts';
import type { PaperRecord } from '../paper/types.ts';
import type { ImportCounts, Store } from '../store/types.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './export.ts';

export class RestoreError extends Error {
  override name = 'RestoreError';
}

export interface RestoreReport {
  papers: ImportCounts & { records: number };
  profiles: string[];
  /** Sources added (those already followed are left as they are). */
  sources: number;
  profilePapers: number;
  feedback: number;
  notes: number;
  collections: number;
  collectionPapers: number;
  /** Entries left out, each with its place in the document and why. */
  problems: string[];
}

const iso = z.string().min(1);
const envelope = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `not a Paper Radar export (expected "format": "${EXPORT_FORMAT}")` }),
  version: z.number().int().min(1).max(EXPORT_VERSION, { error: `written by a newer Paper Radar (export version above ${EXPORT_VERSION}); upgrade to restore it` }),
  exportedAt: iso,
  profiles: z.array(z.unknown()).default([]),
  sources: z.array(z.unknown()).default([]),
  notes: z.array(z.unknown()).default([]),
  collections: z.array(z.unknown()).default([]),
  papers: z.array(z.unknown()).default([]),
});
const paperRef = z.object({ id: z.string().min(1) });
const profileSchema = z.object({
  name: z.string().min(1),
  settings: z.record(z.string(), z.unknown()).default({}),
  createdAt: iso,
  papers: z.array(z.unknown()).default([]),
  feedback: z.array(z.unknown()).default([]),
  unsubscribed: z.array(z.enum(['email', 'webhook'])).default([]),
  delivery: z
    .object({
      email: z.array(z.string()),
      cadence: z.enum(['daily', 'weekly', 'off']),
      weekday: z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']),
      webhookUrl: z.string().optional(),
      limit: z.number().int().min(1),
    })
    .optional(),
});
const sourceSchema = z.object({ kind: z.enum(['arxiv', 'hf']), category: z.string(), backfillDays: z.number().int().min(0) });
const linkSchema = paperRef.extend({ origin: z.string().min(1), addedAt: iso });
const feedbackSchema = paperRef.extend({ action: z.enum(['like', 'save', 'dismiss', 'seen']), at: iso });
const noteSchema = paperRef.extend({ text: z.string(), updatedAt: iso });
const collectionSchema = z.object({ name: z.string().min(1).max(100), createdAt: iso, papers: z.array(z.unknown()).default([]) });
const collectionItemSchema = paperRef.extend({ addedAt: iso });

function why(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** Parses one entry; on failure notes the problem at `where` and returns undefined. */
function entry<T>(schema: z.ZodType<T>, value: unknown, where: string, problems: string[]): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  problems.push(`${where}: ${why(r.error)}`);
  return undefined;
}

const PAPER_FIELDS = ['arxivId', 'doi', 'title', 'abstract', 'abstractTruncated', 'authors', 'authorsComplete', 'authorCount', 'categories', 'published', 'updated', 'announced', 'year', 'venue', 'journalRef', 'comment', 'license', 'versions', 'links', 'signals'] as const;

function paperRecord(value: unknown, locator: string, seenAt: string): PaperRecord | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const rec: Record<string, unknown> = { source: { kind: 'restore', locator, seenAt } };
  for (const f of PAPER_FIELDS) {
    // An untitled paper is exported with title "": that is "no title", not a title.
    if (v[f] !== undefined && v[f] !== null && v[f] !== '') rec[f] = v[f];
  }
  return rec as unknown as PaperRecord;
}

export async function restoreExport(store: Store, doc: unknown, opts: { name: string; now: Date; replace?: boolean }): Promise<RestoreReport> {
  const env = envelope.safeParse(doc);
  if (!env.success) throw new RestoreError(`${opts.name}: ${why(env.error)}`);
  const d = env.data;
  const report: RestoreReport = {
    papers: { records: 0, added: 0, updated: 0, unchanged: 0, merged: 0 },
    profiles: [],
    sources: 0,
    profilePapers: 0,
    feedback: 0,
    notes: 0,
    collections: 0,
    collectionPapers: 0,
    problems: [],
  };
  const problems = report.problems;

  const profiles = d.profiles.map((p, i) => ({ i, p: entry(profileSchema, p, `profiles[${i}]`, problems) })).filter((x) => x.p) as { i: number; p: z.infer<typeof profileSchema> }[];
  const clashes: string[] = [];
  for (const { p } of profiles) if (await store.profiles.getProfile(p.name)) clashes.push(p.name);
  if (clashes.length && !opts.replace) {
    throw new RestoreError(`${opts.name}: this database already has profile(s) ${clashes.map((n) => `"${n}"`).join(', ')}; restore with --replace to replace them, or rename them first`);
  }

  // Papers, in the document's order, page by page.
  const pkOf = new Map<string, number>();
  const seenAt = opts.now.toISOString();
  for (let start = 0; start < d.papers.length; start += 500) {
    const page: { id?: string; record: PaperRecord }[] = [];
    d.papers.slice(start, start + 500).forEach((value, j) => {
      const where = `${opts.name}#papers[${start + j}]`;
      const rec = paperRecord(value, where, seenAt);
      if (!rec) return void problems.push(`papers[${start + j}]: not a paper object`);
      const v = validateRecord(rec);
      for (const p of v.problems) if (p.severity === 'error') problems.push(`papers[${start + j}]${p.field ? ` (${p.field})` : ''}: ${p.message}`);
      const id = (value as { id?: unknown }).id;
      if (v.record) page.push({ id: typeof id === 'string' ? id : undefined, record: v.record });
    });
    report.papers.records += page.length;
    if (!page.length) continue;
    const res = await store.papers.upsertPapers(page.map((x) => x.record), seenAt);
    for (const k of ['added', 'updated', 'unchanged', 'merged'] as const) report.papers[k] += res.counts[k];
    const idByLocator = new Map(page.map((x) => [x.record.source.locator, x.id]));
    for (const o of res.outcomes) {
      const id = idByLocator.get(o.locator);
      if (id) pkOf.set(id, o.pk);
    }
  }
  // A paper merged into another later in the same restore moved: ask the store where each id lives now.
  const resolve = async (id: string): Promise<number | undefined> => {
    const p = await store.papers.getPaper(id);
    return p?.pk ?? undefined;
  };
  const pk = async (id: string, where: string): Promise<number | undefined> => {
    const found = (pkOf.has(id) && (await store.papers.getPapersByPk([pkOf.get(id)!])).length ? pkOf.get(id) : undefined) ?? (await resolve(id));
    if (found === undefined) problems.push(`${where}: paper ${id} is neither in the document nor in the database; left out`);
    return found;
  };

  for (const { i, p } of profiles) {
    const existing = await store.profiles.getProfile(p.name);
    if (existing) await store.profiles.deleteProfile(existing.profileId);
    const created = await store.profiles.createProfile(p.name, p.settings, p.createdAt);
    report.profiles.push(p.name);
    for (const [j, raw] of p.papers.entries()) {
      const l = entry(linkSchema, raw, `profiles[${i}].papers[${j}]`, problems);
      const target = l && (await pk(l.id, `profiles[${i}].papers[${j}]`));
      if (l && target !== undefined) report.profilePapers += await store.profiles.addProfilePapers(created.profileId, [{ pk: target, origin: l.origin }], l.addedAt);
    }
    for (const [j, raw] of p.feedback.entries()) {
      const f = entry(feedbackSchema, raw, `profiles[${i}].feedback[${j}]`, problems);
      const target = f && (await pk(f.id, `profiles[${i}].feedback[${j}]`));
      if (f && target !== undefined) {
        await store.profiles.addFeedback(created.profileId, target, f.action, f.at);
        report.feedback++;
      }
    }
    for (const ch of p.unsubscribed) await store.digests.setUnsubscribed(p.name, ch, true, d.exportedAt);
    if (p.delivery) await store.settings.putDelivery(p.name, p.delivery, d.exportedAt);
  }

  for (const [i, raw] of d.sources.entries()) {
    const s = entry(sourceSchema, raw, `sources[${i}]`, problems);
    if (s && (await store.settings.addSource(s, seenAt)).created) report.sources++;
  }

  for (const [i, raw] of d.notes.entries()) {
    const n = entry(noteSchema, raw, `notes[${i}]`, problems);
    const target = n && (await pk(n.id, `notes[${i}]`));
    if (n && target !== undefined && n.text.trim()) {
      await store.library.putNote(target, n.text, n.updatedAt);
      report.notes++;
    }
  }

  for (const [i, raw] of d.collections.entries()) {
    const c = entry(collectionSchema, raw, `collections[${i}]`, problems);
    if (!c) continue;
    const col = await store.library.ensureCollection(c.name, c.createdAt);
    report.collections++;
    for (const [j, item] of c.papers.entries()) {
      const it = entry(collectionItemSchema, item, `collections[${i}].papers[${j}]`, problems);
      const target = it && (await pk(it.id, `collections[${i}].papers[${j}]`));
      if (it && target !== undefined && (await store.library.addToCollection(col.collectionId, target, it.addedAt))) report.collectionPapers++;
    }
  }
  return report;
}
