import { join } from 'node:path';
import { expect, it } from 'vitest';
import { topicsView } from '../../../src/profile/topics.ts';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { refreshIndexes } from '../../../src/vectors/refresh.ts';
import { readTopicsMeta } from '../../../src/vectors/topics/model.ts';
import { mapPoints, risingTerms } from '../../../src/vectors/topics/read.ts';
import { SparseIndex } from '../../../src/vectors/sparse-index.ts';
import type { Store } from '../../../src/store/types.ts';
import { describeEachBackend } from '../../helpers/backends.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { TOPICS } from '../synthetic.ts';
import { burstRecords, LAST_DAY, steadyRecords } from './corpus.ts';
import { runCli } from '../../helpers/cli.ts';

const NOW = '2025-04-01T00:00:00Z';
const OPTS = { minDocsForDense: 100, lsa: { dims: 8, minDf: 2, powerIters: 2 }, topics: { k: 4, mapSample: 300 } };

/** 400 steady papers over four topics, plus 80 grokking papers in the last month. */
async function corpus(store: Store) {
  await store.papers.upsertPapers([...steadyRecords(0, 400), ...burstRecords(1000, 80, 1)], NOW);
  return refreshIndexes(store, OPTS);
}

const topicWords = (name: string) => TOPICS[name];

describeEachBackend('topics maintained with the indexes', (backend) => {
  it('finds the corpus topics, labels them with their words, and calls only the burst rising', async () => {
    const store = await backend.open();
    const report = await corpus(store);
    expect(report.topics).toMatchObject({ built: true, topics: 4, placed: 480 });

    const view = (await topicsView(store))!;
    expect(view.topics).toHaveLength(4);
    expect(view.topics.reduce((s, t) => s + t.size, 0)).toBe(480);
    // Each topic is one synthetic theme: its label uses that theme's words.
    const themes = view.topics.map((t) => Object.keys(TOPICS).find((name) => topicWords(name).some((w) => t.label.includes(w))));
    expect(new Set(themes).size).toBe(4);
    const rising = view.topics.filter((t) => t.rising);
    expect(rising).toHaveLength(1);
    expect(themes[view.topics.indexOf(rising[0])]).toBe('grokking');
    expect(view.topics[0]).toBe(rising[0]);
    expect(rising[0].trend).toHaveLength(26);
    expect(rising[0].trend.slice(-4).reduce((a, b) => a + b, 0)).toBeGreaterThan(80);

    // Rising terms come from the same test: the burst topic's words.
    const terms = await risingTerms(store, (await readTopicsMeta(store.models))!, (await SparseIndex.load(store.models))!);
    expect(terms.length).toBeGreaterThan(0);
    for (const t of terms) expect(t.growth).toBeGreaterThan(1);
    expect(terms.some((t) => topicWords('grokking').some((w) => t.term.startsWith(w.slice(0, 5))))).toBe(true);
  });

  it('places new papers incrementally on the same topics and map, and rebuilds after the corpus grew', async () => {
    const store = await backend.open();
    await corpus(store);
    const before = (await readTopicsMeta(store.models))!;
    await store.papers.upsertPapers(steadyRecords(2000, 20), NOW);
    const second = await refreshIndexes(store, OPTS);
    expect(second.topics).toMatchObject({ built: false, placed: 20 });
    const after = (await readTopicsMeta(store.models))!;
    expect(after.points).toBe(before.points);
    expect(after.topics.map((t) => t.label)).toEqual(before.topics.map((t) => t.label));
    expect(after.topics.reduce((s, t) => s + t.size, 0)).toBe(500);
    let n = 0;
    for await (const page of mapPoints(store, after)) {
      for (const p of page) {
        expect(Math.abs(p.x)).toBeLessThanOrEqual(1.05);
        expect(p.topic).toBeGreaterThanOrEqual(0);
        expect(p.topic).toBeLessThan(4);
      }
      n += page.length;
    }
    expect(n).toBe(500);

    await store.papers.upsertPapers(steadyRecords(3000, 300), NOW);
    const third = await refreshIndexes(store, OPTS);
    expect(third.topics?.built).toBe(true);
    const rebuilt = (await readTopicsMeta(store.models))!;
    expect(rebuilt.points).not.toBe(after.points);
    expect(rebuilt.retired).toBe(after.points);
    expect(await store.vectors.countVectors(rebuilt.points)).toBe(800);
  });
});

const run = runCli;

it('radar topics --json prints an array of {id, label, size, trend}, most rising first; --profile keeps the topics near it', async () => {
  const db = join(tempDir(), 'radar.db');
  const store = new SqliteStore(db);
  await corpus(store);
  const collapse = (await store.papers.listPapers({ limit: 500 })).papers.filter((p) => p.title.includes('study') && TOPICS.collapse.some((w) => p.title.startsWith(w))).slice(0, 5);
  const profile = await store.profiles.createProfile('ana', {}, NOW);
  await store.profiles.addProfilePapers(profile.profileId, collapse.map((p) => ({ pk: p.pk, origin: 'test' })), NOW);
  await store.close();

  const r = await run(['topics', '--db', db, '--json']);
  expect(r.code).toBe(0);
  const topics = JSON.parse(r.stdout) as { id: number; label: string; size: number; trend: number[]; growth: number }[];
  expect(topics).toHaveLength(4);
  for (const t of topics) {
    expect(t).toEqual(expect.objectContaining({ id: expect.any(Number), label: expect.any(String), size: expect.any(Number) }));
    expect(t.trend).toHaveLength(26);
  }
  expect(topics.map((t) => t.growth)).toEqual([...topics.map((t) => t.growth)].sort((a, b) => b - a));

  const near = await run(['topics', '--db', db, '--json', '--profile', 'ana']);
  const mine = JSON.parse(near.stdout) as { label: string }[];
  expect(mine).toHaveLength(1);
  expect(TOPICS.collapse.some((w) => mine[0].label.includes(w))).toBe(true);

  const missing = await run(['topics', '--db', db, '--profile', 'nobody']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('no profile named "nobody"');
  void LAST_DAY;
});

it('ends trends with the newest week that has a listing, not a stray later paper', async () => {
  const { lastWeekOf } = await import('../../../src/vectors/topics/read.ts');
  const meta = { corpusWeeks: { 100: 50, 101: 60, 102: 40, 130: 1 } } as unknown as Parameters<typeof lastWeekOf>[0];
  expect(lastWeekOf(meta)).toBe(102);
  expect(lastWeekOf({ corpusWeeks: { 100: 50, 101: 60, 102: 40, 103: 30 } } as unknown as Parameters<typeof lastWeekOf>[0])).toBe(103);
});

it('ignores a few later papers of a publication list when ending the trends', async () => {
  const { lastWeekOf } = await import('../../../src/vectors/topics/read.ts');
  const meta = { corpusWeeks: { 100: 900, 101: 1200, 102: 800, 120: 2, 125: 1, 126: 3, 130: 1 } } as unknown as Parameters<typeof lastWeekOf>[0];
  expect(lastWeekOf(meta)).toBe(102);
});
