/**
 * The feed's fast path (bulk scoring from stored rows, a fitted model and its
 * scores reused across windows, papers read only for the head) gives exactly
 * the plain path's feed (test/helpers/plain-feed.ts), and its counts add up,
 * on the seed corpus: with and without rules, feedback and a cut-off, and
 * after the profile changes under a cached fit.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProfileDeps } from '../../src/profile/deps.ts';
import { buildFeed, type Feed, type FeedOptions } from '../../src/profile/feed.ts';
import { importForProfile } from '../../src/profile/import.ts';
import type { ProfileDeps } from '../../src/profile/model.ts';
import { createProfile, giveFeedback, updateRules } from '../../src/profile/profiles.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { plainFeed } from '../helpers/plain-feed.ts';
import { describeShared, SEEDS } from '../helpers/shared.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
// The Daily Papers pages are mostly undated: rank those too, as the seed feed tests do.
const WIDE = { from: '2000-01-01', to: '2026-11-22', now: NOW, includeUndated: true };

function addsUp(f: Pick<Feed, 'items' | 'stats'>) {
  const s = f.stats;
  expect(s.hidden + s.excludedByRules + s.belowCutoff + s.unrepresented + s.aboveCutoff).toBe(s.candidates);
  expect(s.cut).toBe(s.aboveCutoff - f.items.length);
}

describeShared('the fast feed path', Object.values(SEEDS), () => {
  let store: Store;
  let dir: string;
  let deps: ProfileDeps;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-feed-fast-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    await importForProfile(store, [SEEDS.dailyPapers1, SEEDS.dailyPapers2, SEEDS.dailyPapers3].map((path) => ({ path })), NOW);
    await createProfile({ store, now: NOW, importFiles: importForProfile }, 'nc', { files: [SEEDS.publicationList] });
    deps = await openProfileDeps(store);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function same(opts: Partial<FeedOptions>) {
    const o = { ...WIDE, ...opts };
    const fast = await buildFeed(deps, 'nc', o);
    const plain = await plainFeed(deps, 'nc', o);
    expect(fast.items.map((i) => ({ id: i.id, score: i.score, reasons: i.reasons }))).toEqual(plain.items);
    const { coldStart: _c, cutoff: _k, trainMs: _t, totalMs: _m, ...counts } = fast.stats;
    expect(counts).toEqual(plain.stats);
    addsUp(fast);
    return fast;
  }

  it('gives the plain feed, cut-off on and off, diversified or not, and counts that add up', async () => {
    const feed = await same({ limit: 10 });
    expect(feed.items).toHaveLength(10);
    expect(feed.stats.belowCutoff).toBeGreaterThan(0);
    expect(feed.stats.cut).toBeGreaterThan(0);
    const all = await same({ limit: 100_000, cutoff: -Infinity, diversity: 1 });
    expect(all.stats.aboveCutoff).toBe(all.stats.candidates - all.stats.hidden - all.stats.unrepresented);
    await same({ limit: 3, diversity: 0.3 });
  }, 120_000);

  it('gives the plain feed with rules and feedback, and refits when they change', async () => {
    const before = await same({ limit: 20 });
    const liked = before.items[5];
    const fitsBefore = deps.models!.size;
    await giveFeedback(store, 'nc', liked.id, 'like', NOW);
    await giveFeedback(store, 'nc', before.items[0].id, 'dismiss', NOW);
    await giveFeedback(store, 'nc', before.items[1].id, 'seen', NOW);
    const after = await same({ limit: 20 });
    expect(deps.models!.size).toBe(fitsBefore + 1);
    expect(after.items.map((i) => i.id)).not.toContain(liked.id);
    expect(after.stats.hidden).toBeGreaterThanOrEqual(before.stats.hidden + 3);
    await updateRules(store, 'nc', { addNever: ['diffusion'], followOrg: ['qualcomm'] }, NOW);
    const ruled = await same({ limit: 300, cutoff: -100 });
    expect(ruled.stats.excludedByRules).toBeGreaterThan(0);
    expect(ruled.items.some((i) => i.reasons.some((r) => r.kind === 'organization'))).toBe(true);
    await updateRules(store, 'nc', { addMust: ['reasoning'] }, NOW);
    const must = await same({ limit: 20 });
    expect(must.items.length).toBeGreaterThan(0);
    expect(must.items.every((i) => i.reasons.some((r) => r.kind === 'keyword'))).toBe(true);
  }, 120_000);

  it('reuses the fit and its scores for another window, and gives what a fresh process gives', async () => {
    await buildFeed(deps, 'nc', { ...WIDE, limit: 10 });
    const fits = deps.models!.size;
    const narrow = { ...WIDE, from: '2025-06-01', now: new Date('2026-11-22T18:00:00Z'), limit: 10 };
    const reused = await buildFeed(deps, 'nc', narrow);
    expect(deps.models!.size).toBe(fits);
    const freshDeps = await openProfileDeps(store);
    const fresh = await buildFeed(freshDeps, 'nc', narrow);
    expect(reused.items).toEqual(fresh.items);
    expect({ ...reused.stats, trainMs: 0, totalMs: 0 }).toEqual({ ...fresh.stats, trainMs: 0, totalMs: 0 });
  }, 120_000);
});
