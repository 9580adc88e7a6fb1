/**
 * Profiles as a researcher manages them: create one from their papers (a
 * pasted publication list, a BibTeX/CSL-JSON export, a file of arXiv ids,
 * arXiv ids, or an author name found in the corpus), add papers, set rules,
 * give feedback, list, show and remove. Side effects go through the store and
 * the importer passed in.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { InputSpec } from '../ingest/types.ts';
import { parseArxivId } from '../paper/ids.ts';
import type { FeedbackAction, Profile, ProfileRules, Store, StoredPaper } from '../store/types.ts';
import { authorCandidates, describeCandidate, type AuthorCandidate } from './authors.ts';
import { normaliseRules } from './rules.ts';

/** Imports inputs into the store (src/ingest) and says which stored papers they produced. */
export type ImportFiles = (store: Store, inputs: InputSpec[], now: Date) => Promise<{ pks: number[]; problems: string[] }>;

export interface SeedDeps {
  store: Store;
  now: Date;
  importFiles: ImportFiles;
}

export interface SeedSources {
  /** Publication lists, BibTeX/CSL-JSON exports, or files of arXiv ids (one a line). */
  files?: string[];
  /** The same, as text a person pasted or uploaded (the HTTP API). */
  uploads?: { name: string; text: string }[];
  arxivIds?: string[];
  /** A person's name, matched in the corpus. */
  author?: string;
  /** Which candidate (1-based) when the name matches several people. */
  authorPick?: number;
  /** Paper ids already in the store (any id form `radar show` accepts). */
  paperIds?: string[];
}

export interface SeedReport {
  profile: string;
  /** Papers newly linked to the profile. */
  added: number;
  /** Papers now in the profile. */
  total: number;
  papers: { id: string; title: string }[];
  problems: string[];
  /** Linked papers with no text yet (a bare arXiv id): they count once fetched/enriched. */
  withoutText: string[];
}

export class ProfileError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'exists' | 'invalid' | 'ambiguous-author' = 'invalid',
    readonly candidates?: AuthorCandidate[],
  ) {
    super(message);
  }
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

export function validateProfileName(name: string): string {
  const n = name.trim();
  if (!NAME.test(n)) {
    throw new ProfileError(`profile name "${name}": use 1–64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit`);
  }
  return n;
}

export async function requireProfile(store: Store, name: string): Promise<Profile> {
  const p = await store.profiles.getProfile(name);
  if (!p) throw new ProfileError(`no profile named "${name}"`, 'not-found');
  return p;
}

/** A file whose every non-blank, non-comment line is an arXiv id or URL. */
export function readIdList(text: string): string[] | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (lines.length === 0) return undefined;
  const ids: string[] = [];
  for (const l of lines) {
    const parts = l.split(/[\s,;]+/).filter(Boolean);
    for (const p of parts) {
      const ref = parseArxivId(p);
      if (!ref) return undefined;
      ids.push(ref.id);
    }
  }
  return ids;
}

async function papersForArxivIds(store: Store, ids: string[], now: Date, locator: string, problems: string[]): Promise<number[]> {
  const pks: number[] = [];
  const missing: string[] = [];
  for (const raw of ids) {
    const ref = parseArxivId(raw);
    if (!ref) {
      problems.push(`${raw}: not an arXiv id`);
      continue;
    }
    const found = await store.papers.getPaper(`arxiv:${ref.id}`);
    if (found) pks.push(found.pk);
    else missing.push(ref.id);
  }
  if (missing.length) {
    // Stored as bare ids so the profile remembers them; fetching/enrichment fills in the text later.
    const res = await store.papers.upsertPapers(
      missing.map((arxivId, i) => ({ arxivId, source: { kind: 'manual' as const, locator: `${locator}#${i + 1}`, seenAt: now.toISOString() } })),
      now.toISOString(),
    );
    pks.push(...res.outcomes.map((o) => o.pk));
  }
  return pks;
}

