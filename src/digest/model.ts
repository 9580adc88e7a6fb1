/**
 * What a digest says, independent of how it is delivered: the profile, the
 * window, and the top papers with their dates, reasons and signed one-click
 * links. Renderers (e-mail, RSS/Atom, webhook) only format this.
 */
import type { PaperLinks } from '../paper/types.ts';
import { signLink } from './tokens.ts';
import type { DayWindow } from './window.ts';

/** The part of a feed item a digest shows (src/profile/feed.ts FeedItem has these fields). */
export interface RankedPaper {
  id: string;
  title: string;
  authors: string[];
  authorCount?: number;
  date?: string;
  links: PaperLinks;
  abstract: string;
  score: number;
  reasons: { text: string }[];
}

export interface DigestItem {
  id: string;
  title: string;
  /** "A, B, C et al." or "12 authors". */
  byline: string;
  date?: string;
  url: string;
  /** The paper's code repository, when its record or its abstract/comment names one. */
  codeUrl?: string;
  /** Its project page, likewise. */
  projectUrl?: string;
  abstract: string;
  score: number;
  reasons: string[];
  likeUrl: string;
  dismissUrl: string;
  /** Machine-generated one-sentence summary, when one is configured and already cached (a digest never waits for one). */
  tldr?: string;
}

export interface Digest {
  profile: string;
  /** The account whose profile it is, when not the local admin's. */
  owner?: number;
  window: DayWindow;
  generatedAt: string;
  items: DigestItem[];
  /** The profile's feed on the web app. */
  webUrl: string;
  unsubscribeUrl: string;
  feedUrls: { rss: string; atom: string };
  /** Topics near the profile rising significantly this month (absent when none are, or topics are not built). */
  rising?: RisingTopic[];
  /** "Popular in your lab" on a shared instance (absent on a single-user one, or when nothing was liked or saved lately). */
  lab?: LabBlock;
}

export interface LabBlock {
  /** Days of likes and saves counted. */
  days: number;
  papers: { id: string; title: string; url: string; likes: number; saves: number; members: number; names: string[] }[];
}

export interface RisingTopic {
  label: string;
  /** Share of papers this month ÷ the three months before. */
  growth: number;
  /** Papers this month and in the three months before. */
  recent: number;
  before: number;
}

/** The routes that answer these links live in src/server/routes/actions.ts and rss.ts (under the API prefix). */
export const ACTION_PATH = '/api/actions';
export const FEED_PATH = '/api/feeds';

export function actionUrl(baseUrl: string, token: string): string {
  return `${trimSlash(baseUrl)}${ACTION_PATH}/${token}`;
}

export function feedUrls(baseUrl: string, profile: string, token: string): { rss: string; atom: string } {
  const base = `${trimSlash(baseUrl)}${FEED_PATH}/${encodeURIComponent(profile)}/${token}`;
  return { rss: `${base}.rss`, atom: `${base}.atom` };
}

/** arXiv's abstract page where the paper has an arXiv id, else the paper's page in the web app. */
export function paperUrl(baseUrl: string, p: Pick<RankedPaper, 'id' | 'links'>): string {
  if (p.links.abs) return p.links.abs;
  if (p.id.startsWith('arxiv:')) return `https://arxiv.org/abs/${p.id.slice('arxiv:'.length)}`;
  return `${trimSlash(baseUrl)}/paper/${encodeURIComponent(p.id)}`;
}

export function byline(p: Pick<RankedPaper, 'authors' | 'authorCount'>, max = 4): string {
  if (!p.authors.length) return p.authorCount ? `${p.authorCount} authors` : '';
  const total = Math.max(p.authorCount ?? 0, p.authors.length);
  const shown = p.authors.slice(0, max).join(', ');
  return total > max ? `${shown} et al. (${total} authors)` : shown;
}

export function buildDigest(args: {
  profile: string;
  window: DayWindow;
  papers: RankedPaper[];
  baseUrl: string;
  secret: string;
  feedToken: string;
  now: Date;
  channel: 'email' | 'webhook' | 'rss';
  /** The account whose profile this is, when not the local admin's: its one-click links act on that account's profile. */
  owner?: number;
}): Digest {
  const { profile, baseUrl, secret, now } = args;
  const o = args.owner === undefined ? {} : { o: args.owner };
  const link = (a: 'like' | 'dismiss', id: string) => actionUrl(baseUrl, signLink(secret, { p: profile, a, id, ...o }, now));
  return {
    profile,
    ...(args.owner === undefined ? {} : { owner: args.owner }),
    window: args.window,
    generatedAt: now.toISOString(),
    items: args.papers.map((p) => ({
      id: p.id,
      title: p.title || '(untitled)',
      byline: byline(p),
      date: p.date,
      url: paperUrl(baseUrl, p),
      ...(p.links.code ? { codeUrl: p.links.code } : {}),
      ...(p.links.project ? { projectUrl: p.links.project } : {}),
      abstract: p.abstract,
      score: p.score,
      reasons: p.reasons.map((r) => r.text).filter(Boolean),
      likeUrl: link('like', p.id),
      dismissUrl: link('dismiss', p.id),
    })),
    webUrl: `${trimSlash(baseUrl)}/feed?profile=${encodeURIComponent(profile)}`,
    unsubscribeUrl: actionUrl(
      baseUrl,
      signLink(secret, { p: profile, a: 'unsubscribe', c: args.channel === 'webhook' ? 'webhook' : 'email', ...o }, now),
    ),
    feedUrls: feedUrls(baseUrl, profile, args.feedToken),
  };
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/** First sentences of an abstract, cut at a word boundary. */
export function snippet(text: string, max = 320): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 40))}…`;
}
