/**
 * A profile's feed: the papers listed in a window, ranked by the profile's
 * model, filtered by its rules and a relevance cut-off, diversified at the top
 * and explained. The one entry point the CLI, the HTTP API and the digests use:
 * `buildFeed(deps, name, { from, to, limit, now })`.
 */
import type { Paper, PaperLinks } from '../paper/types.ts';
import { explain, type Reason } from '../rank/explain.ts';
import { mmr } from '../rank/diversify.ts';
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

  const trained = await trainProfile(deps, profile, now, opts.model);
  // The window's pks only (no paper loaded): a year of arrivals is tens of thousands of papers, and only
  // those that can pass the cut-off are read in full (rules need their text; boosts are bounded by maxBoost).
  const candidatePks = await windowCandidates(deps, from, to, opts.includeUndated ?? false);
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
  const feats = await deps.features.features(visible);
  const hiddenRows = trained.hiddenFeatures.map((f) => trained.model.row(f));
  const lab = opts.lab ?? (await labSignal(deps.store, now));
  const maxBoost = FOLLOW_BOOST * ((rules.authors?.length ?? 0) + (rules.organizations?.length ?? 0)) + (lab.size ? LAB_BOOST_MAX : 0);

  const possible: { pk: number; f: PaperFeatures; detail: ReturnType<typeof trained.model.score> }[] = [];
  for (const pk of visible) {
    const f = feats.get(pk);
    if (!f) {
      stats.unrepresented++;
      continue;
    }
    const detail = trained.model.score(f);
    if (detail.score + maxBoost < cutoff) {
      stats.belowCutoff++;
      continue;
    }
    possible.push({ pk, f, detail });
  }
  const papers = new Map((await deps.store.papers.getPapersByPk(possible.map((p) => p.pk))).map((p) => [p.pk, p]));

  type Scored = { paper: StoredPaper; features: PaperFeatures; score: number; detail: ReturnType<typeof trained.model.score>; ruleReasons: Reason[] };
  const scored: Scored[] = [];
  for (const { pk, f, detail } of possible) {
    const paper = papers.get(pk);
    if (!paper) {
      // Merged away or deleted since the window was read.
      stats.unrepresented++;
      continue;
    }
    const rule = applyRules(paper, rules);
    if (rule.excluded) {
      stats.excludedByRules++;
      continue;
    }
    const fromLab = lab.get(pk);
    const score = detail.score + rule.boost + (fromLab?.boost ?? 0);
    if (score < cutoff) {
      stats.belowCutoff++;
      continue;
    }
    // Checked only above the cut-off: few papers, however long the seen list grows.
    const row = trained.model.row(f);
    if (hiddenRows.some((h) => rowCosine(h, row) >= DUPLICATE_SIMILARITY)) {
      stats.hidden++;
      continue;
    }
    scored.push({ paper, features: f, score, detail, ruleReasons: fromLab ? [...rule.reasons, fromLab.reason] : rule.reasons });
  }
  scored.sort((a, b) => b.score - a.score || a.paper.pk - b.paper.pk);

  const rows = new Map(scored.map((s) => [s.paper.pk, trained.model.row(s.features)]));
  const picked = mmr(
    scored.map((s) => ({ item: s, score: s.score })),
    limit,
    (a, b) => rowCosine(rows.get(a.paper.pk)!, rows.get(b.paper.pk)!),
    { lambda: opts.diversity ?? 0.75 },
  );

  const items = picked.map(({ item: s }) => {
    const nearestKey = s.detail.nearest[0]?.key;
    const reasons = explain(
      {
        model: trained.model,
        features: s.features,
        detail: s.detail,
        positives: trained.positives,
        term: deps.features.term,
        text: `${s.paper.title}. ${s.paper.abstract}`,
        ruleReasons: s.ruleReasons,
      },
      typeof nearestKey === 'number' ? trained.positiveFeatures.get(nearestKey) : undefined,
    );
    return toItem(s.paper, Math.round(s.score * 1000) / 1000, reasons);
  });
  stats.aboveCutoff = scored.length;
  stats.cut = scored.length - items.length;
  stats.totalMs = Math.round((performance.now() - started) * 10) / 10;
  return { profile: profile.name, from, to, days: daysBetween(from, to), items, stats };
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