async function collect(deps: SeedDeps, name: string, sources: SeedSources): Promise<{ links: { pk: number; origin: string }[]; problems: string[] }> {
  const { store, now } = deps;
  const links: { pk: number; origin: string }[] = [];
  const problems: string[] = [];
  const importable: InputSpec[] = [];
  const texts: { name: string; text: string; input: InputSpec }[] = [];
  for (const file of sources.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ProfileError(`${file}: cannot read (${(err as Error).message})`);
    }
    texts.push({ name: basename(file), text, input: { path: file } });
  }
  for (const u of sources.uploads ?? []) texts.push({ name: u.name, text: u.text, input: { name: u.name, bytes: Buffer.from(u.text, 'utf8') } });
  for (const t of texts) {
    const ids = readIdList(t.text);
    if (ids) {
      for (const pk of await papersForArxivIds(store, ids, now, t.name, problems)) links.push({ pk, origin: `file:${t.name}` });
    } else importable.push(t.input);
  }
  if (importable.length) {
    const res = await deps.importFiles(store, importable, now);
    problems.push(...res.problems);
    const label = importable.length === 1 ? basename('path' in importable[0] ? importable[0].path : importable[0].name) : 'import';
    for (const pk of res.pks) links.push({ pk, origin: `file:${label}` });
  }
  if (sources.arxivIds?.length) {
    for (const pk of await papersForArxivIds(store, sources.arxivIds, now, `profile ${name}`, problems)) links.push({ pk, origin: 'arxiv' });
  }
  for (const id of sources.paperIds ?? []) {
    const p = await store.papers.getPaper(id);
    if (p) links.push({ pk: p.pk, origin: 'manual' });
    else problems.push(`${id}: no such paper in the database`);
  }
  if (sources.author) {
    const candidates = await authorCandidates(store, sources.author);
    if (candidates.length === 0) throw new ProfileError(`no author matching "${sources.author}" in the database`, 'not-found');
    let chosen: AuthorCandidate | undefined;
    if (sources.authorPick !== undefined) {
      chosen = candidates.find((c) => c.n === sources.authorPick);
      if (!chosen) throw new ProfileError(`author pick ${sources.authorPick}: choose 1–${candidates.length}`, 'ambiguous-author', candidates);
    } else if (candidates.length === 1) chosen = candidates[0];
    else {
      throw new ProfileError(
        `"${sources.author}" matches ${candidates.length} people; pick one (--author-pick N) or give a more specific name:\n${candidates.map((c) => `  ${describeCandidate(c)}`).join('\n')}`,
        'ambiguous-author',
        candidates,
      );
    }
    for (const pk of chosen.pks) links.push({ pk, origin: `author:${chosen.name}` });
  }
  return { links, problems };
}

async function report(store: Store, profile: Profile, added: number, problems: string[]): Promise<SeedReport> {
  const links = await store.profiles.profilePapers(profile.profileId);
  const papers = await store.papers.getPapersByPk(links.map((l) => l.pk));
  return {
    profile: profile.name,
    added,
    total: links.length,
    papers: papers.map((p) => ({ id: p.id, title: p.title })),
    problems,
    withoutText: papers.filter((p) => !p.title && !p.abstract).map((p) => p.id),
  };
}

/** Creates a profile from its sources; nothing is created when the sources cannot be read or name nobody. */
export async function createProfile(deps: SeedDeps, name: string, sources: SeedSources, rules: ProfileRules = {}): Promise<SeedReport> {
  const n = validateProfileName(name);
  if (await deps.store.profiles.getProfile(n)) throw new ProfileError(`profile "${n}" already exists (add papers with \`radar profile add\`)`, 'exists');
  const normalised = normaliseRules(rules);
  const { links, problems } = await collect(deps, n, sources);
  const at = deps.now.toISOString();
  const profile = await deps.store.profiles.createProfile(n, Object.keys(normalised).length ? { rules: normalised } : {}, at);
  const added = await deps.store.profiles.addProfilePapers(profile.profileId, dedupe(links), at);
  return report(deps.store, profile, added, problems);
}

export async function addToProfile(deps: SeedDeps, name: string, sources: SeedSources): Promise<SeedReport> {
  const profile = await requireProfile(deps.store, name);
  const { links, problems } = await collect(deps, profile.name, sources);
  const added = await deps.store.profiles.addProfilePapers(profile.profileId, dedupe(links), deps.now.toISOString());
  return report(deps.store, profile, added, problems);
}

