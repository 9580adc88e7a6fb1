/**
 * Gathers a profile's training data from the store and trains its model:
 * positives = the profile's papers (recency-weighted) + liked/saved papers;
 * negatives = dismissed papers (weighted up) + a background sample.
 */
import { effectiveDenseShare, recencyWeight, trainProfileModel, type Negative, type PaperFeatures, type Positive, type ProfileModel, type RecommendOptions } from '../rank/recommend.ts';
import type { PositiveInfo } from '../rank/explain.ts';
import type { Paper } from '../paper/types.ts';
import type { FeedbackEntry, Profile, Store } from '../store/types.ts';
import { isoDay } from '../paper/days.ts';
import type { TrainedCache } from './model-cache.ts';
import type { SelectedTerms } from '../vectors/sparse-scan.ts';
import type { TermTable } from '../vectors/term-table.ts';

/** What the feed needs from the representations layer (src/vectors): features of stored papers, and term names. */
export interface FeatureSource {
  /** `external`: the dense part is an external model's (fused with TF-IDF in the profile model). */
  readonly dims: { sparse: number; dense: number; external?: boolean };
  /** Features of stored papers; papers not (yet) represented are absent from the map. */
  features(pks: number[], opts?: { dense: boolean }): Promise<Map<number, PaperFeatures>>;
  /**
   * Visits stored papers' features without keeping them: the arrays are
   * reused after `visit` returns (copy what you keep). `dense`: also the dense
   * part. Returns how many papers were visited (the others are not indexed yet).
   */
  scan(pks: number[], opts: { dense: boolean }, visit: (pk: number, f: PaperFeatures) => void): Promise<number>;
  /**
   * `scan` of only the terms `table` has (a fitted model's: ProfileModel.terms),
   * for scoring a whole window; the selection is reused after `visit` returns.
   */
  scanSelected(
    pks: number[],
    table: TermTable,
    opts: { dense: boolean },
    visit: (pk: number, sel: SelectedTerms, dense: Float32Array | undefined) => void,
  ): Promise<number>;
  /** Changes whenever the features of stored papers may have (a fitted model keyed on it stays valid while it holds). */
  generation(): string;
  /** Readable term of a sparse feature index. */
  term(index: number): string | undefined;
}

export interface ProfileDeps {
  store: Store;
  features: FeatureSource;
  /** Fitted models to reuse while their inputs hold (model-cache.ts); without it every feed fits anew. */
  models?: TrainedCache;
}

export const BACKGROUND_SAMPLE = 2000;
/** A dismissal says more than a random background paper: it was close enough to be shown, and still unwanted. */
export const DISMISS_WEIGHT = 3;
export const SAVE_WEIGHT = 1.5;
export const LIKE_WEIGHT = 1;

const YEAR_MS = 365.25 * 86_400_000;

/** Age in years of a paper at `now`, from its best-known date. */
export function paperAge(p: Pick<Paper, 'published' | 'listingDate' | 'year' | 'updated'>, now: Date): number | undefined {
  const day = p.published ?? p.listingDate ?? p.updated ?? (p.year ? `${p.year}-07-01` : undefined);
  if (!day) return undefined;
  const t = Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day);
  return Number.isFinite(t) ? (now.getTime() - t) / YEAR_MS : undefined;
}

export interface TrainedProfile {
  model: ProfileModel;
  positives: Map<number, PositiveInfo>;
  /** pks never to show: own papers and every paper with feedback. */
  hidden: Set<number>;
  /** Features of seen/dismissed papers, to catch a near-identical copy that did not merge. */
  hiddenFeatures: PaperFeatures[];
  positiveFeatures: Map<number, PaperFeatures>;
  feedback: FeedbackEntry[];
  /** Profile papers with no text to learn from (e.g. a bare arXiv id not yet fetched). */
  withoutFeatures: number;
  /**
   * Model scores of papers already ranked with this fit (pk → score). Valid as
   * long as the fit is (same features generation), so a feed only scores the
   * papers no earlier window of this fit covered. Filled by the feed.
   */
  scores: Map<number, number>;
  trainMs: number;
}

