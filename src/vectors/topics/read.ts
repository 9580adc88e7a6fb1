/**
 * Reading the topics: summaries with their trends, the topics near a set of
 * papers (a profile's), rising terms, and the map's points.
 */
import { decodeTermsRow, TERMS_MODEL, type SparseIndex } from '../sparse-index.ts';
import { SurfaceForms } from './labels.ts';
import { dayNumber, decodePoint, readTopicsMeta, weekOf, weekStart, type TopicsMeta } from './model.ts';
import { rankTrends, sparkline, windowCounts } from './trends.ts';
import type { Store } from '../../store/types.ts';

export interface TopicSummary {
  id: number;
  label: string;
  size: number;
  /** Papers per week, the last 26 weeks, oldest first. */
  trend: number[];
  terms: string[];
  /** Share this month ÷ share the three months before (smoothed). */
  growth: number;
  /** One-sided binomial p-value of the rise, and its Benjamini–Hochberg q-value. */
  p: number;
  q: number;
  rising: boolean;
  /** Papers this month and in the three before. */
  recent: number;
  before: number;
}

export interface TopicsView {
  /** The Monday of the last week counted. */
  lastWeek: string;
  builtAt: string;
  topics: TopicSummary[];
}

export const TREND_WEEKS = 26;

/**
 * The week trends end with: the newest week with a real listing's worth of
 * papers (an offline snapshot's "now" is its last day; a stray paper dated
 * months later is not, nor a few dated papers of a publication list), never
 * after `today`. "A listing's worth" is a tenth of the busiest week.
 */
export function lastWeekOf(meta: TopicsMeta, today?: string): number {
  const cap = today ? weekOf(dayNumber(today)) : Infinity;
  const weeks = Object.entries(meta.corpusWeeks)
    .map(([w, n]) => [Number(w), n] as const)
    .filter(([w]) => w <= cap)
    .sort((a, b) => a[0] - b[0]);
  if (weeks.length === 0) return Number.isFinite(cap) ? cap : weekOf(dayNumber(new Date().toISOString()));
  const floor = Math.max(...weeks.map(([, n]) => n)) * 0.1;
  for (let i = weeks.length - 1; i >= 0; i--) if (weeks[i][1] >= floor) return weeks[i][0];
  return weeks[weeks.length - 1][0];
}

/** Every topic with its trend, most rising first. `only` keeps those topics (ids), in growth order. */
export function summarise(meta: TopicsMeta, opts: { today?: string; only?: number[]; fdr?: number } = {}): TopicsView {
  const last = lastWeekOf(meta, opts.today);
  const ranked = rankTrends(
    meta.topics.map((t) => ({ item: t, counts: windowCounts(t.weeks, meta.corpusWeeks, last) })),
    opts.fdr,
  );
  const keep = opts.only ? new Set(opts.only) : undefined;
  const topics = ranked
    .filter((r) => !keep || keep.has(r.item.id))
    .map((r) => {
      const c = windowCounts(r.item.weeks, meta.corpusWeeks, last);
      return {
        id: r.item.id,
        label: r.item.label,
        size: r.item.size,
        trend: sparkline(r.item.weeks, last, TREND_WEEKS),
        terms: r.item.terms,
        growth: round(r.growth),
        p: r.p,
        q: r.q,
        rising: r.significant,
        recent: c.recent,
        before: c.before,
      };
    });
  return { lastWeek: weekStart(last), builtAt: meta.builtAt, topics };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The topics a set of papers falls in, most of them first (ties: the bigger topic). */
export async function topicsOfPapers(store: Store, meta: TopicsMeta, pks: number[], limit = 8): Promise<number[]> {
  const rows = await store.vectors.getVectors(meta.points, pks);
  const count = new Map<number, number>();
  for (const buf of rows.values()) {
    const t = decodePoint(buf).topic;
    count.set(t, (count.get(t) ?? 0) + 1);
  }
  const size = (t: number) => meta.topics[t]?.size ?? 0;
  return [...count.entries()]
    .sort((a, b) => b[1] - a[1] || size(b[0]) - size(a[0]))
    .slice(0, limit)
    .map(([t]) => t);
}

export async function loadTopics(store: Store): Promise<TopicsMeta | undefined> {
  return readTopicsMeta(store.models);
}

export interface MapPoint {
  pk: number;
  x: number;
  y: number;
  topic: number;
}

/** Every paper's map position, in pages. */
export async function* mapPoints(store: Store, meta: TopicsMeta, batch = 10_000): AsyncIterable<MapPoint[]> {
  for await (const rows of store.vectors.scanVectors(meta.points, batch)) {
    yield rows.map((r) => {
      const p = decodePoint(r.vector);
      return { pk: r.pk, x: p.x, y: p.y, topic: p.topic };
    });
  }
}

export interface RisingTerm {
  term: string;
  recent: number;
  before: number;
  growth: number;
  q: number;
}

/**
 * Terms rising this month against the three before, tested like topics:
 * papers holding the term in each window, against all papers in each window,
 * Benjamini–Hochberg over every term tested. Reads the term rows of the
 * papers of those four months only.
 */
export async function risingTerms(store: Store, meta: TopicsMeta, sparse: SparseIndex, opts: { today?: string; limit?: number; minPapers?: number } = {}): Promise<RisingTerm[]> {
  const last = lastWeekOf(meta, opts.today);
  const recentFrom = weekStart(last - 3);
  const beforeFrom = weekStart(last - 15);
  const to = weekStart(last + 1);
  const df = { recent: new Map<number, number>(), before: new Map<number, number>() };
  const totals = { recent: 0, before: 0 };
  // The recent papers' own words: a term counted under a hashed id must be one they say (see label-pass.ts).
  const forms = new SurfaceForms();
  for (let offset = 0; ; offset += 2000) {
    const { papers } = await store.papers.listPapers({ from: beforeFrom, to, sort: 'date', limit: 2000, offset });
    if (papers.length === 0) break;
    const rows = await store.vectors.getVectors(TERMS_MODEL, papers.map((p) => p.pk));
    for (const p of papers) {
      if (!p.listingDate || p.listingDate >= to) continue;
      const buf = rows.get(p.pk);
      if (!buf) continue;
      const w = p.listingDate >= recentFrom ? 'recent' : 'before';
      totals[w]++;
      if (w === 'recent') forms.add(`${p.title}\n${p.abstract}`);
      for (const id of decodeTermsRow(buf).counts.ids) df[w].set(id, (df[w].get(id) ?? 0) + 1);
    }
    if (papers.length < 2000) break;
  }
  const minPapers = opts.minPapers ?? 10;
  const items: { item: string; counts: ReturnType<typeof windowCounts> }[] = [];
  for (const [id, recent] of df.recent) {
    if (recent < minPapers) continue;
    const term = sparse.term(id);
    if (!term || term.startsWith('@') || /^\d+$/.test(term) || forms.count(term) < recent * 0.8) continue;
    items.push({ item: term, counts: { recent, before: df.before.get(id) ?? 0, recentTotal: totals.recent, beforeTotal: totals.before } });
  }
  return rankTrends(items)
    .filter((r) => r.significant)
    .slice(0, opts.limit ?? 20)
    .map((r) => {
      const c = items.find((i) => i.item === r.item)!.counts;
      return { term: forms.form(r.item), recent: c.recent, before: c.before, growth: round(r.growth), q: r.q };
    });
}