export async function removeFromProfile(store: Store, name: string, ids: string[]): Promise<{ removed: number; unknown: string[] }> {
  const profile = await requireProfile(store, name);
  const pks: number[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const p = await store.papers.getPaper(id);
    if (p) pks.push(p.pk);
    else unknown.push(id);
  }
  return { removed: await store.profiles.removeProfilePapers(profile.profileId, pks), unknown };
}

function dedupe(links: { pk: number; origin: string }[]): { pk: number; origin: string }[] {
  const seen = new Map<number, { pk: number; origin: string }>();
  for (const l of links) if (!seen.has(l.pk)) seen.set(l.pk, l);
  return [...seen.values()];
}

export interface ProfileDetail {
  name: string;
  createdAt: string;
  updatedAt: string;
  rules: ProfileRules;
  papers: { id: string; title: string; date?: string; origin: string }[];
  feedback: Record<FeedbackAction, number>;
}

export async function showProfile(store: Store, name: string): Promise<ProfileDetail> {
  const profile = await requireProfile(store, name);
  const links = await store.profiles.profilePapers(profile.profileId);
  const byPk = new Map<number, StoredPaper>((await store.papers.getPapersByPk(links.map((l) => l.pk))).map((p) => [p.pk, p]));
  const feedback: Record<FeedbackAction, number> = { like: 0, save: 0, dismiss: 0, seen: 0 };
  for (const f of await store.profiles.feedback(profile.profileId)) feedback[f.action]++;
  return {
    name: profile.name,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    rules: profile.settings.rules ?? {},
    papers: links.flatMap((l) => {
      const p = byPk.get(l.pk);
      return p ? [{ id: p.id, title: p.title || `${p.abstract.slice(0, 80)}…`, ...(p.listingDate ? { date: p.listingDate } : {}), origin: l.origin }] : [];
    }),
    feedback,
  };
}

export async function deleteProfile(store: Store, name: string): Promise<void> {
  const profile = await requireProfile(store, name);
  await store.profiles.deleteProfile(profile.profileId);
}

export interface RulesPatch {
  addMust?: string[];
  addNever?: string[];
  follow?: string[];
  followOrg?: string[];
  /** Remove these from every list. */
  remove?: string[];
  cutoff?: number | null;
}

/** Applies a change to a profile's rules and returns the new rules. */
export async function updateRules(store: Store, name: string, patch: RulesPatch, now: Date): Promise<ProfileRules> {
  const profile = await requireProfile(store, name);
  const cur = profile.settings.rules ?? {};
  const drop = new Set((patch.remove ?? []).map((s) => s.trim().toLowerCase()));
  const keep = (xs: string[] | undefined) => (xs ?? []).filter((x) => !drop.has(x.toLowerCase()));
  const next: ProfileRules = {
    must: [...keep(cur.must), ...(patch.addMust ?? [])],
    never: [...keep(cur.never), ...(patch.addNever ?? [])],
    authors: [...keep(cur.authors), ...(patch.follow ?? [])],
    organizations: [...keep(cur.organizations), ...(patch.followOrg ?? [])],
    ...(patch.cutoff === null ? {} : patch.cutoff !== undefined ? { cutoff: patch.cutoff } : cur.cutoff !== undefined ? { cutoff: cur.cutoff } : {}),
  };
  const rules = normaliseRules(next);
  await store.profiles.updateProfileSettings(profile.profileId, { ...profile.settings, rules }, now.toISOString());
  return rules;
}

export const FEEDBACK_ACTIONS: FeedbackAction[] = ['like', 'save', 'dismiss', 'seen'];

/** Records feedback on a paper (any id form); returns the paper's canonical id. */
export async function giveFeedback(store: Store, name: string, paperId: string, action: string, now: Date): Promise<{ id: string; title: string; action: FeedbackAction }> {
  if (!FEEDBACK_ACTIONS.includes(action as FeedbackAction)) throw new ProfileError(`feedback "${action}": expected one of ${FEEDBACK_ACTIONS.join(', ')}`);
  const profile = await requireProfile(store, name);
  const paper = await store.papers.getPaper(paperId);
  if (!paper) throw new ProfileError(`no paper with id "${paperId}"`, 'not-found');
  await store.profiles.addFeedback(profile.profileId, paper.pk, action as FeedbackAction, now.toISOString());
  return { id: paper.id, title: paper.title, action: action as FeedbackAction };
}
