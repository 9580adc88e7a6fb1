/**
 * The daily loop in a real browser, with no configuration file written by
 * the user: a new user starts the app, follows an arXiv category on the
 * Sources page (fetched by the app's own job runtime from a loopback server
 * replaying recorded arXiv answers), sees the papers arrive, creates a
 * profile, turns on weekly e-mail on the profile page, sets the mail server
 * and presses "send a test mail" (captured by a loopback SMTP server), and
 * opens the profile's RSS link. Screenshots to artifacts/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { validateConfig } from '../../src/config/load.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { SmtpCapture } from '../digest/smtp-capture.ts';
import { fixture, ReplayServer } from '../ingest/http/replay-server.ts';
import { describeBrowser, launch, shot } from './browser.ts';

describeBrowser('the daily loop in a real browser', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let arxiv: ReplayServer;
  let smtp: SmtpCapture;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    arxiv = await new ReplayServer().start();
    arxiv.on('/api/query', (r) => ({ body: fixture(r.query.get('start') === '0' ? 'arxiv-api/cat-page1.xml' : 'arxiv-api/cat-page2.xml') }));
    smtp = await new SmtpCapture().start();
    dir = mkdtempSync(join(tmpdir(), 'radar-loop-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    // What `npm start` builds with no file: defaults, here pointed at the loopback arXiv and polling quickly.
    const config = validateConfig({ http: { maxRetries: 0, minIntervalMs: 1 }, sources: { arxivApi: `${arxiv.url}/api/query` }, worker: { pollMs: 100, tickMs: 100 } }, 'test', {});
    server = await buildServer({ store, config, log: (l) => problems.push(l) });
    base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await arxiv?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows an arXiv category from the Sources page and shows the back-fill arrive', async () => {
    await page.goto(`${base}/`);
    await page.click('nav.site-nav >> text=Sources');
    expect(await page.locator('main').textContent()).toContain('No sources followed yet');
    await page.fill('#source-name', 'cs.LG');
    await page.fill('#source-days', '2');
    await page.click('form[action="/sources"] button[type="submit"]');
    await page.locator('[data-source="arxiv:cs.LG"]').waitFor();
    expect(await page.locator('.notice.ok').textContent()).toContain('Followed');
    // The app's own worker runs the back-fill; the list refreshes itself until it is done.
    await page.locator('[data-source="arxiv:cs.LG"] [data-backfill="done"]').waitFor({ timeout: 45_000 });
    const row = (await page.locator('[data-source="arxiv:cs.LG"]').textContent()) ?? '';
    expect(row).toMatch(/Last fetched .*ago \(5 papers added or updated\)/);
    expect(row).toMatch(/next run in/);
    expect(await page.locator('[data-source="arxiv:cs.LG"] .pill').textContent()).toBe('working');
    expect(arxiv.requestsTo('/api/query')[0].query.get('search_query')).toMatch(/^cat:cs\.LG AND submittedDate:/);
    await shot(page, 'loop-01-sources');
  });

  it('shows the fetched papers on the daily page', async () => {
    await page.click('nav.site-nav >> text=Daily');
    const titles = await page.locator('ol.cards > li.card h2').allTextContents();
    expect(titles.join('\n')).toContain('Contrastive Pretraining for Tabular Data');
    await shot(page, 'loop-02-daily');
  });

  it('creates a profile and turns on weekly e-mail from its page', async () => {
    await page.click('nav.site-nav >> text=Profiles');
    await page.fill('#profile-name', 'Ada');
    await page.fill('#create-ids', '2503.00101 2503.00103');
    await page.click('form[action="/profiles"] button[type="submit"]');
    await page.waitForURL(/\/profiles\/Ada\?flash=created/);
    await page.fill('#d-email', 'ada@lab.example');
    await page.check('input[name="cadence"][value="weekly"]');
    await page.selectOption('#d-weekday', 'fri');
    await page.click('form[action="/profiles/Ada/delivery"] button[type="submit"]');
    await page.waitForURL(/flash=delivery/);
    expect(await page.locator('main .notice.ok').first().textContent()).toContain('Delivery saved.');
    expect(await page.inputValue('#d-email')).toBe('ada@lab.example');
    expect(await page.isChecked('input[name="cadence"][value="weekly"]')).toBe(true);
    // No mail server yet: the page says so rather than failing later.
    expect(await page.locator('#delivery').textContent()).toContain('no SMTP server is configured');
    // The copy button appears with script (without it the link is selectable text).
    expect(await page.locator('button[data-copy]').first().isVisible()).toBe(true);
    await shot(page, 'loop-03-delivery');
    expect((await store.settings.getDelivery('Ada'))?.cadence).toBe('weekly');
  });

  it('sets the mail server and sends a test mail that arrives', async () => {
    await page.click('#delivery a[href="/settings/mail"]');
    await page.fill('#smtp-url', smtp.url);
    await page.fill('#smtp-from', 'Paper Radar <radar@lab.example>');
    await page.click('form[action="/settings/mail"] button[type="submit"]');
    await page.waitForURL(/flash=saved/);
    expect(await page.locator('[data-smtp-state]').getAttribute('data-smtp-state')).toBe('database');
    await page.fill('#test-to', 'ada@lab.example');
    await page.click('form[action="/settings/mail/test"] button[type="submit"]');
    await page.locator('main .notice').first().waitFor();
    expect(await page.locator('main .notice').first().textContent()).toContain('Test mail sent to ada@lab.example');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].envelope.to).toEqual(['ada@lab.example']);
    expect(smtp.messages[0].parsed.subject).toBe('Paper Radar test mail');
    await shot(page, 'loop-04-mail');
  });

  it('opens the profile’s RSS link: the feed lists the fetched papers', async () => {
    await page.goto(`${base}/profiles/Ada`);
    // Five papers are too few for the default relevance cut-off: the user lowers it, as the page suggests.
    await page.fill('#r-cutoff', '-100');
    await page.click('form[action="/profiles/Ada/rules"] button[type="submit"]');
    await page.waitForURL(/flash=rules/);
    const rss = await page.inputValue('#d-rss');
    expect(rss.startsWith(`${base}/api/feeds/Ada/`)).toBe(true);
    expect(await page.locator('#delivery').textContent()).not.toContain('no SMTP server is configured');
    const res = await page.request.get(rss);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/xml/);
    const xml = await res.text();
    expect(xml).toMatch(/<rss|<feed/);
    expect(xml, xml).toMatch(/Tabular Data|Vision Transformers|Code Generation/);
  });

  it('fits a phone: the Sources page and the delivery settings', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/sources`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'loop-09-phone-sources');
    await page.goto(`${base}/profiles/Ada#delivery`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'loop-09-phone-delivery');
  });

  it('made no request outside the app and logged no problems', () => {
    expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
    expect(problems.filter((l) => /page error|console|Error/.test(l))).toEqual([]);
  });
});
