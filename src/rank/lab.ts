/**
 * "Popular in your lab": the papers the members of a shared instance liked or
 * saved lately, ranked by how many members did, and the small, explained boost
 * a profile feed gives them. Pure: the store gives the activity (one row per
 * member, paper and action), the caller the members and who is asking.
 */
import type { LabActivity } from '../store/types.ts';
import type { Reason } from './explain.ts';

export type { LabActivity };

export interface LabMember {
  userId: number;
  name: string;
  /** The member chose to be named next to what they liked and saved (an account setting, off by default). */
  showInLab: boolean;
}

export interface LabPaper {
  pk: number;
  /** Members who liked it, who saved it (one each, however often). */
  likes: number;
  saves: number;
  /** Members who liked or saved it. */
  members: number;
  /** Those of them who chose to be named, by name; the others are only counted. */
  names: string[];
  /** The latest like or save. */
  lastAt: string;
}

/** Days of activity counted, by default. */
export const LAB_WINDOW_DAYS = 14;
/**
 * Feed score added per member who liked or saved a paper, in the profile
 * model's units (background standard deviations), and its cap: a nudge between
 * papers the model already ranks alike, far below a followed author's
 * (FOLLOW_BOOST, profile/rules.ts), so the lab never outvotes the profile.
 */
export const LAB_BOOST_PER_MEMBER = 0.25;
export const LAB_BOOST_MAX = 0.75;

/**
 * Papers by members who liked or saved them (most first), then by likes and
 * saves together, then the latest activity, then pk. Activity of accounts not
 * in `members` (removed since) is not counted.
 */
export function rankLabPapers(activity: readonly LabActivity[], members: readonly LabMember[], limit = Infinity): LabPaper[] {
  const byId = new Map(members.map((m) => [m.userId, m]));
  const acc = new Map<number, { likes: Set<number>; saves: Set<number>; lastAt: string }>();
  for (const a of activity) {
    if (!byId.has(a.userId)) continue;
    let e = acc.get(a.pk);
    if (!e) acc.set(a.pk, (e = { likes: new Set(), saves: new Set(), lastAt: a.at }));
    (a.action === 'like' ? e.likes : e.saves).add(a.userId);
    if (a.at > e.lastAt) e.lastAt = a.at;
  }
  const out: LabPaper[] = [];
  for (const [pk, e] of acc) {
    const who = new Set([...e.likes, ...e.saves]);
    const names = [...who]
      .map((id) => byId.get(id)!)
      .filter((m) => m.showInLab)
      .map((m) => m.name)
      .sort((a, b) => a.localeCompare(b));
    out.push({ pk, likes: e.likes.size, saves: e.saves.size, members: who.size, names, lastAt: e.lastAt });
  }
  out.sort((a, b) => b.members - a.members || b.likes + b.saves - (a.likes + a.saves) || (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0) || a.pk - b.pk);
  return out.slice(0, limit);
}

/** What a feed adds for a paper popular in the lab. */
export interface LabBoost {
  boost: number;
  reason: Reason;
}

/**
 * The feed signal for one reader: per paper, the boost for the *other*
 * members who liked or saved it (one's own likes already shape one's profile),
 * with the reason the feed shows. Empty when no other member did anything,
 * so a single-user instance ranks exactly as without it.
 */
export function labBoosts(activity: readonly LabActivity[], members: readonly LabMember[], reader: number | undefined, days = LAB_WINDOW_DAYS): Map<number, LabBoost> {
  const others = members.filter((m) => m.userId !== reader);
  const out = new Map<number, LabBoost>();
  for (const p of rankLabPapers(activity, others)) {
    const boost = Math.min(LAB_BOOST_MAX, LAB_BOOST_PER_MEMBER * p.members);
    const who = p.members === 1 ? '1 member' : `${p.members} members`;
    out.set(p.pk, { boost, reason: { kind: 'lab', members: p.members, text: `liked or saved by ${who} of your lab in the last ${days} days` } });
  }
  return out;
}

/** A digest's or page's wording of one entry: "2 likes, 1 save · Ada, Grace". */
export function labLine(p: Pick<LabPaper, 'likes' | 'saves' | 'names'>): string {
  const parts = [];
  if (p.likes) parts.push(`${p.likes} ${p.likes === 1 ? 'like' : 'likes'}`);
  if (p.saves) parts.push(`${p.saves} ${p.saves === 1 ? 'save' : 'saves'}`);
  const counts = parts.join(', ');
  return p.names.length ? `${counts} · ${p.names.join(', ')}` : counts;
}
