/**
 * A profile's feed: the papers listed in a window, ranked by the profile's
 * model, filtered by its rules and a relevance cut-off, diversified at the top
 * and explained. The one entry point the CLI, the HTTP API and the digests use:
 * `buildFeed(deps, name, { from, to, limit, now })`.
 */
import type { Paper, PaperLinks } from '../paper/types.ts';
import { explain, type Reason } from '../rank/explain.ts';
import { mmr } from '../rank/diversify.ts';
import { poolCosine } from '../rank/pool-cosine.ts';
import { rowCosine, type PaperFeatures, type RecommendOptions } from '../rank/recommend.ts';
import type { StoredPaper } from '../store/types.ts';
import { trainProfile, type ProfileDeps } from './model.ts';
import { applyRules, FOLLOW_BOOST } from './rules.ts';
import { isoDay } from '../paper/days.ts';
import { daysBetween } from './window.ts';
import { linksWithCode } from '../paper/code.ts';
import { LAB_BOOST_MAX, type LabBoost } from '../rank/lab.ts';
import { labSignal } from './lab.ts';

/**
 * Default relevance cut-off, in standard deviations above a random background
 * paper. On arxiv-daily days a focused profile keeps roughly the top few percent
 * of arrivals (see bench/feed.ts); a day with nothing close yields a short feed.
 */
export const DEFAULT_CUTOFF = 1.5;
/** A paper this close to one already seen or dismissed is the same paper from another source. */
export const DUPLICATE_SIMILARITY = 0.92;

export interface FeedOptions {
  /** Inclusive listing days (YYYY-MM-DD). Default: the 7 days up to `now`. */
  from?: string;
  to?: string;
  /** Default 20. */
  limit?: number;
  /** The clock: "today", and the age of profile papers for recency weights. Default: the real time. */
  now?: Date;
  /** Overrides the profile's cut-off rule and the default. Use -Infinity to keep everything. */
  cutoff?: number;
  /**
   * Also rank papers with no listing day that the store first saw in the
   * window. Off by default and for every "new" surface: an undated paper is
   * never new. Only "why would this paper be recommended" uses it, to rank an
   * undated paper among those that arrived with it.
   */
  includeUndated?: boolean;
  /** MMR trade-off (1 = no diversification). Default 0.75. */
  diversity?: number;
  model?: Partial<RecommendOptions>;
  /** Receives each stage's wall and CPU time as it ends (benchmarks; the feed itself ignores it). */
  trace?: (stage: string, ms: number, cpuMs: number) => void;
  /**
   * Boosts for papers other members of the lab liked or saved lately
   * (./lab.ts labSignal). Default: read from the store for the account its
   * view acts for; empty on a single-user instance.
   */
  lab?: ReadonlyMap<number, LabBoost>;
}

export interface FeedItem {
  id: string;
  title: string;
  authors: string[];
  authorCount?: number;
  /** The listing day it counts for; absent for an undated paper. */
  date?: string;
  categories: string[];
  links: PaperLinks;
  upvotes?: number;
  organization?: string;
  abstract: string;
  score: number;
  reasons: Reason[];
}

export interface Feed {
  profile: string;
  from: string;
  to: string;
  items: FeedItem[];
  /** Calendar days the window covers. */
  days: number;
  /**
   * Where every candidate went; they add up:
   * candidates = hidden + excludedByRules + belowCutoff + unrepresented + aboveCutoff,
   * and items are the first `limit` of the aboveCutoff ones (`cut` more were left out).
   */
  stats: {
    /** Papers in the window. */
    candidates: number;
    /** Own papers, papers with feedback, and copies of seen/dismissed ones. */
    hidden: number;
    excludedByRules: number;
    belowCutoff: number;
    /** Candidates not represented yet (no features): left out. */
    unrepresented: number;
    /** Papers that passed the cut-off. */
    aboveCutoff: number;
    /** Papers above the cut-off not listed because of the limit. */
    cut: number;
    coldStart: boolean;
    cutoff: number;
    trainMs: number;
    totalMs: number;
  };
}

export class ProfileNotFoundError extends Error {
  // A name that survives bundling and crosses module copies: the job runner tells "retrying cannot help" by it.
  override name = 'ProfileNotFoundError';
  constructor(readonly profile: string) {
    super(`no profile named "${profile}"`);
  }
}

