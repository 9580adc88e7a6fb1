/** `radar digest`, `radar jobs` and `radar fetch` as a user runs them (in-process, real store and loopback servers). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseArxivRss } from '../../src/ingest/http/arxiv-rss.ts';
import { importFilesForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';
import { smtpCapture } from './smtp-capture.ts';

async function run(args: string[], env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(args, { stdout, stderr });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}

async function setup() {
  const dir = tempDir();
  const db = join(dir, 'radar.db');
  const smtp = await smtpCapture();
  writeFileSync(
    join(dir, 'radar.config.yaml'),
    `timezone: America/New_York
secret: cli-test-secret-long-enough
baseUrl: https://radar.example.org
smtp: { url: "${smtp.url}", from: "Paper Radar <radar@lab.example>" }
jobs:
  - { name: digests, schedule: "0 7 * * *", task: { type: digests } }
profiles:
  ada: { digest: { limit: 3, email: { to: [ada@lab.example] } } }
`,
  );
  const store = new SqliteStore(db);
  const now = new Date('2025-03-05T12:00:00Z');
  await store.papers.upsertPapers(parseArxivRss(fixture('arxiv-rss/cs.LG-2025-03-04.xml'), { name: 'cs.LG', seenAt: now.toISOString() }).records, now.toISOString());
  await createProfile({ store, now, importFiles: importFilesForProfile }, 'ada', { paperIds: ['arxiv:2503.01001'] }, { cutoff: -100 });
  await store.close();
  return { dir, db, smtp };
}

describe('radar digest / jobs / fetch', () => {
  it('dry-runs a digest without sending, then sends it once, and shows the record', async () => {
    const { db, smtp } = await setup();
    const dry = await run(['digest', 'ada', '--dry-run', '--date', '2025-03-05', '--db', db]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.err).toContain('dry run: nothing is sent. Covers listing days 2025-03-04 (2025-03-05 is a digest day)');
    expect(dry.err).toContain('delivery: daily (from the configuration file)');
    expect(dry.err).toContain('to: ada@lab.example');
    expect(dry.err).toMatch(/subject: Paper Radar — ada: 3 papers, 2025-03-04/);
    expect(dry.err).toMatch(/^1\. /m);
    expect(smtp.messages).toHaveLength(0);
    const json = await run(['digest', 'ada', '--date', '2025-03-05', '--format', 'json', '--json', '--db', db]);
    const parsed = JSON.parse(json.out);
    expect(parsed.window).toEqual({ from: '2025-03-04', to: '2025-03-04' });
    expect(parsed.digest.items).toHaveLength(3);
    expect(parsed.digest.items.map((i: { id: string }) => i.id)).not.toContain('arxiv:2503.01001'); // the profile's own paper

    expect((await run(['digest', 'ada', '--send', '--date', '2025-03-05', '--db', db])).code).toBe(0);
    expect((await run(['digest', 'ada', '--send', '--date', '2025-03-05', '--db', db])).err).toMatch(/already-sent/);
    expect(smtp.messages).toHaveLength(1);
    const forced = await run(['digest', 'ada', '--send', '--force', '--date', '2025-03-05', '--db', db]);
    expect(forced.err).toMatch(/ada\/email 2025-03-04: sent \(3 papers\)/);
    expect(smtp.messages).toHaveLength(2);
    const status = await run(['digest', 'ada', '--status', '--db', db]);
    expect(status.err).toMatch(/2025-03-04\.\.2025-03-04 email {3}sent 3 papers/);
    const store = new SqliteStore(db);
    await store.digests.setUnsubscribed('ada', 'email', true, new Date().toISOString());
    await store.close();
    expect((await run(['digest', 'ada', '--status', '--db', db])).err).toContain('email: unsubscribed (undo with --subscribe)');
    expect((await run(['digest', 'ada', '--subscribe', '--db', db])).err).toContain('"ada" receives its digests again');
    expect((await run(['digest', 'ada', '--status', '--db', db])).err).not.toContain('unsubscribed');
    const urls = JSON.parse((await run(['digest', 'ada', '--feed-url', '--json', '--db', db])).out);
    expect(urls.rss).toMatch(/^https:\/\/radar\.example\.org\/api\/feeds\/ada\/[A-Za-z0-9_-]{24}\.rss$/);
  });

  it('explains an unknown profile and a bad configuration', async () => {
    const { dir, db } = await setup();
    const r = await run(['digest', 'bob', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no profile named "bob"');
    writeFileSync(join(dir, 'bad.yaml'), 'jobs:\n  - { name: x, schedule: "61 * * * *", task: { type: digests } }\n');
    const bad = await run(['worker', '--once', '--config', join(dir, 'bad.yaml'), '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid configuration \(.*bad\.yaml\):\n {2}- jobs\.0\.schedule: invalid cron expression "61 \* \* \* \*"/);
  });

  it('lists jobs with their errors, retries a failed one and queues a configured job by name', async () => {
    const { db } = await setup();
    const store = new SqliteStore(db);
    const t = '2025-03-05T12:00:00.000Z';
    await store.jobs.enqueueJob({ kind: 'fetch', key: 'hf@x', payload: {}, runAt: t, maxAttempts: 1 }, t);
    const j = (await store.jobs.claimJob({ worker: 'w', now: t, leaseMs: 1000 }))!;
    await store.jobs.finishJob(j.id, 'w', t, { ok: false, error: 'GET http://hf/api/daily_papers → 503 Service Unavailable after 5 attempts' });
    await store.close();
    const list = await run(['jobs', '--db', db]);
    expect(list.err).toMatch(/#1 failed {2}hf@x {2}attempt 1\/1/);
    expect(list.err).toContain('error: GET http://hf/api/daily_papers → 503 Service Unavailable after 5 attempts');
    expect(list.err).toMatch(/upcoming:\n {2}digests/);
    expect((await run(['jobs', 'retry', '1', '--db', db])).code).toBe(0);
    const queued = JSON.parse((await run(['jobs', '--state', 'queued', '--json', '--db', db])).out);
    expect(queued.jobs.map((x: { key: string }) => x.key)).toEqual(['hf@x']);
    const manual = await run(['jobs', 'run', 'digests', '--db', db]);
    expect(manual.err).toMatch(/queued job #2 digests@manual:/);
  });

  it('fetches from a source over loopback and rejects an unknown source', async () => {
    const { db } = await setup();
    const s = await replayServer();
    s.on('/api/daily_papers', { body: fixture('hf/daily_papers-2025-03-04.json') });
    const r = await run(['fetch', 'hf', '--date', '2025-03-04', '--json', '--db', db], { RADAR_HF_URL: s.url, RADAR_HTTP_MIN_INTERVAL_MS: '1' });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).counts).toMatchObject({ added: 2, updated: 1 });
    expect(r.err).toMatch(/hf: 1 request\(s\), 3 record\(s\)/);
    const bad = await run(['fetch', 'gopher', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown source "gopher"');
  });
});