export async function trainProfile(
  deps: ProfileDeps,
  profile: Profile,
  now: Date,
  options: Partial<RecommendOptions> = {},
): Promise<TrainedProfile> {
  const started = performance.now();
  const { store } = deps;
  const links = await store.profiles.profilePapers(profile.profileId);
  const feedback = await store.profiles.feedback(profile.profileId);
  // Ages in whole days: the model fitted at 09:00 is the one at 17:00, so it can be reused all day.
  const day = isoDay(now);
  const fit = () => fitProfile(deps, profile, new Date(`${day}T00:00:00Z`), options, links.map((l) => l.pk), feedback);
  const key = JSON.stringify([profile.profileId, profile.name, day, deps.features.generation(), options, links.map((l) => l.pk), feedback.map((f) => [f.pk, f.action, f.at])]);
  const trained = await (deps.models ? deps.models.get(key, fit) : fit());
  return { ...trained, trainMs: performance.now() - started };
}

async function fitProfile(
  deps: ProfileDeps,
  profile: Profile,
  now: Date,
  options: Partial<RecommendOptions>,
  ownPks: number[],
  feedback: FeedbackEntry[],
): Promise<TrainedProfile> {
  const { store } = deps;
  const liked = new Map<number, 'like' | 'save'>();
  const dismissed = new Set<number>();
  const hidden = new Set<number>(ownPks);
  for (const f of feedback) {
    hidden.add(f.pk);
    if (f.action === 'dismiss') dismissed.add(f.pk);
    else if (f.action === 'save') liked.set(f.pk, 'save');
    else if (f.action === 'like' && !liked.has(f.pk)) liked.set(f.pk, 'like');
  }
  // A paper both liked and dismissed: the later action wins.
  for (const f of [...feedback].sort((a, b) => a.at.localeCompare(b.at))) {
    if (f.action === 'dismiss') liked.delete(f.pk);
    else if (f.action === 'like' || f.action === 'save') dismissed.delete(f.pk);
  }

  const sample = await store.profiles.samplePaperPks(BACKGROUND_SAMPLE + hidden.size, hashSeed(profile.name));
  const backgroundPks = sample.filter((pk) => !hidden.has(pk)).slice(0, BACKGROUND_SAMPLE);
  const positivePks = [...new Set([...ownPks, ...liked.keys()])];
  const hiddenFeaturePks = feedback.filter((f) => f.action === 'dismiss' || f.action === 'seen').map((f) => f.pk);
  // Dense vectors only when the model weighs them (not with the built-in LSA): a fit reads two thousand papers.
  const dense = effectiveDenseShare(deps.features.dims, options) > 0;
  const feats = await deps.features.features([...new Set([...positivePks, ...dismissed, ...backgroundPks, ...hiddenFeaturePks])], { dense });
  const papers = new Map((await store.papers.getPapersByPk(positivePks)).map((p) => [p.pk, p]));

  const positives: Positive[] = [];
  const info = new Map<number, PositiveInfo>();
  const positiveFeatures = new Map<number, PaperFeatures>();
  let withoutFeatures = 0;
  for (const pk of positivePks) {
    const f = feats.get(pk);
    const p = papers.get(pk);
    if (!f || !p) {
      withoutFeatures++;
      continue;
    }
    const via = liked.get(pk) ?? 'profile';
    const weight = via === 'save' ? SAVE_WEIGHT : via === 'like' ? LIKE_WEIGHT : recencyWeight(paperAge(p, now));
    positives.push({ features: f, weight, key: pk, feedback: via !== 'profile' });
    positiveFeatures.set(pk, f);
    info.set(pk, { id: p.id, title: p.title || p.abstract.slice(0, 80), via });
  }
  const negatives: Negative[] = [];
  for (const pk of dismissed) {
    const f = feats.get(pk);
    if (f) negatives.push({ features: f, weight: DISMISS_WEIGHT });
  }
  for (const pk of backgroundPks) {
    const f = feats.get(pk);
    if (f) negatives.push({ features: f });
  }
  const model = trainProfileModel(positives, negatives, deps.features.dims, options);
  return {
    model,
    positives: info,
    hidden,
    hiddenFeatures: hiddenFeaturePks.map((pk) => feats.get(pk)).filter((f): f is PaperFeatures => !!f),
    positiveFeatures,
    feedback,
    withoutFeatures,
    scores: new Map(),
    trainMs: 0,
  };
}

/** A stable seed from the profile name, so a profile's background sample (and feed) is reproducible. */
export function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
