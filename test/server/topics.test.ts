/**
 * Topics over HTTP on a synthetic corpus with known themes (a burst of
 * grokking papers in the last month): GET /api/map and /api/topics shapes,
 * the OpenAPI entries, the profile's highlights, the Trends and Map pages,
 * the "rising in your area" block of the profile page, and the digest's.
 */
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/cli/http-app.ts';
import { renderEmail } from '../../src/digest/render-email.ts';
import type { Digest } from '../../src/digest/model.ts';
import { risingNear } from '../../src/profile/topics.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { refreshIndexes } from '../../src/vectors/refresh.ts';
import { tempDir } from '../helpers/tmp.ts';
import { TOPICS } from '../vectors/synthetic.ts';
import { burstRecords, steadyRecords } from '../vectors/topics/corpus.ts';

const NOW = new Date('2025-04-01T12:00:00Z');

async function topicServer() {
  const store = new SqliteStore(join(tempDir(), 'radar.db'), { now: () => NOW });
  onTestFinished(() => store.close());
  await store.papers.upsertPapers([...steadyRecords(0, 400), ...burstRecords(1000, 80, 1)], NOW.toISOString());
  await refreshIndexes(store, { minDocsForDense: 100, lsa: { dims: 8, minDf: 2, powerIters: 2 }, topics: { k: 4, mapSample: 300 } });
  // A profile whose papers are grokking papers: the rising topic is in its area.
  const grok = (await store.papers.listPapers({ limit: 1000 })).papers.filter((p) => TOPICS.grokking.some((w) => p.title.startsWith(w))).slice(0, 4);
  const profile = await store.profiles.createProfile('gina', {}, NOW.toISOString());
  await store.profiles.addProfilePapers(profile.profileId, grok.map((p) => ({ pk: p.pk, origin: 'test' })), NOW.toISOString());
  const server = await buildServer({ store, now: () => NOW, log: () => {} });
  onTestFinished(() => server.close());
  return { store, app: server.app, grok: grok.map((p) => p.id) };
}

describe('topics over HTTP', () => {
  it('GET /api/map gives every paper a position and topic, topic labels at their centres, and a profile\'s papers to highlight', async () => {
    const { app, grok } = await topicServer();
    const r = await app.inject({ url: '/api/map' });
    expect(r.statusCode).toBe(200);
    const map = r.json() as { points: { id: string; x: number; y: number; topic: number }[]; topics: { id: number; label: string; x: number; y: number }[] };
    expect(map.points).toHaveLength(480);
    for (const p of map.points) {
      expect(Object.keys(p).sort()).toEqual(['id', 'topic', 'x', 'y']);
      expect(Math.abs(p.x)).toBeLessThanOrEqual(1.05);
      expect(map.topics.some((t) => t.id === p.topic)).toBe(true);
    }
    expect(map.topics).toHaveLength(4);
    for (const t of map.topics) expect(t).toEqual(expect.objectContaining({ id: expect.any(Number), label: expect.any(String), x: expect.any(Number), y: expect.any(Number) }));

    const mine = (await app.inject({ url: '/api/map?profile=gina' })).json() as { profile: { papers: string[]; feed: string[] } };
    expect(mine.profile.papers.sort()).toEqual([...grok].sort());
    expect(Array.isArray(mine.profile.feed)).toBe(true);
    expect((await app.inject({ url: '/api/map?profile=nobody' })).statusCode).toBe(404);
  });

  it('GET /api/topics lists topics with 26-week trends, most rising first, and both routes are in the OpenAPI document', async () => {
    const { app } = await topicServer();
    const t = (await app.inject({ url: '/api/topics' })).json() as { topics: { label: string; trend: number[]; growth: number; rising: boolean }[] };
    expect(t.topics).toHaveLength(4);
    expect(t.topics[0].rising).toBe(true);
    expect(TOPICS.grokking.some((w) => t.topics[0].label.includes(w))).toBe(true);
    for (const x of t.topics) expect(x.trend).toHaveLength(26);
    const doc = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(doc.paths['/api/map']).toBeDefined();
    expect(doc.paths['/api/topics']).toBeDefined();
  });

  it('the Trends and Map pages render; the profile page says what is rising in its area', async () => {
    const { app } = await topicServer();
    const trends = await app.inject({ url: '/trends' });
    expect(trends.statusCode).toBe(200);
    expect(trends.body.match(/class="topic-row/g)).toHaveLength(4);
    expect(trends.body).toContain('rising');
    const map = await app.inject({ url: '/map?profile=gina' });
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('data-map-src="/api/map?profile=gina"');
    const profile = await app.inject({ url: '/profiles/gina' });
    expect(profile.body).toContain('Rising in your area');
  });

  it('the digest carries the rising topics near the profile, in text and HTML', async () => {
    const { store } = await topicServer();
    const rising = await risingNear(store, 'gina', NOW);
    expect(rising).toHaveLength(1);
    const digest: Digest = {
      profile: 'gina',
      window: { from: '2025-03-24', to: '2025-03-30' },
      generatedAt: NOW.toISOString(),
      items: [],
      webUrl: 'http://radar.test/feed',
      unsubscribeUrl: 'http://radar.test/u',
      feedUrls: { rss: 'http://radar.test/r.rss', atom: 'http://radar.test/r.atom' },
      rising: rising.map((t) => ({ label: t.label, growth: t.growth, recent: t.recent, before: t.before })),
    };
    const mail = renderEmail(digest);
    expect(mail.text).toContain('Rising in your area');
    expect(mail.text).toContain(rising[0].label);
    expect(mail.html).toContain('Rising in your area');
  });
});
