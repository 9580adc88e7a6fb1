/**
 * Following sources from the database (`radar sources`), as a user runs it:
 * subscribe, the back-fill runs as a job against a loopback server replaying
 * recorded arXiv answers, the source's state says what happened; an
 * unreachable source is a state in words, not a crash.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { defaultSchedules, describeFetchFailure } from '../../src/jobs/sources.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function radar(args: string[], env: Record<string, string> = {}) {
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

describe('radar sources', () => {
  it('follows a category, back-fills it as a job with progress, and reports each source state', async () => {
    const dir = tempDir();
    const db = join(dir, 'radar.db');
    const s = await replayServer();
    s.on('/api/query', (r) => ({ body: fixture(r.query.get('start') === '0' ? 'arxiv-api/cat-page1.xml' : 'arxiv-api/cat-page2.xml') }));
    const closed = await closedPort();
    writeFileSync(join(dir, 'radar.config.yaml'), `http: { maxRetries: 0, minIntervalMs: 1 }\nsources: { arxivApi: "${s.url}/api/query", huggingFace: "http://127.0.0.1:${closed}" }\n`);

    const added = await radar(['sources', 'add', 'cs.LG', '--days', '2', '--db', db]);
    expect(added.code, added.err).toBe(0);
    expect(added.err).toMatch(/arxiv:cs\.LG: followed; back-fill of the last 2 day\(s\) queued as job #1/);
    expect((await radar(['sources', 'add', 'cs.LG', '--db', db])).err).toContain('already followed');
    const bad = await radar(['sources', 'add', 'not a category', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"not a category" is neither an arXiv category');

    const before = JSON.parse((await radar(['sources', 'list', '--json', '--db', db])).out);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ name: 'arxiv:cs.LG', status: 'waiting', schedule: '30 20 * * 0-4 (America/New_York)', backfill: { days: 2, state: 'queued' } });
    expect(Date.parse(before[0].nextRunAt)).toBeGreaterThan(Date.now());

    const ran = await radar(['worker', '--once', '--db', db]);
    expect(ran.code, ran.err).toBe(0);
    const search = s.requestsTo('/api/query')[0].query.get('search_query');
    expect(search).toMatch(/^cat:cs\.LG AND submittedDate:\[\d{12} TO \d{12}\]$/);
    const after = JSON.parse((await radar(['sources', 'list', '--json', '--db', db])).out);
    expect(after[0]).toMatchObject({ status: 'ok', lastAdded: 5, backfill: { state: 'done' } });
    expect(after[0].backfill.progress).toMatch(/5 record/);
    expect(JSON.parse((await radar(['stats', '--json', '--db', db])).out).papers).toBe(5);

    // Hugging Face is "offline" (nothing listens on its port): a state in words, and the worker carries on.
    await radar(['sources', 'add', 'hf', '--days', '1', '--db', db]);
    const offline = await radar(['worker', '--once', '--db', db]);
    expect(offline.code, offline.err).toBe(0);
    const states = JSON.parse((await radar(['sources', 'list', '--json', '--db', db])).out);
    const hf = states.find((x: { name: string }) => x.name === 'hf');
    expect(hf).toMatchObject({ status: 'failing', label: 'Hugging Face Daily Papers' });
    expect(hf.lastError).toBe(`the source (127.0.0.1:${closed}) refused the connection; the next run tries again`);
    const text = await radar(['sources', '--db', db]);
    expect(text.err).toContain('last fetched');
    expect(text.err).toContain('refused the connection');

    expect((await radar(['sources', 'remove', 'hf', '--db', db])).err).toContain('hf: no longer followed (its papers stay)');
    expect((await radar(['sources', 'remove', 'hf', '--db', db])).code).toBe(1);
  });
});

describe('source schedules', () => {
  it('fetch arXiv after its 20:00 Eastern announcement, HF late in the UTC day, and yield to a configured job of the same name', () => {
    const cfg = defaultConfig();
    const src = (kind: 'arxiv' | 'hf', category: string) => ({ id: 1, kind, category, backfillDays: 7, addedAt: '' });
    const scheds = defaultSchedules([src('arxiv', 'cs.LG'), src('arxiv', 'math.OC'), src('hf', '')], cfg);
    expect(scheds.map((x) => [x.name, x.schedule, x.timezone])).toEqual([
      ['sources-arxiv', '30 20 * * 0-4', 'America/New_York'],
      ['sources-hf', '30 23 * * *', 'UTC'],
      ['digests', '0 7 * * *', undefined],
    ]);
    expect(scheds[0].task).toMatchObject({ type: 'fetch', categories: ['cs.LG', 'math.OC'] });
    const overridden = defaultSchedules([src('arxiv', 'cs.LG')], {
      ...cfg,
      sources: { ...cfg.sources, arxivSchedule: '0 3 * * *' },
      jobs: [{ name: 'digests', schedule: '0 6 * * *', task: { type: 'digests' }, maxAttempts: 5 }],
    });
    expect(overridden.map((x) => [x.name, x.schedule, x.timezone])).toEqual([['sources-arxiv', '0 3 * * *', undefined]]);
  });

  it('says what went wrong in words', () => {
    expect(describeFetchFailure(new Error('GET https://export.arxiv.org/api/query?x failed: fetch failed (ENOTFOUND)'))).toBe(
      'offline: the source (export.arxiv.org) could not be reached; the next run tries again',
    );
    expect(describeFetchFailure(new Error('GET https://huggingface.co/api/daily_papers → 503 Service Unavailable after 5 attempts'))).toMatch(/asked us to slow down/);
    expect(describeFetchFailure(new Error('GET https://huggingface.co/api/x → 404 Not Found'))).toBe('the source (huggingface.co) answered 404 Not Found');
  });
});
