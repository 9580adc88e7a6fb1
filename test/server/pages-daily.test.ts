import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { testServer } from './helpers.ts';
import { multipart } from './multipart.ts';

type App = Awaited<ReturnType<typeof testServer>>['app'];

const ids = (html: string) => [...html.matchAll(/<li class="card" data-id="([^"]+)"/g)].map((m) => m[1]);
const links = (html: string) => [...html.matchAll(/<a class="btn" href="([^"]+)"[^>]*>([^<]*)/g)].map((m) => ({ href: m[1].replace(/&amp;/g, '&'), text: m[2] }));

/** `n` reasoning papers announced on one day, so a period has more than one page. */
function many(n: number, day: string, category = 'cs.CL'): PaperRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    arxivId: `2510.${String(500 + i).padStart(5, '0')}`,
    title: `Reasoning Study Number ${i + 1}`,
    abstract: `Self-improving reasoning and model merging, variant ${i + 1}: we analyse why merging helps reasoners.`,
    authors: [`Author ${i + 1}`],
    categories: [category],
    announced: day,
    source: { kind: 'manual', locator: `many:${i}`, seenAt: '2025-10-10T00:00:00Z' },
  }));
}

async function profile(app: App) {
  const r = await app.inject({ method: 'POST', url: '/profiles', ...multipart({ name: 'Ada', arxivIds: '2510.00004' }) });
  expect(r.statusCode).toBe(303);
  // Few papers: keep everything the model ranks in the feed.
  await app.inject({ method: 'POST', url: '/profiles/Ada/rules', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'cutoff=-100' });
}