const DAY_MS = 86_400_000;
/** Scores a fit keeps for later windows (a year at a million papers is a few hundred thousand). */
const MAX_KEPT_SCORES = 500_000;

async function windowCandidates(deps: ProfileDeps, from: string, to: string, includeUndated: boolean): Promise<number[]> {
  const pks = await deps.store.papers.windowPks(from, to);
  if (includeUndated) {
    const addedTo = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
    pks.push(...(await deps.store.profiles.undatedPapers({ addedFrom: `${from}T00:00:00.000Z`, addedTo, limit: 10_000 })).map((p) => p.pk));
  }
  return pks;
}

export async function buildFeed(deps: ProfileDeps, profileName: string, opts: FeedOptions = {}): Promise<Feed> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const to = opts.to ?? isoDay(now);
  const from = opts.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS));
  if (from > to) throw new Error(`feed window: from ${from} is after to ${to}`);
  const limit = Math.max(1, opts.limit ?? 20);
  const profile = await deps.store.profiles.getProfile(profileName);
  if (!profile) throw new ProfileNotFoundError(profileName);
  const rules = profile.settings.rules ?? {};
  const cutoff = opts.cutoff ?? rules.cutoff ?? DEFAULT_CUTOFF;

  let mark = performance.now();
  let cpuMark = opts.trace ? process.cpuUsage() : undefined;
  const span = (stage: string) => {
    if (!opts.trace) return;
    const t = performance.now();
    const cpu = process.cpuUsage(cpuMark);
    opts.trace(stage, t - mark, (cpu.user + cpu.system) / 1000);
    mark = t;
    cpuMark = process.cpuUsage();
  };
  const trained = await trainProfile(deps, profile, now, opts.model);
  span('fit profile model');
  // The window's pks only (no paper loaded): a year of arrivals is tens of thousands of papers, and only
  // those that can pass the cut-off are read in full (rules need their text; boosts are bounded by maxBoost).
  const candidatePks = await windowCandidates(deps, from, to, opts.includeUndated ?? false);
  span('window pks');
  const stats = {
    candidates: candidatePks.length,
    hidden: 0,
    excludedByRules: 0,
    belowCutoff: 0,
    unrepresented: 0,
    aboveCutoff: 0,
    cut: 0,
    coldStart: trained.model.coldStart,
    cutoff,
    trainMs: Math.round(trained.trainMs * 10) / 10,
    totalMs: 0,
  };
  const visible = candidatePks.filter((pk) => !trained.hidden.has(pk));
  stats.hidden = candidatePks.length - visible.length;
  const model = trained.model;
  const hasRules = !!(rules.never?.length || rules.must?.length || rules.authors?.length || rules.organizations?.length);
  const lab = opts.lab ?? (await labSignal(deps.store, now));
  const maxBoost = FOLLOW_BOOST * ((rules.authors?.length ?? 0) + (rules.organizations?.length ?? 0)) + (lab.size ? LAB_BOOST_MAX : 0);

  // Every paper of the window is scored from its stored row in one pass, without keeping it; a paper this
  // fit scored for an earlier window keeps its score. Only those that can reach the cut-off (rules add at
  // most maxBoost) are read again, with their features.
  const known = trained.scores;
  const fresh = visible.filter((pk) => !known.has(pk));
  const keep = known.size + fresh.length <= MAX_KEPT_SCORES;
  const freshScores = keep ? known : new Map<number, number>();
  await deps.features.scanSelected(fresh, model.terms, { dense: (model.options.denseShare ?? 0) > 0 }, (pk, sel, dense) =>
    freshScores.set(pk, model.quickScoreSelected(sel, dense)),
  );
  const possiblePks: number[] = [];
  for (const pk of visible) {
    const score = known.get(pk) ?? freshScores.get(pk);
    if (score === undefined) stats.unrepresented++;
    else if (score + maxBoost < cutoff) stats.belowCutoff++;
    else possiblePks.push(pk);
  }
  const possible: { pk: number; f: PaperFeatures; score: number }[] = [];
  const read = await deps.features.scan(possiblePks, { dense: (model.options.denseShare ?? 0) > 0 }, (pk, f) =>
    possible.push({ pk, f: copyFeatures(f), score: known.get(pk) ?? freshScores.get(pk)! }),
  );
  // Taken out of the index since it was scored.
  stats.unrepresented += possiblePks.length - read;
  span('score window');
  // Rules read the papers' text, so with rules every possible paper is read; without, only the ones shown.
  const papers = new Map<number, StoredPaper>();
  const readPapers = async (pks: number[]) => {
    for (const p of await deps.store.papers.getPapersByPk(pks.filter((pk) => !papers.has(pk)))) papers.set(p.pk, p);
  };
  if (hasRules) await readPapers(possible.map((p) => p.pk));
  span('load papers above cut-off');

  const hiddenRows = trained.hiddenFeatures.map((f) => model.row(f));
  type Scored = { pk: number; features: PaperFeatures; score: number; ruleReasons: Reason[] };
  let scored: Scored[] = [];
  for (const { pk, f, score: modelScore } of possible) {
    let rule: ReturnType<typeof applyRules> = { boost: 0, reasons: [] };
    if (hasRules) {
      const paper = papers.get(pk);
      if (!paper) {
        // Merged away or deleted since the window was read.
        stats.unrepresented++;
        continue;
      }
      rule = applyRules(paper, rules);
      if (rule.excluded) {
        stats.excludedByRules++;
        continue;
      }
    }
    const fromLab = lab.get(pk);
    const score = modelScore + rule.boost + (fromLab?.boost ?? 0);
    if (score < cutoff) {
      stats.belowCutoff++;
      continue;
    }
    // Checked only above the cut-off: few papers, however long the seen list grows.
    if (hiddenRows.length) {
      const row = model.row(f);
      if (hiddenRows.some((h) => rowCosine(h, row) >= DUPLICATE_SIMILARITY)) {
        stats.hidden++;
        continue;
      }
    }
    scored.push({ pk, features: f, score, ruleReasons: fromLab ? [...rule.reasons, fromLab.reason] : rule.reasons });
  }
  scored.sort((a, b) => b.score - a.score || a.pk - b.pk);
  span('rules+duplicates+sort');

  // MMR only ever looks at the head of the ranking (mmr's pool): read those papers, and drop any that went away.
  const lambda = opts.diversity ?? 0.75;
  const poolSize = Math.max(limit, limit * 3);
  for (;;) {
    await readPapers(scored.slice(0, poolSize).map((s) => s.pk));
    const kept = scored.filter((s, i) => i >= poolSize || papers.has(s.pk));
    if (kept.length === scored.length) break;
    stats.unrepresented += scored.length - kept.length;
    scored = kept;
  }
  const pool = scored.slice(0, poolSize);
  const cosine = poolCosine(pool.map((s) => model.row(s.features)));
  const picked = mmr(
    pool.map((s, i) => ({ item: i, score: s.score })),
    limit,
    (a, b) => cosine(a, b),
    { lambda, pool: poolSize },
  );
  span('diversify (MMR)');

  const items = picked.map(({ item }) => {
    const s = pool[item];
    const paper = papers.get(s.pk)!;
    const detail = model.score(s.features);
    const nearestKey = detail.nearest[0]?.key;
    const reasons = explain(
      {
        model,
        features: s.features,
        detail,
        positives: trained.positives,
        term: deps.features.term,
        text: `${paper.title}. ${paper.abstract}`,
        ruleReasons: s.ruleReasons,
      },
      typeof nearestKey === 'number' ? trained.positiveFeatures.get(nearestKey) : undefined,
    );
    return toItem(paper, Math.round(s.score * 1000) / 1000, reasons);
  });
  span('explain');
  stats.aboveCutoff = scored.length;
  stats.cut = scored.length - items.length;
  stats.totalMs = Math.round((performance.now() - started) * 10) / 10;
  return { profile: profile.name, from, to, days: daysBetween(from, to), items, stats };
}

function copyFeatures(f: PaperFeatures): PaperFeatures {
  return { indices: f.indices.slice(), values: f.values.slice(), ...(f.dense ? { dense: f.dense } : {}) };
}

function toItem(p: Paper & { pk: number }, score: number, reasons: Reason[]): FeedItem {
  return {
    id: p.id,
    title: p.title,
    authors: p.authors,
    ...(p.authorCount !== undefined ? { authorCount: p.authorCount } : {}),
    ...(p.listingDate ? { date: p.listingDate } : {}),
    categories: p.categories,
    links: linksWithCode(p),
    ...(p.signals.upvotes !== undefined ? { upvotes: p.signals.upvotes } : {}),
    ...(p.signals.organization ? { organization: p.signals.organization } : {}),
    abstract: p.abstract,
    score,
    reasons,
  };
}
