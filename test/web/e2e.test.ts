/**
 * A new user, in a real browser, against a real server on a temporary
 * database: imports the seed files through the import page, browses the
 * daily papers, searches, opens a paper, creates a profile from 000_…, reads
 * the feed, dismisses a paper and finds it gone after a reload. Every request
 * the pages make is recorded: none may leave the app. Screenshots of each
 * main page go to artifacts/screenshots/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { ALL_SEEDS, SEEDS } from '../helpers/shared.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describeBrowser, launch, shot } from './browser.ts';

describeBrowser('the web app in a real browser', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  /** Other servers the suite starts (their pages may load their own assets). */
  const otherApps: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-e2e-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    server = await buildServer({ store, log: (l) => problems.push(l) });
    base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
    page = await context.newPage();
    page.on('dialog', (d) => {
      problems.push(`unexpected dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('greets a new user with what to do first', async () => {
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('h2#empty-title').textContent()).toBe('No papers yet');
    expect(await page.locator('main a[href="/import"]').count()).toBeGreaterThan(0);
    await shot(page, '01-first-run');
  });

  it('imports the seed files through the import page, with a report', async () => {
    await page.click('nav.site-nav >> text=Import');
    await page.setInputFiles('#import-files', ALL_SEEDS);
    await page.click('form[data-import] button[type="submit"]');
    const report = page.locator('[data-import-report]');
    await report.waitFor({ timeout: 30_000 });
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('000_ce7cc7f2da94cefb.txt');
    const added = Number(/([\d,]+)\s*added/.exec(text)?.[1].replace(/,/g, ''));
    expect(added).toBeGreaterThan(200);
    expect(await page.locator('[data-import-status]').textContent()).toMatch(/^Done:/);
    await shot(page, '02-import-report');
  });

  it('browses the daily papers by day, week and month', async () => {
    await page.click('nav.site-nav >> text=Daily');
    const cards = page.locator('ol.cards > li.card');
    expect(await cards.count()).toBeGreaterThan(0);
    const firstDay = await page.locator('main h1').textContent();
    await shot(page, '03-daily');
    const prev = page.locator('a[rel="prev"]');
    if (await prev.count()) {
      await prev.click();
      expect(await page.locator('main h1').textContent()).not.toBe(firstDay);
    }
    await page.click('nav.segmented >> text=Month');
    expect(new URL(page.url()).searchParams.get('view')).toBe('month');
    expect(await cards.count()).toBeGreaterThan(0);
    // The abstract snippet expands in place.
    const details = page.locator('details.abstract').first();
    await details.locator('summary').click();
    expect(await details.getAttribute('open')).not.toBeNull();
    await shot(page, '03-daily-month');
    // The week: its days as chips, each a date with its count as a separate badge.
    await page.click('nav.segmented >> text=Week');
    expect(new URL(page.url()).searchParams.get('view')).toBe('week');
    const chip = page.locator('nav.day-strip a').first();
    if (await chip.count()) expect(await chip.locator('.n').textContent()).toMatch(/^\d+$/);
    expect(await page.locator('.card .votes .n', { hasText: '–' }).count()).toBe(0);
    await shot(page, '03-daily-week');
  });

  it('searches as the user types, with highlighted results and the query in the URL', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('neural collapse');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=neural\+collapse/);
    // On the search page, type more: results follow without a page load.
    const input = page.locator('#q');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await input.fill('');
    await input.pressSequentially('neural collapse', { delay: 30 });
    await expect.poll(() => new URL(page.url()).searchParams.get('q'), { timeout: 10_000 }).toBe('neural collapse');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect.poll(() => page.locator('#results li.card').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const titles = await page.locator('#results li.card h2').allTextContents();
    expect(titles.slice(0, 4).every((t) => /collapse/i.test(t))).toBe(true);
    expect(await page.locator('#results mark').count()).toBeGreaterThan(0);
    await page.selectOption('#s-sort', 'date');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('date');
    await shot(page, '04-search');
    // A shared link shows the same search.
    const shared = await context.newPage();
    await shared.goto(page.url());
    expect(await shared.locator('#q').inputValue()).toBe('neural collapse');
    expect(await shared.locator('#s-sort').inputValue()).toBe('date');
    await shared.close();
    await page.goto(`${base}/`);
  });

  it('opens a paper page with its abstract, links and note field', async () => {
    await page.locator('ol.cards > li.card h2 a').first().click();
    await page.waitForURL(/\/paper\//);
    expect(await page.locator('.paper-abstract').textContent()).toBeTruthy();
    await page.fill('#note', 'Read this with the group <b>next week</b>');
    await expect.poll(() => page.locator('[data-note-status]').textContent(), { timeout: 10_000 }).toBe('Saved');
    await page.reload();
    expect(await page.locator('#note').inputValue()).toBe('Read this with the group <b>next week</b>');
    await shot(page, '05-paper');
    // An author's page, from a card that names its authors.
    const paperUrl = page.url();
    await page.goto(`${base}/search?q=neural+collapse`);
    const author = page.locator('#results .authors a').first();
    const name = (await author.textContent())!;
    await author.click();
    await page.waitForURL(/\/author\//);
    expect(await page.locator('main h1').textContent()).toBe(name);
    expect(await page.locator('ol.cards > li.card').count()).toBeGreaterThan(0);
    await shot(page, '05-author');
    await page.goto(paperUrl);
  });

  it('saves the paper to a collection and exports it as BibTeX', async () => {
    const title = (await page.locator('main h1').textContent())!;
    await page.fill('#collection', 'Reading group');
    await page.click('form[data-collect] button[type="submit"]');
    await page.waitForURL(/flash=saved/);
    await page.click('nav.site-nav >> text=Collections');
    await shot(page, '05-collections');
    await page.click('text=Reading group');
    expect(await page.locator('ol.cards').textContent()).toContain(title.slice(0, 40));
    const res = await page.request.get(`${base}/api/collections/Reading%20group/bibtex`);
    expect(res.status()).toBe(200);
    expect(await res.text()).toMatch(/^@\w+\{/);
    await shot(page, '05-collection');
  });

  it('creates a profile from the 000_ publication list', async () => {
    await page.click('nav.site-nav >> text=Profiles');
    await shot(page, '06-profiles-empty');
    await page.fill('#profile-name', 'Leyan');
    await page.setInputFiles('#create-file', SEEDS.publicationList);
    await page.click('#create button[type="submit"]');
    await page.waitForURL(/\/profiles\/Leyan/);
    const papers = page.locator('section[aria-labelledby="papers-h"] li');
    expect(await papers.count()).toBe(3);
    expect(await page.locator('section[aria-labelledby="papers-h"]').textContent()).toContain('Neural Collapse');
    await shot(page, '06-profile');
    await page.click('nav.site-nav >> text=Profiles');
    expect(await page.locator('main', { hasText: 'Leyan' }).count()).toBe(1);
    await shot(page, '06-profiles');
    await page.goBack();
  });

  it('ranks a month of daily papers for the profile', async () => {
    await page.goto(`${base}/?view=month&sort=forme&profile=Leyan`);
    expect(await page.locator('ol.cards > li.card').count()).toBeGreaterThan(0);
    expect(await page.locator('.count-line').textContent()).toMatch(/ranked for Leyan/);
    await shot(page, '07-daily-forme');
    await page.goto(`${base}/profiles/Leyan`);
  });

  let dismissed = '';
  it('shows a feed with reasons; a dismissed paper is gone after reload', async () => {
    await page.click('text=Open feed');
    await page.waitForURL(/\/feed/);
    // The seed papers span years: widen the window to all of them.
    await page.selectOption('#feed-span', 'all');
    await page.waitForURL(/since=all/);
    const cards = page.locator('ol.cards > li.card:not([hidden])');
    expect(await cards.count()).toBeGreaterThan(2);
    expect(await page.locator('ol.cards .reasons').first().textContent()).toBeTruthy();
    await shot(page, '07-feed');
    // Keyboard: j selects the first paper, d dismisses it at once.
    await page.keyboard.press('j');
    dismissed = (await page.locator('li.card.current').getAttribute('data-id')) ?? '';
    expect(dismissed).not.toBe('');
    const before = await cards.count();
    await page.keyboard.press('d');
    await expect.poll(() => cards.count()).toBe(before - 1);
    await page.locator('.toast').waitFor();
    await page.waitForTimeout(300);
    await page.reload();
    expect(await page.locator(`li.card[data-id="${dismissed}"]`).count()).toBe(0);
    expect(await cards.count()).toBeGreaterThan(0);
    // The paper page says why it is recommended (loaded after the page has painted).
    await cards.first().locator('h2 a').click();
    await page.waitForURL(/\/paper\//);
    const why = page.locator('section[aria-labelledby="why-h"] ul.reasons');
    await why.waitFor({ timeout: 15_000 });
    expect(await why.textContent()).toMatch(/close to your paper/);
    await shot(page, '07-paper-why');
  });

  it('shows a title containing <script> as text', async () => {
    const file = join(dir, 'hostile.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: '2501.09999', title: '<script>alert("pwned")</script> Attention & </script> Tricks', abstract: 'Text with <img src=x onerror=alert(1)> inside, and math $x<y$.', authors: ['Eve <b>Hacker</b>'], categories: ['cs.CR'], announced: '2025-01-15' })}\n`);
    await page.goto(`${base}/import`);
    await page.setInputFiles('#import-files', file);
    await page.click('form[data-import] button[type="submit"]');
    await page.locator('[data-import-report]').waitFor();
    await page.goto(`${base}/paper/arxiv:2501.09999`);
    expect(await page.locator('main h1').textContent()).toBe('<script>alert("pwned")</script> Attention & </script> Tricks');
    expect(await page.locator('.paper-head .authors').textContent()).toContain('Eve <b>Hacker</b>');
    expect(await page.locator('.paper-abstract').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);
    await shot(page, '08-hostile-title');
  });

  it('renders math in live search results (title and snippet), highlighted and escaped', async () => {
    const file = join(dir, 'math.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: '2501.08888', title: 'Quicksort Bounds in $\\mathcal{O}(n \\log n)$ <i>Time</i>', abstract: 'We prove a quicksort bound of $\\mathcal{O}(n \\log n)$ expected comparisons for <b>every</b> pivot rule.', authors: ['Tony Hoare'], categories: ['cs.DS'], announced: '2025-01-15' })}\n`);
    await page.goto(`${base}/import`);
    await page.setInputFiles('#import-files', file);
    await page.click('form[data-import] button[type="submit"]');
    await page.locator('[data-import-report]').waitFor();
    await page.goto(`${base}/search`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.locator('#q').pressSequentially('quicksort bound', { delay: 20 });
    const card = page.locator('#results li.card[data-id="arxiv:2501.08888"]');
    await card.waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await card.locator('h2 .katex').count()).toBe(1);
    expect(await card.locator('.abstract .katex').count()).toBe(1);
    expect(await card.locator('h2 mark').first().textContent()).toMatch(/^Quicksort/);
    expect(await card.locator('h2').textContent()).toContain('<i>Time</i>');
    expect(await card.locator('i, b').count()).toBe(0);
    // KaTeX's positioning styles reached the page's stylesheet through the CSSOM (the CSP forbids inline styles).
    const positioned = await card.evaluate((el) => {
      const k = el.querySelector<HTMLElement>('[data-k]');
      const rules = [...(document.getElementById('math-styles') as HTMLStyleElement).sheet!.cssRules].map((r) => (r as CSSStyleRule).selectorText);
      return { id: k?.dataset.k, ruled: rules.includes(`[data-k="${k?.dataset.k}"]`), holder: el.closest('#results')!.querySelector('[data-math-styles]') !== null };
    });
    expect(positioned).toEqual({ id: expect.stringMatching(/^[0-9a-f]+$/), ruled: true, holder: false });
    await shot(page, '04-search-math');
  });

  it('ranks "for me" within the category shown, as the listing counts it', async () => {
    // January 2025 now has the hostile paper (cs.CR) and the math one (cs.DS).
    const cards = page.locator('ol.cards > li.card');
    for (const [cat, id] of [
      ['cs.DS', 'arxiv:2501.08888'],
      ['cs.CR', 'arxiv:2501.09999'],
    ]) {
      await page.goto(`${base}/?view=month&day=2025-01-15&sort=forme&profile=Leyan&category=${cat}`);
      expect(await page.locator('.page-head .sub').textContent()).toContain(`1 paper in ${cat}`);
      expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual([id]);
      expect(await page.locator('.count-line').textContent()).toBe('Showing 1–1 of 1 ranked for Leyan');
    }
  });

  it('works at phone width', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ['/', '09-phone-daily'],
      ['/?view=week', '09-phone-week'],
      ['/search?q=neural+collapse', '09-phone-search'],
      ['/feed', '09-phone-feed'],
      ['/profiles', '09-phone-profiles'],
      ['/collections', '09-phone-collections'],
      ['/collections/Reading%20group', '09-phone-collection'],
      ['/author/Leyan%20Pan', '09-phone-author'],
      ['/paper/arxiv:2501.08888', '09-phone-paper'],
      ['/import', '09-phone-import'],
    ]) {
      await phone.goto(`${base}${path}`);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways at phone width`).toBeLessThanOrEqual(0);
      await shot(phone, name);
    }
    await phone.close();
  });

  it('tells a user whose papers have no dates (a BibTeX library) what is there', async () => {
    const store2 = new SqliteStore(join(dir, 'undated.db'));
    const server2 = await buildServer({ store: store2, log: (l) => problems.push(l) });
    try {
      const records = ['Attention Is All You Need', 'Deep Residual Learning for Image Recognition', 'Neural Collapse in Deep Classifiers'].map((title, i) => ({
        title,
        authors: ['A. Author', 'B. Author'],
        year: 2016 + i,
        venue: 'A Conference',
        source: { kind: 'manual' as const, locator: `library.bib:${i + 1}`, seenAt: new Date().toISOString() },
      }));
      await store2.papers.upsertPapers(records, new Date().toISOString());
      const url = (await server2.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      otherApps.push(url);
      const p2 = await context.newPage();
      await p2.goto(`${url}/`);
      expect(await p2.locator('#empty-title').textContent()).toBe('No dated papers to list by day');
      expect(await p2.locator('main').textContent()).toContain('The database has 3 papers');
      expect(await p2.locator('ol.cards > li.card').count()).toBe(3);
      await shot(p2, '01-only-undated');
      await p2.setViewportSize({ width: 390, height: 844 });
      await shot(p2, '09-phone-only-undated');
      await p2.close();
    } finally {
      await server2.close();
      await store2.close();
    }
  });

  it('made no request beyond the app, and no page error', () => {
    const foreign = requests.filter((u) => ![base, ...otherApps].some((o) => u.startsWith(o)) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
