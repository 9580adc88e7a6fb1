/**
 * One meaning of "new", on the seed corpus as a new user gets it: import the
 * pasted Daily Papers pages and a publication list, create a profile, and no
 * paper without a listing day shows up in any "new" window — the CLI feed, the
 * API feed, RSS, the digest preview, the day counts — while the dated ones do.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { ALL_SEEDS, describeShared, SEEDS } from '../helpers/shared.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

async function radar(db: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli([...args, '--db', db]);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describeShared('undated seed papers are never new', ALL_SEEDS, () => {
  let dir: string;
  let db: string;
  let store: SqliteStore;
  let server: Server;
  let undatedTitles: Set<string>;
  let undatedIds: Set<string>;
  let newestDay: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-undated-'));
    db = join(dir, 'radar.db');
    expect((await radar(db, 'import', SEEDS.dailyPapers1, SEEDS.dailyPapers2, SEEDS.dailyPapers3)).code).toBe(0);
    const made = await radar(db, 'profile', 'create', 'ce', '--from', SEEDS.publicationList);
    expect(made.code, made.err).toBe(0);
    store = new SqliteStore(db);
    const rows = store.db.prepare('SELECT id, title FROM papers WHERE listing_date IS NULL').all() as { id: string; title: string }[];
    undatedIds = new Set(rows.map((r) => r.id));
    undatedTitles = new Set(rows.map((r) => r.title));
    newestDay = (store.db.prepare('SELECT max(listing_date) AS d FROM papers').get() as { d: string }).d;
    server = await buildServer({ store, log: () => {}, allowedHosts: ['radar.lab.example'] });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the seeds do hold undated papers (the case this guards)', () => {
    expect(undatedIds.size).toBeGreaterThan(50);
  });

  it('CLI feed: a window counts back from the newest listing day and holds dated papers only', async () => {
    for (const since of ['1d', '7d', '90d', '1y']) {
      const r = await radar(db, 'feed', 'ce', '--since', since, '--cutoff', '-100', '--limit', '200', '--json');
      expect(r.code, r.err).toBe(0);
      const items = JSON.parse(r.out) as { id: string; date?: string }[];
      for (const it of items) {
        expect(undatedIds.has(it.id), `${since}: ${it.id}`).toBe(false);
        expect(it.date).toBeDefined();
      }
      if (since === '1y') expect(items.length).toBeGreaterThan(0);
    }
    const human = await radar(db, 'feed', 'ce', '--since', '7d');
    expect(human.err).toContain(`ending at the newest listing day, ${newestDay}`);
  });

  it('API feed, day counts and RSS leave the undated papers out', async () => {
    const feed = (await server.app.inject({ url: '/api/profiles/ce/feed?since=1y&cutoff=-100&limit=200' })).json();
    expect(feed.to).toBe(newestDay);
    expect(feed.items.length).toBeGreaterThan(0);
    for (const it of feed.items) expect(undatedIds.has(it.id)).toBe(false);
    const s = feed.stats;
    expect(s.hidden + s.excludedByRules + s.belowCutoff + s.unrepresented + s.aboveCutoff).toBe(s.candidates);

    const days = (await server.app.inject({ url: '/api/days?limit=5000' })).json().days as { day: string; count: number }[];
    const dated = (store.db.prepare('SELECT count(*) AS n FROM papers WHERE listing_date IS NOT NULL').get() as { n: number }).n;
    expect(days.reduce((a, d) => a + d.count, 0)).toBe(dated);

    const urls = JSON.parse((await radar(db, 'digest', 'ce', '--feed-url', '--json')).out) as { rss: string };
    const path = new URL(urls.rss).pathname;
    const rss = await server.app.inject({ url: path, headers: { host: 'radar.lab.example:9000' } });
    expect(rss.statusCode).toBe(200);
    const titles = [...rss.body.matchAll(/<item>\s*<title><!\[CDATA\[(.*?)\]\]><\/title>/g)].map((m) => m[1]);
    for (const t of titles) expect(undatedTitles.has(t), t).toBe(false);
    expect(rss.body).toContain(`listing days`);
    // Links point where the feed was fetched from, not at a hard-coded localhost:8080.
    expect(rss.body).toContain('http://radar.lab.example:9000/');
    expect(rss.body).not.toContain('localhost:8080');
  });

  it('the digest preview works with no configuration, says which days, and holds dated papers only', async () => {
    const r = await radar(db, 'digest', 'ce', '--dry-run', '--format', 'json', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.window.to).toBe(newestDay);
    expect(j.covers).toMatch(/the last 7 days ending at the newest listing day/);
    expect(j.settingsFrom).toBe('default');
    expect(j.cadence).toBe('off');
    for (const it of j.digest.items) expect(undatedIds.has(it.id)).toBe(false);
    const text = await radar(db, 'digest', 'ce', '--dry-run');
    expect(text.err).toMatch(/dry run: nothing is sent\. Covers the last 7 days ending at the newest listing day: \d{4}-\d{2}-\d{2} – /);
    expect(text.err).toContain('not set up: nothing is sent');
  });
});
