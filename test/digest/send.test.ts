import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.ts';
import { smtpMailer } from '../../src/digest/deliver.ts';
import type { RankedPaper } from '../../src/digest/model.ts';
import { renderFeed } from '../../src/digest/render-feed.ts';
import { composeDigest, DigestRunError, runDigests, type RankFn } from '../../src/digest/send.ts';
import { ProfileNotFoundError } from '../../src/profile/feed.ts';
import { resolveSecret, verifyLink } from '../../src/digest/tokens.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { replayServer } from '../ingest/http/replay-server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { smtpCapture, linksIn } from './smtp-capture.ts';
import { child, children, parseXml } from './xml-tree.ts';

const MONDAY_7AM_NY = new Date('2025-03-03T12:00:00Z');

const PAPERS: RankedPaper[] = [
  {
    id: 'arxiv:2510.05069',
    title: 'SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs',
    authors: ['Dachuan Shi', 'Abedelkadir Asi', 'Keying Li', 'Xiangchi Yuan', 'Leyan Pan'],
    authorCount: 7,
    date: '2025-02-28',
    links: { abs: 'https://arxiv.org/abs/2510.05069' },
    abstract: 'Latent reasoning in LLMs, switching between explicit and latent thinking.',
    score: 2.5,
    reasons: [{ text: 'Close to your paper “Superficial Self-Improved Reasoners Benefit from Model Merging”' }],
  },
  {
    id: 'title:abc',
    title: 'Attack <script>alert(1)</script> & friends',
    authors: [],
    authorCount: 3,
    date: '2025-03-01',
    links: {},
    abstract: 'A title with markup in it <b>bold</b>.',
    score: 1.2,
    reasons: [],
  },
];

async function setup(opts: { webhook?: boolean; papers?: RankedPaper[] | (() => RankedPaper[]); extraProfiles?: Record<string, unknown> } = {}) {
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'radar.db'));
  const smtp = await smtpCapture();
  const hook = await replayServer();
  hook.on('/hook', { body: 'ok' });
  const config = validateConfig(
    {
      baseUrl: 'http://radar.test:8080',
      secret: 'a-test-secret-of-sufficient-length',
      smtp: { url: smtp.url, from: 'Paper Radar <radar@lab.example>' },
      profiles: {
        ...opts.extraProfiles,
        ada: { digest: { limit: 10, email: { to: ['ada@lab.example'] }, ...(opts.webhook ? { webhook: { url: `${hook.url}/hook` } } : {}) } },
      },
    },
    'test',
    {},
  );
  const ranks: { profile: string; from: string; to: string }[] = [];
  const rank: RankFn = async (profile, window) => {
    ranks.push({ profile, ...window });
    // As the real feed does for a profile the database does not have.
    if (profile === 'ghost') throw new ProfileNotFoundError(profile);
    return typeof opts.papers === 'function' ? opts.papers() : (opts.papers ?? PAPERS);
  };
  const mailer = smtpMailer(smtp.url);
  const deps = { store, config, rank, mailer, by: 'test-worker' };
  return { store, smtp, hook, config, deps, ranks, close: async () => (mailer.close(), await store.close()) };
}