describe('daily listing: "for me", paging and empty states', () => {
  it('ranks only the category shown when "for me" has a category filter', async () => {
    const { app } = await testServer();
    await profile(app);
    const all = await app.inject({ url: '/?day=2025-10-09&sort=forme&profile=Ada' });
    expect(all.statusCode).toBe(200);
    expect(ids(all.body).sort()).toEqual(['arxiv:2510.00001', 'arxiv:2510.00002', 'arxiv:2510.00006']);
    const cl = await app.inject({ url: '/?day=2025-10-09&sort=forme&profile=Ada&category=cs.CL' });
    expect(ids(cl.body)).toEqual(['arxiv:2510.00002']);
    expect(cl.body).toContain('1 paper in cs.CL');
    expect(cl.body).toContain('Showing 1–1 of 1 ranked for Ada');
    const none = await app.inject({ url: '/?day=2025-10-09&sort=forme&profile=Ada&category=cs.CR' });
    expect(ids(none.body)).toEqual([]);
    expect(none.body).toContain('No papers in cs.CR in this period');
  });

  it('pages through a "for me" ranking without overlap, as the listing does', async () => {
    const { app, store } = await testServer();
    const cr = many(3, '2025-10-07', 'cs.CR').map((p, i) => ({ ...p, arxivId: `2510.${String(900 + i).padStart(5, '0')}`, title: `Secure Reasoning ${i}`, abstract: `Attacks on merged reasoners, case ${i}.` }));
    await store.papers.upsertPapers([...many(35, '2025-10-07'), ...cr], '2025-10-10T00:00:00Z');
    await profile(app);
    const first = await app.inject({ url: '/?day=2025-10-07&sort=forme&profile=Ada&category=cs.CL' });
    const one = ids(first.body);
    expect(one).toHaveLength(30);
    expect(first.body).toContain('Showing 1–30 of 35 ranked for Ada');
    const next = links(first.body).find((l) => l.text.startsWith('Next'));
    expect(next).toEqual({ href: '/?sort=forme&category=cs.CL&profile=Ada&day=2025-10-07&offset=30', text: 'Next 5 →' });
    const second = await app.inject({ url: next!.href });
    const two = ids(second.body);
    expect(two).toHaveLength(5);
    expect(new Set([...one, ...two]).size).toBe(35);
    expect(links(second.body).some((l) => l.text.startsWith('← Previous'))).toBe(true);
    // Without the filter the same day has all 38, on two pages.
    const all = await app.inject({ url: '/?day=2025-10-07&sort=forme&profile=Ada' });
    expect(all.body).toContain('Showing 1–30 of 38 ranked for Ada');
    const secure = await app.inject({ url: '/?day=2025-10-07&sort=forme&profile=Ada&category=cs.CR' });
    expect(ids(secure.body).sort()).toEqual(['arxiv:2510.00900', 'arxiv:2510.00901', 'arxiv:2510.00902']);
    expect(links(secure.body).filter((l) => /^(Next|← Previous)/.test(l.text))).toEqual([]);
  });

  it('says what there is when no paper has a date (a BibTeX library only)', async () => {
    const { app, store } = await testServer({ seed: false });
    const bib = (n: number): PaperRecord => ({
      doi: `10.1000/undated.${n}`,
      title: `Library Paper <${n}>`,
      authors: ['Donald Knuth'],
      year: 2020 + n,
      source: { kind: 'manual', locator: `bib:${n}`, seenAt: '2025-10-10T00:00:00Z' },
    });
    await store.papers.upsertPapers([bib(1), bib(2), bib(3)], '2025-10-10T00:00:00Z');
    for (const url of ['/', '/?day=2025-10-08', '/?view=week']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('No dated papers to list by day');
      expect(r.body).toContain('The database has 3 papers, none with an announcement date');
      expect(r.body).toContain('href="/search"');
      expect(r.body).toContain('href="/import"');
      expect(r.body).not.toContain('No papers in this period');
      expect(r.body).not.toContain('No papers yet');
      // A few of them, as cards, escaped.
      expect(r.body).toContain('Library Paper &lt;1>');
      expect(ids(r.body)).toHaveLength(3);
    }
  });

  it('reads day chips as "date, count papers", hides unknown upvotes, and shows a bare author count as a count', async () => {
    const { app } = await testServer();
    const week = await app.inject({ url: '/?day=2025-10-09&view=week' });
    const chip = /<nav class="day-strip"[\s\S]*?<\/nav>/.exec(week.body)?.[0] ?? '';
    expect(chip).toContain('9 Oct<span class="visually-hidden">, </span><span class="n">3</span><span class="visually-hidden"> papers</span>');
    // The hostile paper has no upvote count: an empty, hidden column, no "▲ –".
    const hostile = /<li class="card" data-id="arxiv:2510\.00003"[\s\S]*?<\/li>/.exec(week.body)?.[0] ?? '';
    expect(hostile).toContain('<div class="votes none" aria-hidden="true"></div>');
    expect(week.body).not.toContain('–</span>');
    const counted = /<li class="card" data-id="arxiv:2510\.00006"[\s\S]*?<\/li>/.exec(week.body)?.[0] ?? '';
    expect(counted).toContain('<span class="author-count" title="Author names not known yet">12 authors</span>');
  });
});

describe('feed page paging', () => {
  it('shows the feed 30 at a time with the listing’s next/previous controls, pages never overlapping', async () => {
    const { app, store } = await testServer();
    await store.papers.upsertPapers(many(40, '2025-10-07'), '2025-10-10T00:00:00Z');
    await profile(app);
    const first = await app.inject({ url: '/feed?profile=Ada&since=all' });
    const one = ids(first.body);
    expect(one).toHaveLength(30);
    expect(first.body).toMatch(/Showing 1–30 · [\d,]+ papers listed [\d-]+ – [\d-]+ \([\d,]+ days\): [\d,]+ above the relevance cut-off/);
    const next = [...first.body.matchAll(/<a class="btn" href="([^"]+)" rel="next">/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(next).toEqual(['/feed?profile=Ada&since=all&offset=30']);
    const second = await app.inject({ url: next[0] });
    const two = ids(second.body);
    expect(two.length).toBeGreaterThan(0);
    expect(two.filter((id) => one.includes(id))).toEqual([]);
    expect(second.body).toContain('rel="prev"');
    const beyond = await app.inject({ url: '/feed?profile=Ada&since=all&offset=150' });
    expect(beyond.body).toContain('No more papers');
    expect((await app.inject({ url: '/feed?profile=Ada&offset=-1' })).statusCode).toBe(400);
  });
});
