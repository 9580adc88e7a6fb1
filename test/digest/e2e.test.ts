/**
 * Staying current, end to end: the real server (`buildServer`, as `radar
 * serve` runs it) with its scheduler and worker, a loopback "arXiv" and
 * "Hugging Face" replaying recorded responses, and a real SMTP server on
 * loopback, and a loopback webhook receiver (Slack-compatible posts). The test
 * moves an injected clock through two mornings and checks what a researcher
 * would see: new papers stored, the digest e-mail and the webhook post with the
 * right top papers for the seed profile, one-click links that only ask on GET
 * (mail scanners prefetch links) and act when the page's button is pressed
 * (and refused tampered/expired/cross-site ones), unsubscribe, and a valid RSS
 * feed.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { feedToken, resolveSecret, signLink } from '../../src/digest/tokens.ts';
import { importFilesForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { buildServer } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { describeShared, SEEDS, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { fixture, replayServer } from '../ingest/http/replay-server.ts';
import { linksIn, smtpCapture } from './smtp-capture.ts';
import { child, children, parseXml } from './xml-tree.ts';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Presses the confirmation page's button as a browser does: a same-origin form post to the form's action. */
async function submitForm(base: string, html: string): Promise<Response> {
  const form = /<form method="post" action="([^"]+)"/.exec(html);
  if (!form) throw new Error(`no form in the page:\n${html.slice(0, 500)}`);
  return fetch(new URL(form[1].replace(/&amp;/g, '&'), base), {
    method: 'POST',
    headers: { origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: '',
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const RELEVANT = ['arxiv:2503.01001', 'arxiv:2503.01002', 'arxiv:2503.01003', 'arxiv:2503.02010'];
const UNRELATED = ['arxiv:2503.01004', 'arxiv:2503.01005', 'arxiv:2503.01006', 'arxiv:2503.01007', 'arxiv:2503.02011'];

const ARXIV_DAILY = sharedPath('data', 'arxiv-daily', 'papers.jsonl.gz');

/** A background corpus, as any real database has: the first 1,500 real papers of arxiv-daily (announced from 2025-03-18, outside the digest window). */
function backgroundSample(dir: string): string {
  const lines = gunzipSync(readFileSync(ARXIV_DAILY)).toString('utf8').split('\n').slice(0, 1500);
  const path = join(dir, 'background.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describeShared('staying current end to end', [SEEDS.publicationList, ARXIV_DAILY], () => {
  it('fetches on schedule, mails the seed profile its digest, and its links and feed work', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'radar.db'));
    const upstream = await replayServer();
    upstream.on('/rss/cs.LG', { body: fixture('arxiv-rss/cs.LG-2025-03-04.xml'), headers: { 'content-type': 'application/rss+xml' } });
    upstream.on('/api/daily_papers', (r) => ({
      body: fixture(r.query.get('date') === '2025-03-04' ? 'hf/daily_papers-2025-03-04.json' : 'hf/daily_papers-empty.json'),
      headers: { 'content-type': 'application/json' },
    }));
    const smtp = await smtpCapture();
    const slack = await replayServer();
    slack.on('/hooks/digest', { body: 'ok' });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let t = Date.parse('2025-03-05T10:00:00Z'); // Wednesday 05:00 in New York
    const now = () => new Date(t);

    const bg = await importFilesForProfile(store, [{ path: backgroundSample(dir) }], now());
    expect(bg.pks.length).toBe(1500);
    // The seed profile: the researcher's own three papers (neural collapse, model merging, SwiReasoning).
    const seeded = await createProfile({ store, now: now(), importFiles: importFilesForProfile }, 'ada', { files: [SEEDS.publicationList] });
    expect(seeded.total).toBe(3);

    const config = validateConfig(
      {
        baseUrl: base,
        timezone: 'America/New_York',
        secret: 'e2e-secret-of-sufficient-length',
        http: { contact: 'test@example.org', minIntervalMs: 1, timeoutMs: 5000, maxRetries: 1, baseBackoffMs: 1, maxBackoffMs: 2 },
        sources: { arxivRss: `${upstream.url}/rss`, huggingFace: upstream.url, arxivApi: `${upstream.url}/api/query` },
        smtp: { url: smtp.url, from: 'Paper Radar <radar@lab.example>' },
        worker: { pollMs: 20, tickMs: 10, leaseMs: 10_000, retryBaseMs: 10 },
        jobs: [
          { name: 'arxiv-new', schedule: '0 6 * * 1-5', task: { type: 'fetch', source: 'arxiv-new', categories: ['cs.LG'] } },
          { name: 'hf-daily', schedule: '0 6 * * *', task: { type: 'fetch', source: 'hf', days: 2 } },
          { name: 'digests', schedule: '0 7 * * *', task: { type: 'digests' } },
        ],
        profiles: { ada: { digest: { frequency: 'daily', limit: 5, email: { to: ['ada@lab.example'] }, webhook: { url: `${slack.url}/hooks/digest` } } } },
      },
      'e2e',
      {},
    );
    const logs: string[] = [];
    const server = await buildServer({ store, config, now, log: (l) => logs.push(l) });
    await server.app.listen({ port, host: '127.0.0.1' });
    try {
      expect(server.jobs).toBeDefined();
      await until('the scheduler to start', () => store.jobs.getState('schedule:digests'));

      // Wednesday 06:30: the fetch jobs fall due.
      t = Date.parse('2025-03-05T11:30:00Z');
      server.jobs!.poke();
      const jobsDone = async (prefix: string, n: number) =>
        (await store.jobs.listJobs({ states: ['done'], limit: 50 })).filter((j) => j.key.startsWith(prefix)).length >= n;
      await until('the fetch jobs', async () => (await jobsDone('arxiv-new@', 1)) && (await jobsDone('hf-daily@', 1)));
      expect(upstream.requestsTo('/rss/cs.LG')[0].headers['user-agent']).toContain('mailto:test@example.org');
      expect(await store.papers.getPaper('arxiv:2503.01001')).toMatchObject({ listingDate: '2025-03-04' });
      expect((await store.papers.getPaper('arxiv:2503.02011'))?.signals.upvotes).toBe(88);
      expect((await store.papers.getPaper('arxiv:2503.01002'))?.signals.upvotes).toBe(42); // the same paper from both sources, merged
      expect(smtp.messages).toHaveLength(0);

      // Wednesday 07:30: the digest falls due and covers Tuesday's listing.
      t = Date.parse('2025-03-05T12:30:00Z');
      server.jobs!.poke();
      await until('the digest job', () => jobsDone('digests@', 1));
      expect(smtp.messages).toHaveLength(1);
      const mail = smtp.messages[0];
      expect(mail.envelope.to).toEqual(['ada@lab.example']);
      expect(mail.parsed.subject).toMatch(/^Paper Radar — ada: \d papers?, 2025-03-04$/);
      const text = mail.parsed.text ?? '';
      const html = String(mail.parsed.html);
      const order = [...text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
      const ids = [...text.matchAll(/Date: \S+ · https:\/\/arxiv\.org\/abs\/(\S+)/g)].map((m) => `arxiv:${m[1]}`);
      expect(order.length).toBe(ids.length);
      // Reading the profile: the three papers that continue its three lines of work must lead.
      expect(ids.slice(0, 3).every((id) => RELEVANT.includes(id))).toBe(true);
      for (const id of ['arxiv:2503.01001', 'arxiv:2503.01002', 'arxiv:2503.01003']) expect(ids.slice(0, 4)).toContain(id);
      for (const id of UNRELATED) expect(ids.slice(0, 3)).not.toContain(id);
      expect(text).toContain('Date: 2025-03-04');
      expect(text).toMatch(/Why: .*(Towards Understanding Neural Collapse|Superficial Self-Improved Reasoners|SwiReasoning)/);

      // The same digest as one Slack-compatible JSON post: the same papers in the same order, with their links.
      const posts = slack.requestsTo('/hooks/digest');
      expect(posts).toHaveLength(1);
      expect(posts[0].method).toBe('POST');
      expect(posts[0].headers['content-type']).toBe('application/json');
      const posted = JSON.parse(posts[0].body);
      expect(posted.text.split('\n')[0]).toBe(mail.parsed.subject);
      expect(posted.digest.items.map((i: { id: string }) => i.id)).toEqual(ids);
      expect(posted.digest.window).toEqual({ from: '2025-03-04', to: '2025-03-04' });
      expect(posted.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: mail.parsed.subject } });
      const sections = posted.blocks.filter((b: { type: string }) => b.type === 'section');
      expect(sections).toHaveLength(ids.length);
      expect(sections[0].text.text).toContain(`<https://arxiv.org/abs/${ids[0].slice('arxiv:'.length)}|`);
      // The last link of the post is its own unsubscribe link (it names the webhook channel).
      const hookLinks = [...posts[0].body.matchAll(/<(http[^|>]+)\|/g)].map((m) => m[1]);
      const hookUnsubscribe = hookLinks[hookLinks.length - 1];
      expect(hookUnsubscribe.startsWith(`${base}/api/actions/`)).toBe(true);

      // One-click links, followed over HTTP as a mail client would.
      const links = linksIn(html).filter((l) => l.startsWith(`${base}/api/actions/`));
      const likeFirst = links[0];
      const dismissSecond = links[3];
      const unsubscribe = links[links.length - 1];
      const profile = (await store.profiles.getProfile('ada'))!;
      const first = (await store.papers.getPaper(ids[0]))!;
      const second = (await store.papers.getPaper(ids[1]))!;
      const tampered = `${likeFirst.slice(0, likeFirst.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
      expect((await fetch(tampered)).status).toBe(403);
      // Opening a link (as a mail scanner's prefetch does) only asks, in the app's page shell; nothing is recorded.
      const askLike = await fetch(likeFirst);
      expect(askLike.status).toBe(200);
      const askLikePage = await askLike.text();
      expect(askLikePage).toContain('Like this paper?');
      expect(askLikePage).toContain(first.title);
      expect(askLikePage).toContain('class="site-header"');
      expect(askLikePage).toMatch(/<link rel="stylesheet" href="\/assets\/app\.css\?v=/);
      const askDismiss = await fetch(dismissSecond);
      expect(askDismiss.status).toBe(200);
      const askDismissPage = await askDismiss.text();
      expect(await store.profiles.feedback(profile.profileId)).toEqual([]);
      // Another site cannot press the button for the reader.
      const forged = await fetch(likeFirst, { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      expect(forged.status).toBe(403);
      expect(await store.profiles.feedback(profile.profileId)).toEqual([]);
      // Pressing the button acts.
      const liked = await submitForm(base, askLikePage);
      expect(liked.status).toBe(200);
      expect(liked.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await liked.text()).toContain(`Liked “${first.title}”`);
      expect((await submitForm(base, askDismissPage)).status).toBe(200);
      const fb = await store.profiles.feedback(profile.profileId);
      expect(fb.map((f) => [f.pk, f.action]).sort()).toEqual([[first.pk, 'like'], [second.pk, 'dismiss']].sort());
      // A link from a mail sent 31 days ago has expired (feedback links last 30 days).
      const secret = await resolveSecret(config.secret, store.jobs, now());
      const old = signLink(secret, { p: 'ada', a: 'like', id: ids[2] }, new Date(t - 31 * 86_400_000));
      expect((await fetch(`${base}/api/actions/${old}`)).status).toBe(410);
      expect((await fetch(`${base}/api/actions/${old}`, { method: 'POST', headers: { origin: base } })).status).toBe(410);
      expect((await store.profiles.feedback(profile.profileId)).length).toBe(2);

      // The feed for readers: valid RSS, the dismissed paper gone, a wrong token refused.
      const feedUrl = `${base}/api/feeds/ada/${feedToken(secret, 'ada')}.rss`;
      const feedRes = await fetch(feedUrl);
      expect(feedRes.status).toBe(200);
      expect(feedRes.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
      const rss = parseXml(await feedRes.text());
      expect(rss.attrs.version).toBe('2.0');
      const items = children(child(rss, 'channel')!, 'item');
      const guids = items.map((i) => child(i, 'guid')?.text);
      expect(guids.length).toBeGreaterThan(0);
      expect(guids).not.toContain(second.id);
      expect(items.every((i) => child(i, 'title')?.text && child(i, 'link')?.text && child(i, 'pubDate')?.text)).toBe(true);
      expect((await fetch(`${base}/api/feeds/ada/${'x'.repeat(24)}.rss`)).status).toBe(404);
      const atom = await fetch(feedUrl.replace(/\.rss$/, '.atom'));
      expect(parseXml(await atom.text()).name).toBe('feed');

      // Unsubscribe (the List-Unsubscribe one-click POST), and Thursday's digest does not go out.
      expect(String(mail.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line)).toContain(unsubscribe);
      const unsub = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(unsub.status).toBe(200);
      expect(await unsub.json()).toMatchObject({ ok: true, action: 'unsubscribe', profile: 'ada' });
      expect(await store.digests.isUnsubscribed('ada', 'email')).toBe(true);
      // The webhook's own unsubscribe link: open it, press the button.
      const askUnsub = await fetch(hookUnsubscribe);
      const askUnsubPage = await askUnsub.text();
      expect(askUnsubPage).toContain('Stop webhook digests?');
      expect(await store.digests.isUnsubscribed('ada', 'webhook')).toBe(false);
      const hookUnsub = await submitForm(base, askUnsubPage);
      expect(await hookUnsub.text()).toContain('will get no more webhook digests');
      expect(await store.digests.isUnsubscribed('ada', 'webhook')).toBe(true);
      t = Date.parse('2025-03-06T12:30:00Z');
      server.jobs!.poke();
      await until('Thursday’s digest job', () => jobsDone('digests@', 2));
      const thursday = (await store.jobs.listJobs({ kind: 'digests', limit: 1 }))[0];
      expect(thursday.result).toMatchObject({
        outcomes: [
          { channel: 'email', status: 'skipped', detail: 'unsubscribed' },
          { channel: 'webhook', status: 'skipped', detail: 'unsubscribed' },
        ],
      });
      expect(smtp.messages).toHaveLength(1);
      expect(slack.requestsTo('/hooks/digest')).toHaveLength(1);
      expect((await store.jobs.jobCounts()).failed).toBe(0);
    } finally {
      await server.close();
      await store.close();
    }
  }, 180_000);
});