describe('digest delivery', () => {
  it("sends Monday's e-mail covering Friday to Sunday, with both parts, dates, reasons and signed links", async () => {
    const t = await setup({ webhook: true });
    try {
      const out = await runDigests(t.deps, { at: MONDAY_7AM_NY });
      expect(out.map((o) => [o.channel, o.status, o.items])).toEqual([
        ['email', 'sent', 2],
        ['webhook', 'sent', 2],
      ]);
      expect(t.ranks).toEqual([{ profile: 'ada', from: '2025-02-28', to: '2025-03-02' }]); // ranked once for both channels
      expect(t.smtp.messages).toHaveLength(1);
      const m = t.smtp.messages[0];
      expect(m.envelope.to).toEqual(['ada@lab.example']);
      expect(m.parsed.subject).toBe('Paper Radar — ada: 2 papers, 2025-02-28 – 2025-03-02');
      expect(m.parsed.text).toContain('1. SwiReasoning');
      expect(m.parsed.text).toContain('Date: 2025-02-28');
      expect(m.parsed.text).toContain('Why: Close to your paper');
      const html = String(m.parsed.html);
      expect(html).toContain('Attack &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends');
      expect(html).not.toContain('<script>');
      const header = (name: string) => m.parsed.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(m.parsed.messageId).toMatch(/^<digest\.[0-9a-f]+@lab\.example>$/);
      const secret = await resolveSecret(t.config.secret, t.store.jobs, new Date());
      const actions = linksIn(html).filter((l) => l.startsWith('http://radar.test:8080/api/actions/'));
      const claims = actions.map((l) => verifyLink(secret, l.split('/').pop()!, MONDAY_7AM_NY));
      expect(claims.map((c) => (c.ok ? [c.claims.a, c.claims.id ?? c.claims.c] : c.reason))).toEqual([
        ['like', 'arxiv:2510.05069'],
        ['dismiss', 'arxiv:2510.05069'],
        ['like', 'title:abc'],
        ['dismiss', 'title:abc'],
        ['unsubscribe', 'email'],
      ]);
      const listUnsub = String(header('list-unsubscribe'));
      expect(listUnsub).toContain(actions[4]);
      const posted = JSON.parse(t.hook.requestsTo('/hook')[0].body);
      expect(posted.text).toContain('1. SwiReasoning');
      expect(posted.blocks[0]).toMatchObject({ type: 'header' });
      expect(posted.blocks[1].text.text).toContain('<https://arxiv.org/abs/2510.05069|SwiReasoning');
      expect(posted.blocks[3].text.text).toContain('Attack &lt;script&gt;');
      expect(posted.digest.items).toHaveLength(2);
      const [rec] = await t.store.digests.listDigests({ profile: 'ada' });
      expect(rec.state).toBe('sent');
    } finally {
      await t.close();
    }
  });

  it('never sends the same digest twice, and skips days without a digest and unsubscribed channels', async () => {
    const t = await setup();
    try {
      await runDigests(t.deps, { at: MONDAY_7AM_NY });
      const again = await runDigests({ ...t.deps, by: 'another-process' }, { at: new Date('2025-03-03T18:00:00Z') });
      expect(again[0].status).toBe('already-sent');
      expect((await runDigests(t.deps, { at: new Date('2025-03-08T12:00:00Z') }))[0].status).toBe('skipped'); // Saturday
      await t.store.digests.setUnsubscribed('ada', 'email', true, new Date().toISOString());
      expect((await runDigests(t.deps, { at: new Date('2025-03-04T12:00:00Z') }))[0]).toMatchObject({ status: 'skipped', detail: 'unsubscribed' });
      expect(t.smtp.messages).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('retries a digest the SMTP server refused, and sends it once', async () => {
    const t = await setup();
    try {
      t.smtp.failNext(1);
      await expect(runDigests(t.deps, { at: MONDAY_7AM_NY })).rejects.toThrow(/will retry: ada\/email: SMTP: .*451/);
      expect((await t.store.digests.listDigests({}))[0].state).toBe('failed');
      const out = await runDigests(t.deps, { at: MONDAY_7AM_NY });
      expect(out[0].status).toBe('sent');
      expect(t.smtp.messages).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('does not re-send when a previous sender died mid-delivery; reports it instead', async () => {
    const t = await setup();
    try {
      const stale = new Date(Date.now() - 10 * 60_000).toISOString();
      await t.store.digests.reserveDigest({ profile: 'ada', channel: 'email', windowFrom: '2025-02-28', windowTo: '2025-03-02', by: 'crashed-worker' }, stale);
      const out = await runDigests(t.deps, { at: MONDAY_7AM_NY });
      expect(out[0].status).toBe('unknown');
      expect(out[0].detail).toMatch(/crashed-worker reserved it/);
      expect(t.smtp.messages).toHaveLength(0);
      expect((await t.store.digests.listDigests({}))[0].state).toBe('unknown');
    } finally {
      await t.close();
    }
  });

  it('sends nothing for an empty window and leaves its days to the next digest', async () => {
    let papers: RankedPaper[] = [];
    const t = await setup({ papers: () => papers });
    try {
      // Tuesday: Monday's fetch failed, nothing to send.
      const out = await runDigests(t.deps, { at: new Date('2025-03-04T12:00:00Z') });
      expect(out[0]).toMatchObject({ status: 'empty', items: 0, window: { from: '2025-03-03', to: '2025-03-03' } });
      expect(t.smtp.messages).toHaveLength(0);
      expect(await t.store.digests.listDigests({})).toEqual([]); // the days are not taken
      // Wednesday: the papers arrived late; Wednesday's digest covers Monday too.
      papers = PAPERS;
      const wed = await runDigests(t.deps, { at: new Date('2025-03-05T12:00:00Z') });
      expect(wed[0]).toMatchObject({ status: 'sent', window: { from: '2025-03-03', to: '2025-03-04' } });
      expect(t.smtp.messages[0].parsed.subject).toBe('Paper Radar — ada: 2 papers, 2025-03-03 – 2025-03-04');
    } finally {
      await t.close();
    }
  });

  it('after missed digests, covers every day since the last one that went out, and a late retry sends nothing twice', async () => {
    const t = await setup();
    try {
      await runDigests(t.deps, { at: new Date('2025-02-27T12:00:00Z') }); // Thursday: covers Wednesday
      // The machine was off Friday to Tuesday: the scheduler folds the missed slots into Wednesday's run.
      const wed = await runDigests(t.deps, { at: new Date('2025-03-05T12:00:00Z') });
      expect(wed[0]).toMatchObject({ status: 'sent', window: { from: '2025-02-27', to: '2025-03-04' } });
      expect(t.ranks.map((r) => `${r.from}..${r.to}`)).toEqual(['2025-02-26..2025-02-26', '2025-02-27..2025-03-04']);
      expect(t.smtp.messages.map((m) => m.parsed.subject)).toEqual([
        'Paper Radar — ada: 2 papers, 2025-02-26',
        'Paper Radar — ada: 2 papers, 2025-02-27 – 2025-03-04',
      ]);
      // Monday's job, retried after Wednesday's went out: its days are in Wednesday's digest.
      const mon = await runDigests({ ...t.deps, by: 'late-retry' }, { at: MONDAY_7AM_NY });
      expect(mon[0]).toMatchObject({ status: 'already-sent' });
      expect(mon[0].detail).toContain('in the digest for 2025-02-27 – 2025-03-04');
      expect(t.ranks).toHaveLength(2);
      expect(t.smtp.messages).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it("sends the other profiles' digests when one profile fails, and says which failed", async () => {
    const t = await setup({ extraProfiles: { ghost: { digest: { email: { to: ['ghost@lab.example'] } } } } });
    try {
      expect(new ProfileNotFoundError('ghost').name).toBe('ProfileNotFoundError');
      const err = await runDigests(t.deps, { at: MONDAY_7AM_NY }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DigestRunError);
      const run = err as DigestRunError;
      expect(run.retryable).toBe(false);
      expect(run.outcomes.map((o) => [o.profile, o.status, o.permanent ?? false])).toEqual([
        ['ghost', 'failed', true],
        ['ada', 'sent', false],
      ]);
      expect(run.message).toMatch(/ghost\/email: no profile named "ghost".*the others: ada\/email sent/);
      expect(t.smtp.messages.map((m) => m.envelope.to[0])).toEqual(['ada@lab.example']);
    } finally {
      await t.close();
    }
  });
});

describe('webhook payload', () => {
  it('keeps Slack links whole whatever the title holds', async () => {
    const t = await setup({ webhook: true, papers: [{ ...PAPERS[0], title: 'Pipes | and <angles> & ampersands' }] });
    try {
      await runDigests(t.deps, { at: MONDAY_7AM_NY });
      const posted = JSON.parse(t.hook.requestsTo('/hook')[0].body);
      const link = /^\*<([^>]*)>\*/.exec(posted.blocks[1].text.text)![1];
      // Exactly one `|`, between the URL and the text; the text shows as written once Slack decodes it.
      expect(link.split('|')).toEqual(['https://arxiv.org/abs/2510.05069', 'Pipes \u2223 and &lt;angles&gt; &amp; ampersands']);
      expect(posted.digest.items[0].title).toBe('Pipes | and <angles> & ampersands');
    } finally {
      await t.close();
    }
  });
});

describe('feeds', () => {
  it('renders RSS 2.0 and Atom that parse as XML with the expected structure', async () => {
    const t = await setup();
    try {
      const d = await composeDigest(t.deps, 'ada', { from: '2025-02-24', to: '2025-03-02' }, MONDAY_7AM_NY, 'rss');
      const rss = parseXml(renderFeed(d, 'rss'));
      expect(rss.name).toBe('rss');
      expect(rss.attrs.version).toBe('2.0');
      const channel = child(rss, 'channel')!;
      expect(child(channel, 'title')?.text).toBe('Paper Radar — ada');
      const items = children(channel, 'item');
      expect(items).toHaveLength(2);
      expect(child(items[0], 'guid')?.text).toBe('arxiv:2510.05069');
      expect(child(items[0], 'link')?.text).toBe('https://arxiv.org/abs/2510.05069');
      expect(child(items[0], 'pubDate')?.text).toBe('Fri, 28 Feb 2025 00:00:00 GMT');
      expect(child(items[1], 'title')?.text).toBe('Attack <script>alert(1)</script> & friends');
      const atom = parseXml(renderFeed(d, 'atom'));
      expect(atom.name).toBe('feed');
      expect(atom.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
      const entries = children(atom, 'entry');
      expect(entries.map((e) => child(e, 'id')?.text)).toEqual(['arxiv:2510.05069', 'title:abc']);
      expect(child(atom, 'updated')?.text).toBe(MONDAY_7AM_NY.toISOString());
      expect(children(atom, 'link').some((l) => l.attrs.rel === 'self' && l.attrs.href.endsWith('.atom'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});
